import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadAppConfig } from '../../api/src/config/app-config';
import { BackupLeaseService } from '../../api/src/modules/backup-storage/backup-lease.service';
import { CliModule } from '../src/cli.module';
import { BackupLab } from '../../../test/robustness/support/backup-lab';
import { EmulatorControl } from '../../../test/robustness/support/emulator-control';

jest.setTimeout(120_000);

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

function expectOneErrorLine(stderr: string, ...mentions: string[]) {
  const errors = stderr.split('\n').filter((line) => line.startsWith('error'));
  expect(errors).toHaveLength(1);
  for (const mention of mentions) expect(errors[0]).toContain(mention);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('entra-backup backup', () => {
  let lab: BackupLab;
  let control: EmulatorControl;

  beforeAll(async () => {
    lab = await BackupLab.start({ users: 120 });
    control = new EmulatorControl(lab.emulator);
    await lab.registerTenant('users,groups,devices');
  });

  afterAll(async () => {
    await control.close();
    await lab.dispose();
  });

  beforeEach(() => {
    lab.emulator.faults.configure({});
  });

  it('backs up the enabled types and prints the summary as the last JSON line', async () => {
    const groups = (await control.truth(lab.tenantId, 'groups')).length;
    const devices = (await control.truth(lab.tenantId, 'devices')).length;

    const result = await lab.run(['backup', lab.tenantId, '--json']);

    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    expect(Object.keys(summary).slice(0, 3)).toEqual(['snapshotId', 'status', 'counts']);
    expect(summary).toMatchObject({
      status: 'completed',
      trigger: 'cli',
      actor: 'cli:robustness',
      counts: { users: 120, groups, devices },
      types: {
        users: { status: 'succeeded', objects: 120 },
        groups: { status: 'succeeded' },
        devices: { status: 'succeeded' },
      },
    });
    expect(summary['requests']).toEqual(expect.any(Number));
    expect(summary['bytesStored']).toBeGreaterThan(0);
    // Not a terminal: one plain line per event on stderr, none of it on stdout.
    expect(result.stderr).toMatch(/^backup \S+ \(\w+\) started: users, groups, devices$/m);
    // Live lines say what was read; the snapshot's objects come at the end (issue #10).
    expect(result.stderr).toMatch(/^users: succeeded, \d+ read from Graph$/m);
    expect(result.stderr).toMatch(
      /^backup \S+ completed: users 120 objects \(\+ \d+ authentication methods\), groups \d+ objects.*, devices \d+ objects/m,
    );

    const listed = await lab.run(['snapshots', lab.tenantId, '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      items: [{ snapshotId: summary['snapshotId'], counts: { users: 120 } }],
    });
  });

  it('backs up only the named types, in full, with a readable summary', async () => {
    const result = await lab.run(['backup', lab.tenantId, '--types', 'users', '--full']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^TYPE\s+STATUS\s+OBJECTS\s+ADDED\s+CHANGED\s+REMOVED\s+REQUESTS$/m);
    expect(result.stdout).toMatch(/^users\s+succeeded\s+120\s+\d+\s+\d+\s+\d+\s+\d+$/m);
    expect(result.stdout).not.toMatch(/^groups/m);
    expect(result.stdout).toMatch(
      /Backup \S+ \(full\) completed: snapshot \S+ in [\d.]+ s; \d+ Graph requests/,
    );
    // A full run after the first backup reconciles: nothing differed from the state it replaces.
    expect(result.stdout).toMatch(/^Reconciliation: drift 0, the full read matched the incremental state$/m);
  });

  it('exits 1 with each failed type, its Graph code and request id when the run is partial', async () => {
    lab.emulator.faults.configure({
      rules: ['/devices', '/devices/delta'].map((path) => ({
        path,
        method: 'GET',
        nth: 1,
        times: 1000,
        status: 403,
        code: 'Authorization_RequestDenied',
      })),
    });

    const result = await lab.run(['backup', lab.tenantId, '--json']);

    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({
      status: 'partial',
      types: { devices: { status: 'failed' } },
    });
    expect(result.stderr).toMatch(
      /^devices: failed: .+ \(Graph code Authorization_RequestDenied, request id [0-9a-f-]{36}\)$/m,
    );
    expectOneErrorLine(
      result.stderr,
      `backup of tenant ${lab.tenantId} partial: 1 of 3 types failed`,
      'keeps their previous objects',
    );
  });

  it('refuses to start while another run holds the tenant', async () => {
    const config = loadAppConfig({ ENTRA_BACKUP_DATA_DIR: lab.dataDir });
    const app: INestApplicationContext = await NestFactory.createApplicationContext(
      CliModule.forRoot(config),
      { logger: false },
    );
    const leases = app.get(BackupLeaseService);
    const lease = await leases.acquire(lab.tenantId, { holderId: 'scheduler:test' });
    try {
      const result = await lab.run(['backup', lab.tenantId]);

      expect(result.code).toBe(1);
      expectOneErrorLine(result.stderr, `A backup of tenant ${lab.tenantId} is already running`);
      expect(result.stdout).toBe('');
    } finally {
      await leases.release(lease);
      await app.close();
    }
  });

  it.each([
    [['backup', 'contoso'], 2, 'must be a GUID'],
    [['backup', UNKNOWN], 1, `Tenant ${UNKNOWN} not found`],
    [['backup', UNKNOWN, '--types', 'users,nope'], 2, 'Unknown object type: nope'],
    [['backup', UNKNOWN, '--bogus'], 2, "unknown option '--bogus'"],
  ])('%j exits %i naming the problem', async (argv, code, mention) => {
    const result = await lab.run(argv);

    expect(result.code).toBe(code);
    expectOneErrorLine(result.stderr, mention);
    expect(result.stdout).toBe('');
  });
});
