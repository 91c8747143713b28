import type { ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { buildDataSourceOptions } from '../../apps/api/src/persistence/data-source-options';
import { BackupLab, collect } from './support/backup-lab';
import { ChaosSeed } from './support/chaos-seed';
import { EmulatorControl } from './support/emulator-control';
import { GraphRequestLog, isWrite } from './support/graph-request-log';

jest.setTimeout(240_000);

/** What the restore writes back; the backups cover the same types. */
const TYPES = 'users,groups,customRoles,appRegistrations';
const KILLS = 10;
/** Rounds of disaster and restore at most; a round ends when its restore does, kills or not. */
const MAX_ROUNDS = 4;
/** Added to every Graph request while the restore is killed and resumed, so kills land mid-run. */
const LATENCY = { latencyMs: 60, latencyJitterMs: 120 };
const MEAN_LATENCY_MS = LATENCY.latencyMs + LATENCY.latencyJitterMs / 2;

type Truth = Record<string, Array<Record<string, unknown>>>;

/** Collections compared between the interrupted and the uninterrupted restore. */
const COMPARED = [
  'users',
  'groups',
  'roleDefinitions',
  'roleAssignments',
  'applications',
  'deletedItems',
] as const;
/** Read to name the objects of the compared ones; holds each lab's own backup app, so not compared. */
const NAMING = ['servicePrincipals'] as const;

/** Set by the directory when an object is written, so they differ between two tenants written apart. */
const SERVER_SET = new Set([
  'createdDateTime',
  'deletedDateTime',
  'renewedDateTime',
  'lastPasswordChangeDateTime',
  'signInSessionsValidFromDateTime',
  'refreshTokensValidFromDateTime',
  'securityIdentifier',
  'passwordProfile',
]);

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A tenant's state with every id replaced by what names the object for a person (user principal
 * name, mail nickname, display name), so that a re-created object equals its twin re-created in
 * another tenant under another id. Ids of nothing in the compared collections stay as they are.
 */
