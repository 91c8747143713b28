import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../api/src/persistence/data-source-options';
import { DatabaseGate } from '../../api/src/persistence/database-gate';
import { AuditTrailRepository } from '../../api/src/persistence/repositories';
import { CliHarness } from './support/cli-harness';

// Every command boots the application (Nest + migrations); leave room on a busy CI machine.
jest.setTimeout(30_000);

function expectOneErrorLine(stderr: string, ...mentions: string[]) {
  const lines = stderr.split('\n').filter((line) => line.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  for (const mention of mentions) expect(lines[0]).toContain(mention);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('entra-backup partner', () => {
  let cli: CliHarness;

  beforeEach(async () => {
    cli = await CliHarness.create();
  });

  afterEach(async () => {
    await cli.dispose();
  });

  it('creates a partner with its first Owner, lists it and audits it', async () => {
    const added = await cli.run('partner', 'add', 'Fabrikam IT', '--owner', 'Ana@Fabrikam.com', '--json');
    expect(added.code).toBe(0);
    const partner = JSON.parse(added.stdout) as { partnerId: string; name: string };
    expect(partner).toMatchObject({
      name: 'Fabrikam IT',
      partnerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });

    const table = await cli.run('partner', 'list');
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^PARTNER ID\s+NAME\s+STAFF\s+TENANTS\s+CREATED$/);
    expect(row).toMatch(new RegExp(`^${partner.partnerId}\\s+Fabrikam IT\\s+1\\s+0\\s+\\d{4}-`));

    const staff = await cli.run('partner', 'staff', 'Fabrikam IT', '--json');
    expect(JSON.parse(staff.stdout)).toEqual({
      items: [expect.objectContaining({ upn: 'ana@fabrikam.com', role: 'owner', homeTenantId: null })],
    });

    const dataSource = new DataSource(buildDataSourceOptions(cli.config.database));
    await dataSource.initialize();
    try {
      const events = await new AuditTrailRepository(new DatabaseGate(dataSource)).listRecent({ limit: 10 });
      expect(events).toEqual([
        expect.objectContaining({
          actor: 'cli:tester',
          action: 'partner.created',
          tenantId: null,
          details: expect.objectContaining({ partnerId: partner.partnerId, owner: 'ana@fabrikam.com' }),
        }),
      ]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('says how to add a partner when there are none', async () => {
    const result = await cli.run('partner', 'list');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No partners yet');
  });

  it('fails with exit 1 for a duplicate name', async () => {
    await cli.run('partner', 'add', 'Fabrikam IT', '--owner', 'ana@fabrikam.com');

    const result = await cli.run('partner', 'add', 'Fabrikam IT', '--owner', 'ben@fabrikam.com');

    expect(result.code).toBe(1);
    expectOneErrorLine(result.stderr, 'A partner named "Fabrikam IT" exists already');
  });

  it('rejects a malformed sign-in name and a missing owner with exit 2', async () => {
    const bad = await cli.run('partner', 'add', 'Fabrikam IT', '--owner', 'ana');
    expect(bad.code).toBe(2);
    expectOneErrorLine(bad.stderr, "'ana'", 'sign-in name');

    const missing = await cli.run('partner', 'add', 'Fabrikam IT');
    expect(missing.code).toBe(2);
    expectOneErrorLine(missing.stderr, '--owner');

    const blank = await cli.run('partner', 'add', '  ', '--owner', 'ana@fabrikam.com');
    expect(blank.code).toBe(2);
    expectOneErrorLine(blank.stderr, '1 to 256 characters');
    expect((await cli.run('partner', 'list')).stdout).toContain('No partners yet');
  });

  it('adds and removes staff, refusing an unknown role and the last Owner', async () => {
    await cli.run('partner', 'add', 'Fabrikam IT', '--owner', 'ana@fabrikam.com');

    const added = await cli.run(
      'partner',
      'staff',
      'Fabrikam IT',
      'add',
      'Ben@Fabrikam.com',
      '--role',
      'viewer',
    );
    expect(added).toEqual({
      code: 0,
      stdout: 'Added ben@fabrikam.com to Fabrikam IT as Viewer\n',
      stderr: '',
    });

    const unknownRole = await cli.run(
      'partner',
      'staff',
      'Fabrikam IT',
      'add',
      'cy@fabrikam.com',
      '--role',
      'boss',
    );
    expect(unknownRole.code).toBe(2);
    expectOneErrorLine(unknownRole.stderr, 'Unknown role: boss', 'owner, admin, operator, viewer');

    const noRole = await cli.run('partner', 'staff', 'Fabrikam IT', 'add', 'cy@fabrikam.com');
    expect(noRole.code).toBe(2);
    expectOneErrorLine(noRole.stderr, '--role');

    const twice = await cli.run(
      'partner',
      'staff',
      'Fabrikam IT',
      'add',
      'ben@fabrikam.com',
      '--role',
      'admin',
    );
    expect(twice.code).toBe(1);
    expectOneErrorLine(twice.stderr, 'ben@fabrikam.com is on the partner');

    const lastOwner = await cli.run('partner', 'staff', 'Fabrikam IT', 'remove', 'ana@fabrikam.com');
    expect(lastOwner.code).toBe(1);
    expectOneErrorLine(lastOwner.stderr, 'last Owner');

    const removed = await cli.run('partner', 'staff', 'Fabrikam IT', 'remove', 'ben@fabrikam.com');
    expect(removed).toEqual({ code: 0, stdout: 'Removed ben@fabrikam.com from Fabrikam IT\n', stderr: '' });

    const listed = await cli.run('partner', 'staff', 'Fabrikam IT');
    expect(listed.stdout).toMatch(/ana@fabrikam\.com\s+Owner\s+\(not signed in yet\)/);
    expect(listed.stdout).not.toContain('ben@');
  });

  it('names an unknown partner and an unknown action', async () => {
    const unknown = await cli.run('partner', 'staff', 'Nobody');
    expect(unknown.code).toBe(1);
    expectOneErrorLine(unknown.stderr, 'Partner Nobody not found');

    const action = await cli.run('partner', 'staff', 'Nobody', 'promote', 'ana@fabrikam.com');
    expect(action.code).toBe(2);
    expectOneErrorLine(action.stderr, 'unknown staff action "promote"');
  });
});
