import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requiredReadPermissions } from '../../api/src/modules/exporters/permissions';
import { BackupLab, type CliResult } from '../../../test/robustness/support/backup-lab';
import { EmulatorControl } from '../../../test/robustness/support/emulator-control';
import { GraphRequestLog } from '../../../test/robustness/support/graph-request-log';

jest.setTimeout(120_000);

const TYPES = 'users,groups';
const ACTION_KEYS = ['action', 'type', 'id', 'displayName', 'properties', 'reason'];

type Json = Record<string, unknown>;

/** The exit code, with stderr when it is not the expected one. */
function outcome(result: CliResult, expected: number): { code: number; stderr: string } {
  return { code: result.code, stderr: result.code === expected ? '' : result.stderr };
}

function jsonLines(stdout: string): Json[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Json);
}

/** Every file under a directory, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * A lab tenant as a test changes it: a fresh backup to restore, and its users that a restore may
 * write back (cloud-only, holding no privileged role directly or through a role-assignable
 * group: those need a Global Administrator), in a stable order.
 */
class Tenant {
  constructor(
    readonly lab: BackupLab,
    readonly control: EmulatorControl,
  ) {}

  get id(): string {
    return this.lab.tenantId;
  }

  truth(collection: string): Promise<Json[]> {
    return this.control.truth(this.lab.tenantId, collection);
  }

  async backup(): Promise<string> {
    const result = await this.lab.run(['backup', this.id, '--json']);
    if (result.code !== 0) throw new Error(`backup failed: ${result.stderr}`);
    const lines = jsonLines(result.stdout);
    return String(lines[lines.length - 1]!['snapshotId']);
  }

  async writableUsers(): Promise<Json[]> {
    const groups = await this.truth('groups');
    const privileged = new Set([
      ...(await this.truth('roleAssignments')).map((a) => String(a['principalId'])),
      ...groups
        .filter((g) => g['isAssignableToRole'] === true)
        .flatMap((g) => (g['members'] as Array<{ id: string }>).map((m) => m.id)),
    ]);
    return (await this.truth('users'))
      .filter((u) => u['onPremisesSyncEnabled'] !== true && !privileged.has(String(u['id'])))
      .sort((a, b) => (String(a['userPrincipalName']) < String(b['userPrincipalName']) ? -1 : 1));
  }

  /** Deletes a user and purges it from the recycle bin: only a re-creation brings it back. */
  async hardDelete(user: Json): Promise<void> {
    await this.lab.graph().delete(`/users/${String(user['id'])}`);
    await this.lab.graph().delete(`/directory/deletedItems/${String(user['id'])}`);
  }

  async snapshotCount(): Promise<number> {
    const listed = await this.lab.run(['snapshots', this.id, '--json', '--limit', '200']);
    return (JSON.parse(listed.stdout) as { items: unknown[] }).items.length;
  }
}

/**
 * The restore command line against the real engine: the CLI in-process, its database on disk,
 * Graph served by the emulator, whose answered requests are logged.
 */
