import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { ObjectTypeKey } from '@entra-backup/common';
import { BackupLeaseService } from '../../api/src/modules/backup-storage/backup-lease.service';
import { BackupWriterService } from '../../api/src/modules/backup-storage/backup-writer.service';
import type { GraphObject } from '../../api/src/modules/backup-storage/snapshot-writer';
import { buildDataSourceOptions } from '../../api/src/persistence/data-source-options';
import { CliModule } from '../src/cli.module';
import { CliHarness } from './support/cli-harness';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

type Content = Partial<Record<ObjectTypeKey, Record<string, GraphObject[]>>>;
type Logs = Partial<Record<ObjectTypeKey, Record<string, GraphObject[]>>>;

const FIRST: Content = {
  users: {
    users: [
      { id: 'u1', displayName: 'Adele Vance', department: 'Sales', manager: { id: 'u2' } },
      { id: 'u2', displayName: 'Megan Bowen', department: 'Marketing' },
    ],
  },
  groups: {
    groups: [
      {
        id: 'g1',
        displayName: 'Sales',
        members: [{ id: 'u1', '@odata.type': '#microsoft.graph.user' }],
        owners: [],
      },
    ],
  },
  builtInRoles: {
    roleDefinitions: [
      { id: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator', isBuiltIn: true },
    ],
    roleAssignments: [
      { id: 'ra1', principalId: 'u1', roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10' },
    ],
  },
  bitlockerKeys: {
    recoveryKeys: [
      {
        id: 'k1',
        deviceId: 'd1',
        volumeType: 1,
        key: '111111-222222-333333-444444-555555-666666-777777-888888',
      },
    ],
  },
};

const SECOND: Content = {
  users: {
    users: [
      { id: 'u1', displayName: 'Adele Vance', department: 'Finance', manager: { id: 'u3' } },
      { id: 'u3', displayName: 'Lee Gu', department: 'Finance' },
    ],
  },
  groups: FIRST.groups!,
  builtInRoles: FIRST.builtInRoles!,
  bitlockerKeys: FIRST.bitlockerKeys!,
};

const SIGN_INS: Logs = {
  signInLogs: {
    signIns: [
      { id: 's2', createdDateTime: '2026-11-25T10:00:00Z' },
      { id: 's1', createdDateTime: '2026-11-25T09:00:00Z' },
    ],
  },
};

function lines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as unknown);
}

function expectOneErrorLine(stderr: string, ...mentions: string[]) {
  const errorLines = stderr.split('\n').filter((line) => line.length > 0);
  expect(errorLines).toHaveLength(1);
  expect(errorLines[0]).toMatch(/^error: /);
  for (const mention of mentions) expect(errorLines[0]).toContain(mention);
}