function canonical(truth: Truth): Record<string, string[]> {
  const names = new Map<string, string>();
  const name = (id: unknown, label: string) => {
    if (typeof id === 'string') names.set(id.toLowerCase(), label);
  };
  for (const u of truth['users'] ?? []) name(u['id'], `user:${String(u['userPrincipalName'])}`);
  for (const g of truth['groups'] ?? []) name(g['id'], `group:${String(g['mailNickname'])}`);
  for (const r of truth['roleDefinitions'] ?? []) name(r['id'], `role:${String(r['displayName'])}`);
  for (const a of truth['applications'] ?? []) {
    name(a['id'], `application:${String(a['displayName'])}`);
    name(a['appId'], `appId:${String(a['displayName'])}`);
  }
  for (const s of truth['servicePrincipals'] ?? [])
    name(s['id'], `servicePrincipal:${String(s['displayName'])}`);
  // Assignments are told apart by what they connect; a re-created one has a new id.
  for (const a of truth['roleAssignments'] ?? []) name(a['id'], 'roleAssignment');
  for (const d of truth['deletedItems'] ?? [])
    name(d['id'], `deleted:${String(d['userPrincipalName'] ?? d['mailNickname'] ?? d['displayName'])}`);
  const out: Record<string, string[]> = {};
  for (const collection of COMPARED) {
    out[collection] = (truth[collection] ?? [])
      .map((object) => {
        const named = JSON.parse(
          JSON.stringify(object).replace(GUID, (id) => names.get(id.toLowerCase()) ?? id),
        ) as Record<string, unknown>;
        const kept = Object.entries(named)
          .filter(([key]) => !SERVER_SET.has(key))
          .map(([key, value]) => [key, Array.isArray(value) ? value.map(stringify).sort() : value]);
        return JSON.stringify(Object.fromEntries(kept));
      })
      .sort();
  }
  return out;
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Values of `key` held by more than one object. */
function duplicates(objects: ReadonlyArray<Record<string, unknown>>, key: string): string[] {
  const seen = new Map<string, number>();
  for (const o of objects) {
    const value = o[key];
    if (typeof value !== 'string') continue;
    seen.set(value.toLowerCase(), (seen.get(value.toLowerCase()) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([value]) => value);
}

/** Failed actions and the command's error, as the CLI prints them on stderr. */
function failures(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^error: |^\w+ \S+.*: \w+ failed: /.test(line));
}

function lastLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown>;
}

/** Objects in a stable order that does not depend on ids, so both labs pick the same victims. */
function byName(objects: Array<Record<string, unknown>>, key: string): Array<Record<string, unknown>> {
  return [...objects].sort((a, b) => (String(a[key]) < String(b[key]) ? -1 : 1));
}

/**
 * The same disaster in two tenants that hold the same objects (ids aside): users hard-deleted
 * (deleted, then purged from the recycle bin) and soft-deleted, properties changed, a security
 * group (deleted for good at once) and a Microsoft 365 group (recycle bin) deleted, members
 * removed, a custom role with its assignments and an application deleted for good. Users holding
 * a privileged role (directly or through a role-assignable group) are left alone: writing them
 * needs a Global Administrator, which the backup app is not.
 */
async function applyDisaster(lab: BackupLab, control: EmulatorControl): Promise<void> {
  const client = lab.graph();
  const truth = (collection: string) => control.truth(lab.tenantId, collection);
  const roleGroups = (await truth('groups')).filter((g) => g['isAssignableToRole'] === true);
  const privileged = new Set([
    ...(await truth('roleAssignments')).map((a) => String(a['principalId'])),
    ...roleGroups.flatMap((g) => (g['members'] as Array<{ id: string }>).map((m) => m.id)),
  ]);
  const users = byName(await truth('users'), 'userPrincipalName').filter(
    (u) => u['onPremisesSyncEnabled'] !== true && !privileged.has(String(u['id'])),
  );
  const purge = async (path: string, id: string) => {
    await client.delete(`${path}/${id}`);
    await client.delete(`/directory/deletedItems/${id}`);
  };
  for (const user of users.slice(10, 24)) await purge('/users', String(user['id']));
  for (const user of users.slice(24, 30)) await client.delete(`/users/${String(user['id'])}`);
  for (const user of users.slice(30, 36))
    await client.patch(`/users/${String(user['id'])}`, {
      jobTitle: 'Changed by the disaster',
      department: 'Nowhere',
    });

  // Read after the users went: deleted users are no longer members.
  const groups = byName(await truth('groups'), 'mailNickname');
  const plain = groups.filter(
    (g) =>
      Array.isArray(g['groupTypes']) &&
      g['groupTypes'].length === 0 &&
      g['onPremisesSyncEnabled'] !== true &&
      g['isAssignableToRole'] !== true,
  );
  const unified = groups.find((g) => Array.isArray(g['groupTypes']) && g['groupTypes'].includes('Unified'))!;
  // The security group is deleted for good (out of its recycle bin too), the Microsoft 365 group
  // waits in the recycle bin.
  await purge('/groups', String(plain[0]!['id']));
  await client.delete(`/groups/${String(unified['id'])}`);
  for (const group of plain.slice(1, 3)) {
    for (const member of (group['members'] as Array<{ id: string }>).slice(0, 3))
      await client.delete(`/groups/${String(group['id'])}/members/${member.id}/$ref`);
  }
  await client.patch(`/groups/${String(plain[3]!['id'])}`, { description: 'Changed by the disaster' });

  const customRole = byName(await truth('roleDefinitions'), 'displayName').find(
    (r) => r['isBuiltIn'] === false,
  )!;
  // Its assignments first, then the role, deleted for good (out of its recycle bin too).
  for (const assignment of await truth('roleAssignments')) {
    if (assignment['roleDefinitionId'] === customRole['id'])
      await client.delete(`/roleManagement/directory/roleAssignments/${String(assignment['id'])}`);
  }
  await client.delete(`/roleManagement/directory/roleDefinitions/${String(customRole['id'])}`);
  await client.delete(`/roleManagement/directory/deletedItems/roleDefinitions/${String(customRole['id'])}`);
  const application = byName(await truth('applications'), 'displayName')[1]!;
  await purge('/applications', String(application['id']));
}

interface RestoreRunLine {
  readonly restoreId: string;
  readonly planId: string;
  readonly status: string;
  readonly preRestoreSnapshotId: string | null;
  readonly counts: Record<string, number>;
}

describe('Restore killed at random points', () => {
  let lab: BackupLab;
  let reference: BackupLab;
  let control: EmulatorControl;
  let referenceControl: EmulatorControl;
  let database: DataSource;
  const log = new GraphRequestLog();

  beforeAll(async () => {
    // Two emulators generated from the same seed hold the same tenant (same ids): after the same
    // disaster, one restore runs through and the other is killed over and over.
    [lab, reference] = await Promise.all([
      BackupLab.start({ users: 120, directory: log.directory }),
      BackupLab.start({ users: 120 }),
    ]);
    control = new EmulatorControl(lab.emulator);
    referenceControl = new EmulatorControl(reference.emulator);
    await lab.registerTenant(TYPES);
    await reference.registerTenant(TYPES);
    const config = loadAppConfig({ ENTRA_BACKUP_DATA_DIR: lab.dataDir });
    database = new DataSource(buildDataSourceOptions(config.database));
    await database.initialize();
  });

  afterAll(async () => {
    await database.destroy();
    await control.close();
    await referenceControl.close();
    await lab.dispose();
    await reference.dispose();
  });

  async function state(each: BackupLab, eachControl: EmulatorControl): Promise<Truth> {
    const out: Truth = {};
    for (const collection of [...COMPARED, ...NAMING])
      out[collection] = await eachControl.truth(each.tenantId, collection);
    return out;
  }

  /** A backup, then the disaster: the argv of the restore of that backup. */
  async function prepare(each: BackupLab, eachControl: EmulatorControl): Promise<string[]> {
    const backup = await each.run(['backup', each.tenantId, '--json']);
    if (backup.code !== 0) throw new Error(`backup failed: ${backup.stderr}`);
    await applyDisaster(each, eachControl);
    const snapshotId = String(lastLine(backup.stdout)['snapshotId']);
    return ['restore', each.tenantId, '--snapshot', snapshotId, '--types', TYPES, '--yes', '--json'];
  }

  /** The tenant's newest restore, as `restores --json` shows it. */
  async function newestRestore(): Promise<RestoreRunLine> {
    const listed = await lab.run(['restores', lab.tenantId, '--json', '--limit', '1']);
    return JSON.parse(listed.stdout.split('\n')[0] ?? '') as RestoreRunLine;
  }

  /** Failed actions of a plan, as the database holds them (a killed process printed none). */
  async function failedActions(planId: string): Promise<string[]> {
    const rows = (await database.query(
      `SELECT "kind", "type_key", "object_id", "display_name", "link", "error_code", "error_message"
       FROM "restore_action" WHERE "plan_id" = ? AND "state" = 'failed'`,
      [planId],
    )) as Array<Record<string, string | null>>;
    return rows.map(
      (r) =>
        `${r['kind']} ${r['type_key']} ${r['object_id']} (${r['display_name']}) ${r['link'] ?? ''}: ` +
        `${r['error_code']} ${r['error_message']}`,
    );
  }

  /**
   * Kills `child` at a point given by an anchor, the moment the restore started (0) or the
   * answer to the anchor-th request carrying writes that Graph sent it, and a delay after it:
   * none (before the process can record the answer) or up to two latencies.
   */
  function killAt(child: ChildProcess, anchor: number, delayMs: number): () => void {
    let fired = false;
    let timer: NodeJS.Timeout | undefined;
    const fire = () => {
      if (fired) return;
      fired = true;
      if (delayMs === 0) child.kill('SIGKILL');
      else timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    let writes = 0;
    const unsubscribe = log.subscribe((request, items) => {
      if (anchor > 0 && (isWrite(request) || items.some(isWrite)) && ++writes === anchor) fire();
    });
    const onData = (text: Buffer) => {
      if (anchor === 0 && / started: \d+ actions/.test(text.toString())) fire();
    };
    child.stderr?.on('data', onData);
    return () => {
      unsubscribe();
      child.stderr?.off('data', onData);
      clearTimeout(timer);
    };
  }

  it('ends as an uninterrupted restore does, and creates nothing twice', async () => {
    const chaos = ChaosSeed.fromEnvironment('test/robustness/restore-kill.test.ts');
    let kills = 0;

    for (let round = 1; kills < KILLS && round <= MAX_ROUNDS; round++) {
      const context = `${chaos.context} round ${round}`;
      lab.emulator.faults.configure({});
      const [restoreArgv, referenceArgv] = [
        await prepare(lab, control),
        await prepare(reference, referenceControl),
      ];
      const uninterrupted = await reference.run(referenceArgv);
      expect({ context, code: uninterrupted.code, failures: failures(uninterrupted.stderr) }).toEqual({
        context,
        code: 0,
        failures: [],
      });
      const expected = lastLine(uninterrupted.stdout) as unknown as RestoreRunLine;
      // The disaster left something to re-create and something to take out of the recycle bins.
      expect(expected.counts['recreated']).toBeGreaterThanOrEqual(17);
      expect(expected.counts['restoredDeleted']).toBeGreaterThanOrEqual(7);

      lab.emulator.faults.configure({
        ...LATENCY,
        seed: chaos.int(`round ${round}: latency seed`, 1, 1_000_000),
      });
      const attempts: string[] = [];
      let restoreId: string | undefined;
      let finished = false;
      while (!finished && kills < KILLS) {
        const child = lab.spawn(
          restoreId === undefined ? restoreArgv : ['restore-resume', restoreId, '--yes', '--json'],
        );
        const done = collect(child);
        const kill = `round ${round} kill ${kills + 1}`;
        const anchor = chaos.int(`${kill}: anchor (0: start, n: n-th write)`, 0, 2);
        const delayMs = Math.max(
          0,
          chaos.int(`${kill}: delay ms (<= 0: at once)`, -MEAN_LATENCY_MS, 2 * MEAN_LATENCY_MS),
        );
        const stop = killAt(child, anchor, delayMs);
        const result = await done;
        stop();
        attempts.push(`${anchor}+${delayMs}ms: ${result.code} ${failures(result.stderr).join('; ')}`.trim());
        restoreId ??= (await newestRestore()).restoreId;
        if (result.code === 128) {
          kills += 1;
          // A kill after the last action was recorded finds the restore finished.
          finished = !['running', 'interrupted'].includes((await newestRestore()).status);
        } else {
          expect({ context, attempts, code: result.code }).toEqual({ context, attempts, code: 0 });
          finished = true;
        }
      }
      lab.emulator.faults.configure({});
      if (!finished) {
        const last = await lab.spawnToEnd(['restore-resume', restoreId!, '--yes', '--json']);
        attempts.push(`to the end: ${last.code} ${failures(last.stderr).join('; ')}`.trim());
        expect({ context, attempts, code: last.code }).toEqual({ context, attempts, code: 0 });
      }

      const run = await newestRestore();
      expect({
        context,
        attempts,
        restoreId: run.restoreId,
        status: run.status,
        counts: run.counts,
        failed: await failedActions(run.planId),
        // Taken before the first write, whichever attempt got that far: the restore can be undone.
        undo: typeof run.preRestoreSnapshotId,
      }).toEqual({
        context,
        attempts,
        restoreId,
        status: 'completed',
        counts: expected.counts,
        failed: [],
        undo: 'string',
      });

      const after = await state(lab, control);
      for (const [collection, key] of [
        ['users', 'userPrincipalName'],
        ['groups', 'mailNickname'],
        ['roleDefinitions', 'displayName'],
        ['applications', 'displayName'],
      ] as const) {
        expect({ context, attempts, collection, duplicates: duplicates(after[collection]!, key) }).toEqual({
          context,
          attempts,
          collection,
          duplicates: [],
        });
      }
      const canonicalAfter = canonical(after);
      const canonicalExpected = canonical(await state(reference, referenceControl));
      for (const collection of COMPARED) {
        const have = new Set(canonicalAfter[collection]);
        const want = new Set(canonicalExpected[collection]);
        expect({
          context,
          attempts,
          collection,
          missing: [...want].filter((o) => !have.has(o)),
          unexpected: [...have].filter((o) => !want.has(o)),
          count: canonicalAfter[collection]!.length,
        }).toEqual({
          context,
          attempts,
          collection,
          missing: [],
          unexpected: [],
          count: canonicalExpected[collection]!.length,
        });
      }
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
  });
});