describe('entra-backup restore against the engine', () => {
  const log = new GraphRequestLog();
  let lab: BackupLab;
  let control: EmulatorControl;
  let tenant: Tenant;

  beforeAll(async () => {
    lab = await BackupLab.start({ users: 60, directory: log.directory });
    control = new EmulatorControl(lab.emulator);
    tenant = new Tenant(lab, control);
    await lab.registerTenant(TYPES);
  });

  afterAll(async () => {
    await control.close();
    await lab.dispose();
  });

  it('prints a dry run as one JSON line per action and a summary, and sends Graph no write', async () => {
    const snapshotId = await tenant.backup();
    const users = await tenant.writableUsers();
    const [hardDeleted, softDeleted, changed] = [users[0]!, users[1]!, users[2]!];
    await tenant.hardDelete(hardDeleted);
    await lab.graph().delete(`/users/${String(softDeleted['id'])}`);
    await lab.graph().patch(`/users/${String(changed['id'])}`, { jobTitle: 'Changed by the disaster' });
    const snapshotsBefore = await tenant.snapshotCount();
    log.clear();

    const result = await lab.run([
      'restore',
      tenant.id,
      '--snapshot',
      snapshotId,
      '--types',
      TYPES,
      '--dry-run',
      '--json',
    ]);

    expect(outcome(result, 0)).toEqual({ code: 0, stderr: '' });
    const lines = jsonLines(result.stdout);
    const actions = lines.slice(0, -1);
    const summary = lines[lines.length - 1]!;
    for (const action of actions) expect(Object.keys(action)).toEqual(ACTION_KEYS);
    expect(Object.keys(summary)).toEqual(['planned', 'byAction', 'unrecoverable']);
    expect(summary['planned']).toBe(actions.length);
    const byAction: Record<string, number> = {};
    for (const action of actions)
      byAction[String(action['action'])] = (byAction[String(action['action'])] ?? 0) + 1;
    expect(summary['byAction']).toEqual(byAction);
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'recreate', type: 'users', id: hardDeleted['id'] }),
        expect.objectContaining({ action: 'restoreDeleted', type: 'users', id: softDeleted['id'] }),
        expect.objectContaining({ action: 'update', id: changed['id'], properties: ['jobTitle'] }),
      ]),
    );
    // The dry run read the tenant (a backup of the target), through the log...
    expect(log.all().filter((r) => r.method === 'GET').length).toBeGreaterThan(0);
    // ...and wrote nothing to it, not even inside a $batch.
    expect(log.writes()).toEqual([]);
    expect(await tenant.snapshotCount()).toBe(snapshotsBefore + 1);
    expect((await tenant.truth('users')).map((u) => u['id'])).not.toContain(hardDeleted['id']);
  });

  it.each([
    ['restore', () => ['restore', tenant.id, '--snapshot', 'latest', '--types', TYPES]],
    ['restore-resume', () => ['restore-resume', '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d']],
  ])('%s without --yes and without a terminal exits 2 having sent Graph nothing', async (_name, argv) => {
    await tenant.backup();
    await lab.graph().delete(`/users/${String((await tenant.writableUsers())[3]!['id'])}`);
    const snapshotsBefore = await tenant.snapshotCount();
    const restoresBefore = (await lab.run(['restores', tenant.id, '--json'])).stdout;
    log.clear();

    const result = await lab.run(argv());

    expect(outcome(result, 2)).toEqual({ code: 2, stderr: '' });
    expect(result.stderr).toMatch(/^error: .*--yes/m);
    expect(result.stdout).toBe('');
    expect(log.all()).toEqual([]);
    expect(await tenant.snapshotCount()).toBe(snapshotsBefore);
    expect((await lab.run(['restores', tenant.id, '--json'])).stdout).toBe(restoresBefore);
  });

  it('restores what it can when one object conflicts, printing the Graph code, and ends partial', async () => {
    const users = await tenant.writableUsers();
    const [conflicting, softDeleted, changed] = [users[4]!, users[5]!, users[6]!];
    await withoutRelationships(conflicting);
    const snapshotId = await tenant.backup();
    await tenant.hardDelete(conflicting);
    // Someone else takes its user principal name before the restore runs.
    const squatter = (await lab.graph().post('/users', {
      accountEnabled: true,
      displayName: 'Someone else',
      mailNickname: 'someoneelse',
      userPrincipalName: conflicting['userPrincipalName'],
      passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Squatter-Passw0rd!' },
    })) as Json;
    await lab.graph().delete(`/users/${String(softDeleted['id'])}`);
    await lab.graph().patch(`/users/${String(changed['id'])}`, { department: 'Changed by the disaster' });

    const result = await lab.run([
      'restore',
      tenant.id,
      '--snapshot',
      snapshotId,
      '--types',
      TYPES,
      '--yes',
      '--json',
    ]);

    expect(outcome(result, 1)).toEqual({ code: 1, stderr: '' });
    const failedLines = result.stderr
      .split('\n')
      .filter((line) => / failed: /.test(line) && !/^error/.test(line));
    expect(failedLines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^users ${String(conflicting['id'])} \\(.+\\): recreate failed: .+ \\(Graph code (Request_BadRequest|ObjectConflict)\\)$`,
        ),
      ),
    ]);
    expect(result.stderr).toMatch(/^error: restore \S+ partial: 1 action failed/m);
    const lines = jsonLines(result.stdout);
    expect(lines[lines.length - 1]).toMatchObject({
      status: 'partial',
      counts: { restoredDeleted: 1, updated: 1, failed: 1 },
    });
    const after = await tenant.truth('users');
    expect(after.filter((u) => u['userPrincipalName'] === conflicting['userPrincipalName'])).toEqual([
      expect.objectContaining({ id: squatter['id'] }),
    ]);
    expect(after.find((u) => u['id'] === softDeleted['id'])).toBeDefined();
    expect(after.find((u) => u['id'] === changed['id'])).toMatchObject({
      department: changed['department'],
    });
  });

  it('prints the temporary password of a re-created user once, and keeps it nowhere', async () => {
    const victim = (await tenant.writableUsers())[7]!;
    const snapshotId = await tenant.backup();
    await tenant.hardDelete(victim);
    log.clear();

    const result = await lab.run([
      'restore',
      tenant.id,
      '--snapshot',
      snapshotId,
      '--types',
      TYPES,
      '--yes',
      '--json',
    ]);

    expect(outcome(result, 0)).toEqual({ code: 0, stderr: '' });
    const lines = jsonLines(result.stdout);
    const credentials = lines.filter((line) => 'credential' in line);
    const last = lines[lines.length - 1]!;
    const newId = (last['idMap'] as Record<string, string>)[String(victim['id'])];
    expect(credentials).toEqual([
      {
        credential: {
          id: victim['id'],
          newId,
          userPrincipalName: victim['userPrincipalName'],
          temporaryPassword: expect.stringMatching(/^.{16}$/),
        },
      },
    ]);
    const password = (credentials[0]!['credential'] as { temporaryPassword: string }).temporaryPassword;
    expect(result.stdout.split(password)).toHaveLength(2);
    expect(result.stderr).not.toContain(password);
    // The restore did write through the log, so the dry run's empty write log above means something.
    expect(log.writes()).toContainEqual(expect.objectContaining({ method: 'POST', path: '/users' }));
    // Not in the database (SQLite file, WAL and all) nor anywhere else under the data directory.
    const needle = Buffer.from(password, 'utf8');
    const holding: string[] = [];
    for (const file of await filesUnder(lab.dataDir))
      if ((await readFile(file)).includes(needle)) holding.push(file);
    expect(holding).toEqual([]);
    expect(await filesUnder(lab.dataDir)).toContainEqual(expect.stringMatching(/\.sqlite$/));
    // Shown once: the restore's listing does not hold it.
    expect((await lab.run(['restores', tenant.id, '--json'])).stdout).not.toContain(password);
    const restoreId = String(last['restoreId']);
    const again = await lab.run(['restore-credentials', restoreId, '--json']);
    expect({ code: again.code, stdout: again.stdout }).toEqual({ code: 1, stdout: '' });
    expect(again.stderr).toContain('no temporary passwords left');
  });

  /**
   * Takes a user out of every group, ownership and management line, so that a failed re-creation
   * leaves nothing that waits for it (links to it would be retried as replication delays).
   */
  async function withoutRelationships(user: Json): Promise<void> {
    const id = String(user['id']);
    const graph = lab.graph();
    for (const group of await tenant.truth('groups')) {
      for (const relation of ['members', 'owners'] as const) {
        if ((group[relation] as Array<{ id: string }>).some((m) => m.id === id))
          await graph.delete(`/groups/${String(group['id'])}/${relation}/${id}/$ref`);
      }
    }
    if (user['manager'] !== null) await graph.delete(`/users/${id}/manager/$ref`);
    for (const report of await tenant.truth('users')) {
      if ((report['manager'] as { id?: string } | null)?.id === id)
        await graph.delete(`/users/${String(report['id'])}/manager/$ref`);
    }
    // Phone and email authentication methods come back with a re-created user, like its links.
    for (const method of await tenant.truth('authenticationMethods')) {
      if (method['userId'] !== id) continue;
      const kind = {
        '#microsoft.graph.phoneAuthenticationMethod': 'phoneMethods',
        '#microsoft.graph.emailAuthenticationMethod': 'emailMethods',
      }[String(method['@odata.type'])];
      if (kind !== undefined)
        await graph.delete(`/users/${id}/authentication/${kind}/${String(method['id'])}`);
    }
  }
});

describe('entra-backup restore into a tenant that granted only read permissions', () => {
  const log = new GraphRequestLog();
  let lab: BackupLab;
  let control: EmulatorControl;

  beforeAll(async () => {
    lab = await BackupLab.start({ users: 30, directory: log.directory, appRoles: requiredReadPermissions() });
    control = new EmulatorControl(lab.emulator);
    await lab.registerTenant(TYPES);
  });

  afterAll(async () => {
    await control.close();
    await lab.dispose();
  });

  it('refuses before any write, naming the missing permission', async () => {
    const backup = await lab.run(['backup', lab.tenantId, '--json']);
    expect(outcome(backup, 0)).toEqual({ code: 0, stderr: '' });
    const user = (await control.truth(lab.tenantId, 'users')).find(
      (u) => u['onPremisesSyncEnabled'] !== true,
    )!;
    // An admin deletes a user in the portal; the app itself could not.
    await control.change(lab.tenantId, { action: 'delete', collection: 'users', id: user['id'] });
    log.clear();

    const result = await lab.run([
      'restore',
      lab.tenantId,
      '--snapshot',
      'latest',
      '--types',
      TYPES,
      '--yes',
    ]);

    expect(outcome(result, 1)).toEqual({ code: 1, stderr: '' });
    expect(result.stderr).toMatch(/^error: .*User\.ReadWrite\.All/m);
    expect(log.all().length).toBeGreaterThan(0);
    expect(log.writes()).toEqual([]);
    expect((await control.truth(lab.tenantId, 'users')).map((u) => u['id'])).not.toContain(user['id']);
  });
});