describe('entra-backup snapshots / export / diff / verify', () => {
  let cli: CliHarness;
  let app: INestApplicationContext;

  /** Writes a snapshot straight through storage, as the backup engine does. */
  async function seedSnapshot(
    content: Content,
    logs: Logs = {},
    failed: Partial<Record<ObjectTypeKey, string>> = {},
  ): Promise<string> {
    const types = [
      ...new Set([...Object.keys(content), ...Object.keys(logs), ...Object.keys(failed)]),
    ] as ObjectTypeKey[];
    const result = await app.get(BackupLeaseService).withLease(TENANT, async () => {
      const writer = await app.get(BackupWriterService).beginSnapshot(TENANT, { mode: 'full', types });
      for (const type of types) {
        const failure = failed[type];
        if (failure !== undefined) {
          await writer.failType(type, { reason: failure, graphCode: 'TooManyRequests', requests: 1 });
          continue;
        }
        for (const [collection, objects] of Object.entries(content[type] ?? {})) {
          for (const object of objects) await writer.put(type, collection, object);
        }
        for (const [collection, entries] of Object.entries(logs[type] ?? {})) {
          await writer.appendLogs(type, collection, entries);
        }
        await writer.completeType(type, { requests: 1 });
      }
      return writer.commit();
    });
    return result.snapshotId!;
  }

  beforeEach(async () => {
    cli = await CliHarness.create();
    app = await NestFactory.createApplicationContext(CliModule.forRoot(cli.config), { logger: false });
  });

  afterEach(async () => {
    await app.close();
    await cli.dispose();
  });

  describe('with a registered tenant', () => {
    beforeEach(async () => {
      expect((await cli.run('tenant', 'add', TENANT, '--name', 'Contoso')).code).toBe(0);
    });

    it('says there is no snapshot yet', async () => {
      const result = await cli.run('snapshots', TENANT);

      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain(`Tenant ${TENANT} has no snapshot yet`);
    });

    describe('and two snapshots', () => {
      let first: string;
      let second: string;

      beforeEach(async () => {
        first = await seedSnapshot(FIRST, SIGN_INS);
        second = await seedSnapshot(SECOND);
      });

      it('lists snapshots newest first with primary-collection counts', async () => {
        const json = await cli.run('snapshots', TENANT, '--json');

        expect(json.code).toBe(0);
        const { items } = JSON.parse(json.stdout) as { items: Array<Record<string, unknown>> };
        expect(items.map((s) => s['snapshotId'])).toEqual([second, first]);
        expect(items[1]).toMatchObject({
          seq: 1,
          status: 'complete',
          mode: 'full',
          counts: { users: 2, groups: 1, builtInRoles: 1, bitlockerKeys: 1, signInLogs: 2 },
          failedTypes: [],
        });
        expect(items[1]!['bytesStored']).toEqual(expect.any(Number));
        // The second run did not cover sign-ins; its view still holds them.
        expect(items[0]).toMatchObject({ seq: 2, counts: { users: 2, signInLogs: 2 } });

        const table = await cli.run('snapshots', TENANT);
        const rows = table.stdout.trimEnd().split('\n');
        expect(rows[0]).toMatch(/^SNAPSHOT ID\s+SEQ\s+STATUS\s+MODE\s+STARTED\s+STORED\s+OBJECTS$/);
        expect(rows[1]).toMatch(
          new RegExp(`^${second}\\s+2\\s+complete\\s+full\\s+\\d{4}-.*users 2, groups 1`),
        );
      });

      it('exports the latest snapshot as JSON lines, one file per collection, without BitLocker keys', async () => {
        const out = join(cli.dataDir, 'export');

        const result = await cli.run('export', TENANT, '--snapshot', 'latest', '--out', out);

        expect(result).toMatchObject({ code: 0, stderr: '' });
        expect(result.stdout).toContain(`Exported snapshot ${second} (seq 2`);
        expect(result.stdout).toContain('1 BitLocker recovery key(s) left out');
        expect((await readdir(out)).sort()).toEqual([
          'bitlockerKeys.jsonl',
          'builtInRoles.jsonl',
          'builtInRoles.roleAssignments.jsonl',
          'groups.jsonl',
          'manifest.json',
          'signInLogs.jsonl',
          'users.jsonl',
        ]);
        expect(lines(await readFile(join(out, 'users.jsonl'), 'utf8'))).toEqual(SECOND.users!['users']);
        expect(lines(await readFile(join(out, 'groups.jsonl'), 'utf8'))).toEqual(FIRST.groups!['groups']);
        expect(lines(await readFile(join(out, 'builtInRoles.roleAssignments.jsonl'), 'utf8'))).toEqual(
          FIRST.builtInRoles!['roleAssignments'],
        );
        expect(lines(await readFile(join(out, 'signInLogs.jsonl'), 'utf8'))).toEqual([
          SIGN_INS.signInLogs!['signIns']![1],
          SIGN_INS.signInLogs!['signIns']![0],
        ]);
        const keys = await readFile(join(out, 'bitlockerKeys.jsonl'), 'utf8');
        expect(lines(keys)).toEqual([{ id: 'k1', deviceId: 'd1', volumeType: 1 }]);
        expect(keys).not.toContain('111111-222222');
        expect((await stat(join(out, 'users.jsonl'))).mode & 0o777).toBe(0o600);
      });

      it('includes BitLocker keys only with --include-secrets', async () => {
        const out = join(cli.dataDir, 'secrets');

        const result = await cli.run(
          'export',
          TENANT,
          '--out',
          out,
          '--types',
          'bitlockerKeys',
          '--include-secrets',
          '--json',
        );

        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({
          secretsIncluded: true,
          secretsStripped: 0,
          types: ['bitlockerKeys'],
        });
        expect((await readdir(out)).sort()).toEqual(['bitlockerKeys.jsonl', 'manifest.json']);
        expect(lines(await readFile(join(out, 'bitlockerKeys.jsonl'), 'utf8'))).toEqual(
          FIRST.bitlockerKeys!['recoveryKeys'],
        );
      });

      it('exports an older snapshot as it was (point in time)', async () => {
        const out = join(cli.dataDir, 'then');

        const result = await cli.run(
          'export',
          TENANT,
          '--snapshot',
          first,
          '--out',
          out,
          '--types',
          'users,groups',
        );

        expect(result.code).toBe(0);
        expect((await readdir(out)).sort()).toEqual(['groups.jsonl', 'manifest.json', 'users.jsonl']);
        expect(lines(await readFile(join(out, 'users.jsonl'), 'utf8'))).toEqual(FIRST.users!['users']);
      });

      it('refuses a directory holding export files unless --force, which replaces them', async () => {
        const out = join(cli.dataDir, 'again');
        expect((await cli.run('export', TENANT, '--snapshot', first, '--out', out)).code).toBe(0);
        await writeFile(join(out, 'notes.txt'), 'kept');

        const refused = await cli.run('export', TENANT, '--out', out, '--types', 'users');
        expect(refused.code).toBe(1);
        expectOneErrorLine(refused.stderr, 'already holds export files', '--force');
        expect(lines(await readFile(join(out, 'users.jsonl'), 'utf8'))).toEqual(FIRST.users!['users']);

        const forced = await cli.run('export', TENANT, '--out', out, '--types', 'users', '--force');
        expect(forced.code).toBe(0);
        expect(lines(await readFile(join(out, 'users.jsonl'), 'utf8'))).toEqual(SECOND.users!['users']);
        const names = await readdir(out);
        expect(names).toContain('notes.txt');
        expect(names.filter((name) => name.startsWith('.'))).toEqual([]);
      });

      it('refuses a partial snapshot, naming the missing types and why, unless --allow-partial', async () => {
        const partial = await seedSnapshot(SECOND, {}, { groups: 'Graph kept answering 429' });
        const out = join(cli.dataDir, 'partial');

        const refused = await cli.run('export', TENANT, '--snapshot', 'latest', '--out', out);
        expect(refused.code).toBe(1);
        expectOneErrorLine(
          refused.stderr,
          'is partial',
          'groups (Graph kept answering 429)',
          '--allow-partial',
        );
        await expect(readdir(out)).rejects.toThrow();

        const accepted = await cli.run('export', TENANT, '--out', out, '--allow-partial');
        expect(accepted.code).toBe(0);
        expect(accepted.stderr).toBe(
          'warning: groups is missing from snapshot 3: Graph kept answering 429 (TooManyRequests); its files hold older data\n',
        );
        expect(accepted.stdout).toContain('Partial: groups missing (see manifest.json).');
        const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Record<
          string,
          unknown
        >;
        expect(manifest).toMatchObject({
          snapshotId: partial,
          seq: 3,
          snapshotStatus: 'partial',
          missingTypes: [
            { type: 'groups', reason: 'Graph kept answering 429', graphCode: 'TooManyRequests' },
          ],
        });
      });

      it('names a snapshot that does not exist', async () => {
        const missing = '11111111-1111-4111-8111-111111111111';

        const result = await cli.run(
          'export',
          TENANT,
          '--snapshot',
          missing,
          '--out',
          join(cli.dataDir, 'x'),
        );

        expect(result.code).toBe(1);
        expectOneErrorLine(result.stderr, `has no snapshot ${missing}`);
      });

      it('shows added, changed (by name, old → new) and removed objects between two snapshots', async () => {
        const text = await cli.run('diff', TENANT, '#1', second);

        expect(text).toMatchObject({ code: 0, stderr: '' });
        const out = text.stdout.split('\n');
        expect(out[0]).toMatch(
          new RegExp(`^From snapshot #1 \\(${first}, .+\\) to snapshot #2 \\(${second}, .+\\)$`),
        );
        expect(out.slice(1)).toEqual([
          'Users: 1 added, 1 changed, 1 removed',
          '  + Lee Gu (u3)',
          '  ~ Adele Vance (u1)',
          '      department: "Sales" → "Finance"',
          '      manager: + Lee Gu (u3), - Megan Bowen (u2)',
          '  - Megan Bowen (u2)',
          '',
        ]);

        const json = await cli.run('diff', TENANT, first, 'latest', '--json');
        expect(JSON.parse(json.stdout)).toEqual({
          from: { snapshotId: first, seq: 1, takenAt: expect.any(String), live: false },
          to: { snapshotId: second, seq: 2, takenAt: expect.any(String), live: false },
          totals: { added: 1, changed: 1, removed: 1 },
          types: [
            {
              type: 'users',
              label: 'Users',
              collections: [
                {
                  collection: 'users',
                  primary: true,
                  added: [{ id: 'u3', name: 'Lee Gu' }],
                  changed: [
                    {
                      id: 'u1',
                      name: 'Adele Vance',
                      properties: [
                        { kind: 'value', path: 'department', old: 'Sales', new: 'Finance' },
                        {
                          kind: 'references',
                          path: 'manager',
                          added: [{ id: 'u3', name: 'Lee Gu', kind: null }],
                          removed: [{ id: 'u2', name: 'Megan Bowen', kind: null }],
                        },
                      ],
                    },
                  ],
                  removed: [{ id: 'u2', name: 'Megan Bowen' }],
                },
              ],
            },
          ],
        });

        const same = await cli.run('diff', TENANT, second, 'latest');
        expect(same.stdout).toContain('No differences.');
      });

      it('refuses a second snapshot that is neither a snapshot nor "live"', async () => {
        const result = await cli.run('diff', TENANT, first, 'yesterday');
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('or "live", got \'yesterday\'');
      });

      it('verifies intact storage with exit 0 and reports a damaged blob with exit 1', async () => {
        const intact = await cli.run('verify', TENANT);
        expect(intact).toMatchObject({ code: 0, stderr: '' });
        expect(intact.stdout).toContain('all intact.');

        const dataSource = new DataSource(buildDataSourceOptions(cli.config.database));
        await dataSource.initialize();
        try {
          // Flip bytes inside one stored payload, as disk corruption would.
          const [row] = (await dataSource.query('SELECT "hash", "payload" FROM "blob" LIMIT 1')) as Array<{
            hash: string;
            payload: Buffer;
          }>;
          const damaged = Buffer.from(row!.payload);
          damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 0xff;
          await dataSource.query('UPDATE "blob" SET "payload" = ? WHERE "hash" = ?', [damaged, row!.hash]);
        } finally {
          await dataSource.destroy();
        }

        const result = await cli.run('verify', TENANT);
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(/DAMAGED (object|log) \w+\/\w+\/\S+: unreadable/);
        expectOneErrorLine(result.stderr, 'damaged item(s)', TENANT);
      });
    });
  });

  it.each([
    [['snapshots', UNKNOWN], 1, `Tenant ${UNKNOWN} not found`],
    [['verify', UNKNOWN], 1, `Tenant ${UNKNOWN} not found`],
    [['export', UNKNOWN, '--out', '/tmp/never-written'], 1, `Tenant ${UNKNOWN} not found`],
    [['snapshots', 'contoso'], 2, 'must be a GUID'],
    [
      ['export', TENANT, '--snapshot', 'yesterday', '--out', 'x'],
      2,
      'snapshot must be a snapshot id (GUID), a sequence number as `snapshots` lists it, or "latest"',
    ],
    [['export', TENANT, '--types', 'users,bogus', '--out', 'x'], 2, 'Unknown object type: bogus'],
    [['export', TENANT, '--snapshot', 'latest'], 2, "required option '--out <dir>'"],
    [['diff', TENANT, 'latest'], 2, "missing required argument 'snapshotB'"],
    [['snapshots', TENANT, '--limit', '0'], 2, '--limit must be an integer from 1 to 200'],
  ])('%j exits %i naming the problem', async (argv, code, mention) => {
    const result = await cli.run(...argv);

    expect(result.code).toBe(code);
    expectOneErrorLine(result.stderr, mention);
    expect(result.stdout).toBe('');
  });
});
