import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OBJECT_TYPE_KEYS } from '@entra-backup/common';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../api/src/persistence/data-source-options';
import { DatabaseGate } from '../../api/src/persistence/database-gate';
import { AuditTrailRepository } from '../../api/src/persistence/repositories';
import { CliHarness } from './support/cli-harness';

// Every test boots the application (Nest + migrations); leave room on a busy CI machine.
jest.setTimeout(30_000);

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER = '00000000-0000-4000-8000-000000000000';

function expectOneErrorLine(stderr: string, ...mentions: string[]) {
  const lines = stderr.split('\n').filter((line) => line.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  for (const mention of mentions) expect(lines[0]).toContain(mention);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('entra-backup CLI', () => {
  let cli: CliHarness;

  beforeEach(async () => {
    cli = await CliHarness.create();
  });

  afterEach(async () => {
    await cli.dispose();
  });

  describe('help and version', () => {
    it('prints help listing the command groups', async () => {
      const result = await cli.run('--help');

      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: entra-backup');
      expect(result.stdout).toMatch(/tenant\s/);
      expect(result.stdout).toMatch(/settings\s/);
      expect(result.stderr).toBe('');
    });

    it('prints help for a subcommand', async () => {
      const result = await cli.run('settings', 'set', '--help');

      expect(result.code).toBe(0);
      expect(result.stdout).toContain('--enable <keys>');
      expect(result.stdout).toContain('bitlockerKeys');
    });

    it('prints the version', async () => {
      const result = await cli.run('--version');

      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    });
  });

  describe('tenant add / list', () => {
    it('adds a tenant and lists it as a table and as JSON', async () => {
      const added = await cli.run('tenant', 'add', TENANT.toUpperCase(), '--name', 'Contoso');
      expect(added).toEqual({ code: 0, stdout: `Added tenant ${TENANT} (Contoso)\n`, stderr: '' });

      const table = await cli.run('tenant', 'list');
      expect(table.code).toBe(0);
      const [header, row] = table.stdout.trimEnd().split('\n');
      expect(header).toMatch(/^TENANT ID\s+NAME\s+CREATED$/);
      expect(row).toMatch(new RegExp(`^${TENANT}\\s+Contoso\\s+\\d{4}-\\d{2}-\\d{2}T`));

      const json = await cli.run('tenant', 'list', '--json');
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({
        items: [expect.objectContaining({ tenantId: TENANT, displayName: 'Contoso' })],
      });
    });

    it('says how to add a tenant when there are none', async () => {
      const result = await cli.run('tenant', 'list');

      expect(result.code).toBe(0);
      expect(result.stdout).toContain('No tenants yet');
    });

    it('records the CLI user in the audit trail', async () => {
      await cli.run('tenant', 'add', TENANT, '--name', 'Contoso');

      const dataSource = new DataSource(buildDataSourceOptions(cli.config.database));
      await dataSource.initialize();
      try {
        const events = await new AuditTrailRepository(new DatabaseGate(dataSource)).listRecent({ limit: 10 });
        expect(events).toEqual([
          expect.objectContaining({ actor: 'cli:tester', action: 'tenant.created', tenantId: TENANT }),
        ]);
      } finally {
        await dataSource.destroy();
      }
    });

    it('fails with exit 1 for a duplicate tenant', async () => {
      await cli.run('tenant', 'add', TENANT, '--name', 'Contoso');

      const result = await cli.run('tenant', 'add', TENANT, '--name', 'Again');

      expect(result.code).toBe(1);
      expectOneErrorLine(result.stderr, `Tenant ${TENANT} already exists`);
    });

    it('rejects an invalid GUID with exit 2', async () => {
      const result = await cli.run('tenant', 'add', 'contoso', '--name', 'Contoso');

      expect(result.code).toBe(2);
      expectOneErrorLine(result.stderr, "'contoso'", 'must be a GUID');
      expect(result.stdout).toBe('');
    });

    it('requires --name', async () => {
      const result = await cli.run('tenant', 'add', TENANT);

      expect(result.code).toBe(2);
      expectOneErrorLine(result.stderr, '--name');
    });

    it('rejects a blank --name', async () => {
      const result = await cli.run('tenant', 'add', TENANT, '--name', '  ');

      expect(result.code).toBe(2);
      expectOneErrorLine(result.stderr, '--name must be 1 to 256 characters');
    });
  });

  describe('settings get / set', () => {
    beforeEach(async () => {
      await cli.run('tenant', 'add', TENANT, '--name', 'Contoso');
    });

    it('refuses to switch types on before admin consent, as the portal does, with exit 1', async () => {
      const result = await cli.run('settings', 'set', TENANT, '--enable', 'users,groups');

      expect(result.code).toBe(1);
      expectOneErrorLine(result.stderr, 'Grant admin consent', TENANT, 'portal');
      const read = await cli.run('settings', 'get', TENANT, '--json');
      expect(Object.values(JSON.parse(read.stdout).enabledTypes as object).every((on) => !on)).toBe(true);
    });

    describe('after admin consent', () => {
      beforeEach(async () => {
        await cli.grantConsent(TENANT);
      });

      it('shows every type off for a new tenant', async () => {
        const result = await cli.run('settings', 'get', TENANT);

        expect(result.code).toBe(0);
        const rows = result.stdout.trimEnd().split('\n').slice(2);
        expect(rows).toHaveLength(OBJECT_TYPE_KEYS.length);
        expect(rows.every((row) => row.endsWith('no'))).toBe(true);
        expect(result.stdout).toMatch(/enterpriseApps\s+Enterprise applications\s+no/);
      });

      it('enables listed types and disables others, keeping the rest', async () => {
        const first = await cli.run('settings', 'set', TENANT, '--enable', 'users,groups,devices');
        expect(first.code).toBe(0);
        expect(first.stdout).toMatch(/users\s+Users\s+yes/);

        const second = await cli.run('settings', 'set', TENANT, '--disable', 'groups', '--json');
        expect(second.code).toBe(0);
        expect(JSON.parse(second.stdout)).toMatchObject({
          tenantId: TENANT,
          enabledTypes: { users: true, groups: false, devices: true, auditLogs: false },
        });

        const read = await cli.run('settings', 'get', TENANT, '--json');
        expect(JSON.parse(read.stdout)).toEqual(JSON.parse(second.stdout));
      });

      it('enables all but the disabled types', async () => {
        const result = await cli.run(
          'settings',
          'set',
          TENANT,
          '--enable',
          'all',
          '--disable',
          'signInLogs',
          '--json',
        );

        expect(result.code).toBe(0);
        const { enabledTypes } = JSON.parse(result.stdout) as { enabledTypes: Record<string, boolean> };
        expect(Object.entries(enabledTypes).filter(([, on]) => !on)).toEqual([['signInLogs', false]]);
      });
    });

    it('names every unknown type key with exit 2', async () => {
      const result = await cli.run('settings', 'set', TENANT, '--enable', 'users,bogus,nope');

      expect(result.code).toBe(2);
      expectOneErrorLine(result.stderr, 'Unknown object types: bogus, nope');
    });

    it('refuses a key that is both enabled and disabled', async () => {
      const result = await cli.run('settings', 'set', TENANT, '--enable', 'users', '--disable', 'users');

      expect(result.code).toBe(2);
      expectOneErrorLine(result.stderr, 'both enabled and disabled: users');
    });

    it('needs --enable or --disable', async () => {
      const result = await cli.run('settings', 'set', TENANT);

      expect(result.code).toBe(2);
      expectOneErrorLine(result.stderr, '--enable');
    });

    it('fails with exit 1 for an unknown tenant', async () => {
      const get = await cli.run('settings', 'get', OTHER);
      expect(get.code).toBe(1);
      expectOneErrorLine(get.stderr, `Tenant ${OTHER} not found`);

      const set = await cli.run('settings', 'set', OTHER, '--enable', 'users');
      expect(set.code).toBe(1);
      expectOneErrorLine(set.stderr, `Tenant ${OTHER} not found`);
    });

    it('rejects an invalid GUID with exit 2', async () => {
      const result = await cli.run('settings', 'get', 'nope');

      expect(result.code).toBe(2);
      expectOneErrorLine(result.stderr, 'must be a GUID');
    });
  });

  describe('bad usage', () => {
    it.each([
      [['frobnicate'], "unknown command 'frobnicate'"],
      [['tenant', 'list', '--bogus'], "unknown option '--bogus'"],
      [['--bogus'], "unknown option '--bogus'"],
      [['tenant', 'remove', TENANT], "unknown command 'remove'"],
      [['settings', 'get'], "missing required argument 'tenantId'"],
    ])('%j exits 2 naming the problem', async (argv, mention) => {
      const result = await cli.run(...argv);

      expect(result.code).toBe(2);
      expectOneErrorLine(result.stderr, mention);
      expect(result.stdout).toBe('');
    });

    it('shows the group help on stderr with exit 2 when the subcommand is missing', async () => {
      const result = await cli.run('tenant');

      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Usage: entra-backup tenant');
    });
  });

  describe('environment problems', () => {
    it('reports a database that cannot be opened as one line with exit 1', async () => {
      const broken = await CliHarness.create('blocker/data');
      try {
        await writeFile(join(broken.dataDir, 'blocker'), 'a file where a directory should be');

        const result = await broken.run('tenant', 'list');

        expect(result.code).toBe(1);
        expectOneErrorLine(result.stderr, 'ENOTDIR');
      } finally {
        await broken.dispose();
      }
    });
  });
});
