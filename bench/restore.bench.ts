/**
 * Restore benchmark: `npm run bench -- --restore --users 10000 [--scenario both|disaster|plan]`.
 *
 * Starts the Graph emulator in this process (three tenants of `--users` users, a recorder in
 * front of its Graph router) and measures, with the CLI compiled to plain JavaScript and run as a
 * child process configured as in production:
 *   - disaster: a full backup, then 10% of the users and 5% of the groups deleted for good (with
 *     their memberships, ownerships and role assignments), then `restore --yes --json`: wall time,
 *     Graph reads and writes (per HTTP request: a `$batch` envelope is one), the fewest write
 *     requests Graph's documented batching allows for that disaster, the emulator's own write
 *     throughput, peak RSS;
 *   - plan: a full backup, 1% of the directory changed, an incremental backup, and
 *     `restore --dry-run --json` of the full snapshot with 1% changed again: plan time against
 *     incremental backup time.
 * Results go to stdout and `bench-results/restore-<users>-<time>.json`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectTypeKey } from '@entra-backup/common';
import { type CountersSnapshot, startEmulator, type TenantDirectory } from '@entra-backup/graph-emulator';
import { Agent, fetch } from 'undici';
import { requiredAppRoles } from '../apps/api/src/modules/exporters/permissions';
import { compileCli } from './compile';
import { accessToken } from './raw-drain';
import {
  checkLinks,
  type DirectoryFigures,
  type Disaster,
  directoryFigures,
  planDisaster,
} from './restore-disaster';
import { type CliRun, fail, launcherNodeFlags, log, MB, runCliChild } from './support/cli-process';
import { GraphTrafficRecorder, recordedDirectory } from './support/graph-traffic';

const ROOT = join(__dirname, '..');
/** What the disaster restore brings back (and what its tenant backs up). */
const DISASTER_TYPES: readonly ObjectTypeKey[] = ['users', 'groups', 'builtInRoles', 'customRoles'];
/** The directory types: what the plan scenario backs up and plans. */
const DIRECTORY_TYPES: readonly ObjectTypeKey[] = [
  'users',
  'groups',
  'builtInRoles',
  'customRoles',
  'appRegistrations',
  'enterpriseApps',
  'conditionalAccessPolicies',
  'adminUnits',
];
/** Collections of the directory types the "1% changed" step edits (control API `changePercent`). */
const PLAN_CHANGED_COLLECTIONS = [
  'users',
  'groups',
  'applications',
  'servicePrincipals',
  'administrativeUnits',
];
/** Graph's write limit per app and tenant as the emulator applies it: 3,000 per 150 s (a bucket). */
const WRITE_BURST = 3000;
const WRITES_PER_SECOND = 3000 / 150;
/** The product's Graph client: requests in flight per tenant (libs/graph `maxConcurrency`). */
const CLIENT_CONCURRENCY = 4;

type Scenario = 'disaster' | 'plan';

interface Args {
  readonly users: number;
  readonly seed: number;
  readonly scenarios: readonly Scenario[];
  readonly userPercent: number;
  readonly groupPercent: number;
  readonly changePercent: number;
  readonly out: string;
  readonly childNodeOptions: string | undefined;
}

type BackupSummary = Record<string, unknown> & {
  snapshotId: string;
  status: string;
  requests: number;
  durationMs: number;
  counts: Record<string, number>;
};

interface PlanSummary {
  readonly planned: number;
  readonly byAction: Record<string, number>;
  readonly unrecoverable: unknown[];
}

interface RestoreResult {
  readonly restoreId: string | null;
  readonly status: string;
  readonly counts: Record<string, number>;
  readonly idMap?: Record<string, string>;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    return index === -1 ? undefined : argv[index + 1];
  };
  const withValue = [
    '--users',
    '--seed',
    '--scenario',
    '--user-percent',
    '--group-percent',
    '--change-percent',
    '--out',
    '--child-node-options',
  ];
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (withValue.includes(argv[i]!)) i += 1;
    else unknown.push(argv[i]!);
  }
  if (unknown.length > 0)
    fail(`unexpected argument ${unknown.join(', ')} (known with --restore: ${withValue.join(', ')})`);
  const users = Number(value('--users') ?? 10_000);
  if (!Number.isInteger(users) || users < 100 || users > 1_000_000)
    fail('--users must be an integer from 100 to 1000000');
  const seed = Number(value('--seed') ?? 1);
  if (!Number.isInteger(seed)) fail('--seed must be an integer');
  const percent = (name: string, fallback: number): number => {
    const n = Number(value(name) ?? fallback);
    if (!Number.isFinite(n) || n <= 0 || n > 100) fail(`${name} must be a percentage above 0, up to 100`);
    return n;
  };
  const scenario = value('--scenario') ?? 'both';
  if (!['both', 'disaster', 'plan'].includes(scenario)) fail('--scenario must be both, disaster or plan');
  return {
    users,
    seed,
    scenarios: scenario === 'both' ? ['disaster', 'plan'] : [scenario as Scenario],
    userPercent: percent('--user-percent', 10),
    groupPercent: percent('--group-percent', 5),
    changePercent: percent('--change-percent', 1),
    out: value('--out') ?? join(ROOT, 'bench-results'),
    childNodeOptions: value('--child-node-options'),
  };
}

/** Runs the restore benchmark; `argv` are the benchmark's arguments without `--restore`. */
export async function restoreBench(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv);
  const work = await mkdtemp(join(tmpdir(), 'entra-backup-restore-bench-'));
  const dataDir = join(work, 'data');
  await mkdir(dataDir);
  await mkdir(args.out, { recursive: true });
  let emulatorPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (emulatorPeak = Math.max(emulatorPeak, process.memoryUsage().rss)), 50);
  const clientId = randomUUID();
  const clientSecret = `Bench~${randomBytes(24).toString('base64url')}`;
  const roles = requiredAppRoles();
  const cliEntry = await compileCli(ROOT, join(args.out, '.cli-build'));
  const launcherFlags = args.childNodeOptions === undefined ? launcherNodeFlags(ROOT) : [];

  const recorder = new GraphTrafficRecorder();
  const startedEmulator = performance.now();
  const emulator = await startEmulator({
    port: 0,
    dataDir: join(work, 'emulator'),
    // One tenant per scenario, and one for measuring the emulator's own write throughput.
    tenants: 3,
    usersPerTenant: args.users,
    seed: args.seed,
    directory: recordedDirectory(recorder),
    apps: [
      {
        clientId,
        clientSecret,
        displayName: 'Entra Backup (bench)',
        redirectUris: ['http://localhost:3000/api/consent/callback'],
        requiredAppRoles: roles,
      },
    ],
  });
  const emulatorStartMs = Math.round(performance.now() - startedEmulator);
  const tenants = emulator.world.listTenants();
  const [disasterTenant, planTenant, scratchTenant] = tenants as [
    (typeof tenants)[number],
    (typeof tenants)[number],
    (typeof tenants)[number],
  ];
  for (const tenant of tenants)
    emulator.world.applyAdminConsent(
      tenant.tenantId,
      { appId: clientId, displayName: 'Entra Backup (bench)' },
      roles,
    );
  const control = new Agent({ connect: { ca: emulator.caCertPem } });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NODE_ENV: 'production',
    ENTRA_BACKUP_DATA_DIR: dataDir,
    GRAPH_BASE_URL: emulator.graphBaseUrl,
    LOGIN_BASE_URL: emulator.loginBaseUrl,
    AZURE_CLIENT_ID: clientId,
    AZURE_CLIENT_SECRET: clientSecret,
    NODE_EXTRA_CA_CERTS: emulator.caCertPath,
    ...(args.childNodeOptions === undefined ? {} : { NODE_OPTIONS: args.childNodeOptions }),
  };
  const child = {
    entry: cliEntry,
    nodeFlags: launcherFlags,
    env,
    cwd: ROOT,
    probeFile: join(args.out, `.probe-${process.pid}.json`),
  };
  const cli = (command: string[], onStderr?: (text: string) => void): Promise<CliRun> =>
    runCliChild(child, command, onStderr);
  const must = async (command: string[]): Promise<CliRun> => {
    const result = await cli(command);
    if (result.code !== 0)
      throw new Error(
        `${command.join(' ')} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    return result;
  };
  const backup = async (tenantId: string, label: string) => {
    log(`${label} backup...`);
    recorder.start(tenantId);
    const run = await must(['backup', tenantId, '--json']);
    const traffic = recorder.stop();
    const summary = JSON.parse(lastLine(run.stdout)) as BackupSummary;
    log(
      `${label}: ${summary.status} (${String(summary['mode'])}) in ${summary.durationMs} ms, ` +
        `${summary.requests} requests, peak RSS ${run.peakRssMb} MB`,
    );
    return {
      summary,
      figures: {
        status: summary.status,
        mode: summary['mode'],
        backupMs: summary.durationMs,
        wallMsWithProcessStart: run.wallMs,
        requests: summary.requests,
        graphHttpRequests: traffic.httpRequests,
        peakRssMb: run.peakRssMb,
        ...(run.atPeakMb === undefined ? {} : { atPeakMb: run.atPeakMb }),
        counts: summary.counts,
      },
    };
  };
  const changes = async (
    tenantId: string,
    body: Record<string, unknown>,
  ): Promise<Record<string, unknown>> => {
    const response = await fetch(`${emulator.baseUrl}/_emulator/tenants/${tenantId}/changes`, {
      method: 'POST',
      dispatcher: control,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(
        `${String(body['action'])} ${String(body['collection'])}: HTTP ${response.status} ${await response.text()}`,
      );
    return (await response.json()) as Record<string, unknown>;
  };
  const directory = (tenantId: string): TenantDirectory => emulator.world.directory(tenantId)!;

  const result: Record<string, unknown> = {
    benchmark: 'restore',
    at: new Date().toISOString(),
    users: args.users,
    seed: args.seed,
    childNodeOptions: args.childNodeOptions ?? launcherFlags.join(' '),
    machine: { cpus: cpus().length, node: process.version },
  };
  const targets: Record<string, unknown> = {};

  try {
    log(`emulator with 3 tenants of ${args.users} users started in ${emulatorStartMs} ms`);

    if (args.scenarios.includes('plan')) {
      const tenantId = planTenant.tenantId;
      await must(['tenant', 'add', tenantId, '--name', 'Plan bench tenant']);
      await must(['settings', 'consent', tenantId]);
      await must(['settings', 'set', tenantId, '--enable', DIRECTORY_TYPES.join(',')]);
      const full = await backup(tenantId, 'plan scenario: full');
      const changePercent = async (): Promise<number> => {
        let changed = 0;
        for (const collection of PLAN_CHANGED_COLLECTIONS)
          changed += Number(
            (await changes(tenantId, { action: 'changePercent', collection, percent: args.changePercent }))[
              'changed'
            ],
          );
        return changed;
      };
      const changedFirst = await changePercent();
      log(
        `changed ${changedFirst} objects (${args.changePercent}% of ${PLAN_CHANGED_COLLECTIONS.join(', ')})`,
      );
      const incremental = await backup(tenantId, 'plan scenario: incremental');
      // The same objects change again, so the plan's own backup of the target sees as much change
      // as the incremental backup did; the plan compares the full snapshot with it.
      const changedSecond = await changePercent();
      log('restore --dry-run...');
      recorder.start(tenantId);
      const dry = await cli([
        'restore',
        tenantId,
        '--snapshot',
        full.summary.snapshotId,
        '--types',
        DIRECTORY_TYPES.join(','),
        '--dry-run',
        '--json',
      ]);
      const dryTraffic = recorder.stop();
      const lines = dry.stdout.trim().split('\n');
      const planSummary = dry.code === 0 ? (parseLine(lines[lines.length - 1]) as PlanSummary | null) : null;
      log(
        planSummary === null
          ? `dry run FAILED (exit ${dry.code}) after ${dry.wallMs} ms, peak RSS ${dry.peakRssMb} MB: ${errorOf(dry)}`
          : `dry run: ${planSummary.planned} actions in ${dry.wallMs} ms, peak RSS ${dry.peakRssMb} MB`,
      );
      result['plan'] = {
        types: DIRECTORY_TYPES,
        changedObjects: { beforeIncrementalBackup: changedFirst, beforeDryRun: changedSecond },
        fullBackup: full.figures,
        incrementalBackup: incremental.figures,
        dryRun: {
          exitCode: dry.code,
          ...(dry.signal === undefined ? {} : { signal: dry.signal }),
          ...(planSummary === null ? { error: errorOf(dry) } : {}),
          wallMsWithProcessStart: dry.wallMs,
          peakRssMb: dry.peakRssMb,
          ...(dry.atPeakMb === undefined ? {} : { atPeakMb: dry.atPeakMb }),
          ...(planSummary === null
            ? {}
            : {
                actionLines: lines.length - 1,
                planned: planSummary.planned,
                byAction: planSummary.byAction,
                unrecoverable: planSummary.unrecoverable.length,
              }),
          graphRequests: {
            total: dryTraffic.httpRequests,
            reads: dryTraffic.reads,
            writes: dryTraffic.writes.requests,
          },
        },
      };
      targets['planTimeVsIncrementalBackup'] = target(
        planSummary === null ? null : ratio(dry.wallMs, incremental.figures.wallMsWithProcessStart),
        2,
      );
      targets['dryRunPeakRssMb'] = target(dry.peakRssMb, 300, planSummary === null);
    }

    if (args.scenarios.includes('disaster')) {
      const tenantId = disasterTenant.tenantId;
      const t = directory(tenantId);
      await must(['tenant', 'add', tenantId, '--name', 'Disaster bench tenant']);
      await must(['settings', 'consent', tenantId]);
      await must(['settings', 'set', tenantId, '--enable', DISASTER_TYPES.join(',')]);
      const full = await backup(tenantId, 'disaster scenario: full');
      const beforeDisaster = directoryFigures(t);
      const disaster = planDisaster(t, args.userPercent, args.groupPercent);
      const disasterMs = await strike(disaster, t, (body) => changes(tenantId, body));
      const afterDisaster = directoryFigures(t);
      log(
        `disaster: ${disaster.userIds.length} users and ${disaster.groupIds.length} groups deleted for good ` +
          `in ${disasterMs} ms; the fewest write requests to undo it: ${disaster.minimum.requests}`,
      );

      log('restore...');
      const before = emulator.counters.snapshot();
      const started = performance.now();
      const timeline: Record<string, number> = {};
      recorder.start(tenantId);
      let stderrTail = '';
      const run = await cli(
        [
          'restore',
          tenantId,
          '--snapshot',
          full.summary.snapshotId,
          '--types',
          DISASTER_TYPES.join(','),
          '--yes',
          '--json',
        ],
        (text) => {
          // Progress lines: the plan is done when the restore starts (then the pre-restore backup
          // and the writes follow).
          stderrTail = (stderrTail + text).slice(-10_000);
          if (timeline['planMs'] === undefined && /^restore \S+ started/m.test(stderrTail)) {
            timeline['planMs'] = Math.round(performance.now() - started);
            recorder.phase('execute');
          }
        },
      );
      const traffic = recorder.stop();
      const counters = countersDelta(before, emulator.counters.snapshot());
      const afterRestore = directoryFigures(t);
      // Exit code 1 with a result line is a partial restore; without one the process died.
      const finished = parseLine(lastLine(run.stdout)) as RestoreResult | null;
      const restored = finished ?? {
        restoreId: null,
        status: `no result (exit ${run.code}): ${errorOf(run)}`,
        counts: {},
      };
      const links = checkLinks(t, disaster, restored.idMap ?? {});
      log(
        `restore: ${restored.status} in ${run.wallMs} ms (exit ${run.code}), ${traffic.writes.requests} write ` +
          `requests (${traffic.writes.items} items), ${traffic.reads.requests} read requests, peak RSS ${run.peakRssMb} MB`,
      );

      log('emulator write throughput...');
      const throughput = await writeThroughput({
        graphBaseUrl: emulator.graphBaseUrl,
        loginBaseUrl: emulator.loginBaseUrl,
        tenantId: scratchTenant.tenantId,
        domain: scratchTenant.defaultDomain,
        clientId,
        clientSecret,
        caCertPem: emulator.caCertPem,
        groupIds: writableGroups(directory(scratchTenant.tenantId), 20),
      });
      log(
        `emulator alone: ${throughput.userCreates.msPerEnvelope} ms per envelope of 20 user creates, ` +
          `${throughput.memberLinks.msPerEnvelope} ms per envelope of 20 member links (${CLIENT_CONCURRENCY} in flight)`,
      );

      const m = disaster.minimum;
      const createEnvelopes = Math.ceil((m.userCreates + m.groupCreates) / 20);
      const linkEnvelopes = m.requests - createEnvelopes;
      const atThroughputMs = Math.round(
        createEnvelopes * throughput.userCreates.msPerEnvelope +
          linkEnvelopes * throughput.memberLinks.msPerEnvelope,
      );
      const writeLimitFloor = (items: number) =>
        Math.round((Math.max(0, items - WRITE_BURST) / WRITES_PER_SECOND) * 1000);
      const throttleFloorMs = writeLimitFloor(m.items);
      const expectedMs = Math.max(atThroughputMs, throttleFloorMs);
      // Write items the engine sent, each once (without the attempts answered 429).
      const distinctItems = traffic.writes.items - (traffic.writes.statuses['429'] ?? 0);
      const planPhase = traffic.phases['start'];
      const executePhase = traffic.phases['execute'];
      result['disaster'] = {
        types: DISASTER_TYPES,
        fullBackup: full.figures,
        disaster: {
          deletedUsers: disaster.userIds.length,
          deletedGroups: disaster.groupIds.length,
          synchronisedFromOnPremises: disaster.synchronised,
          ms: disasterMs,
        },
        directory: {
          beforeDisaster,
          afterDisaster,
          afterRestore,
          missingAfterRestore: missing(beforeDisaster, afterRestore),
          lostLinksRestored: links,
        },
        restore: {
          exitCode: run.code,
          ...(run.signal === undefined ? {} : { signal: run.signal }),
          status: restored.status,
          counts: restored.counts,
          recreatedIds: Object.keys(restored.idMap ?? {}).length,
          wallMsWithProcessStart: run.wallMs,
          planMs: timeline['planMs'] ?? null,
          preRestoreBackupAndWritesMs:
            timeline['planMs'] === undefined ? null : run.wallMs - timeline['planMs'],
          writeWindowMs: traffic.writes.windowMs,
          peakRssMb: run.peakRssMb,
          ...(run.atPeakMb === undefined ? {} : { atPeakMb: run.atPeakMb }),
          failures: failures(run.stderr),
        },
        graphRequests: {
          total: traffic.httpRequests,
          statuses: traffic.statuses,
          reads: {
            ...traffic.reads,
            planning: planPhase?.reads ?? null,
            preRestoreBackup: executePhase?.reads ?? null,
          },
          writes: traffic.writes,
          tokenRequests: counters.tokenRequests,
          throttledBatchItems: counters.throttledBatchItems,
          throttledRequests: counters.throttled,
          earlyRetries: counters.earlyRetries,
        },
        minimumWrites: { ...m, createEnvelopes, linkEnvelopes },
        emulatorWriteThroughput: throughput,
        expectedWriteTime: {
          note:
            "the minimum write requests at the emulator alone's time per envelope (" +
            `${CLIENT_CONCURRENCY} in flight), or the floor Graph's write limit sets on the minimum ` +
            `write items (${WRITE_BURST} at once, then ${WRITES_PER_SECOND} per second per app and tenant), ` +
            'whichever is longer',
          atEmulatorThroughputMs: atThroughputMs,
          writeLimitFloorMs: throttleFloorMs,
          expectedMs,
          writeWindowMs: traffic.writes.windowMs,
          writeWindowVsExpected: ratio(traffic.writes.windowMs, expectedMs),
          engineDistinctWriteItems: distinctItems,
          writeLimitFloorOfEngineItemsMs: writeLimitFloor(distinctItems),
        },
      };
      targets['restoreWriteRequestsVsMinimum'] = target(ratio(traffic.writes.requests, m.requests), 1.1);
      targets['restorePeakRssMb'] = target(run.peakRssMb, 300, finished === null);
    }

    result['emulator'] = { startMs: emulatorStartMs, peakRssMb: Math.round(emulatorPeak / MB) };
    result['targets'] = targets;
    const json = JSON.stringify(result, null, 2);
    const file = join(args.out, `restore-${args.users}-${String(result['at']).replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${json}\n`);
    process.stdout.write(`${json}\n`);
    log(`written to ${file}`);
  } finally {
    clearInterval(sampler);
    await control.close();
    await emulator.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The disaster: every victim deleted as a Global Administrator in the portal would (the control
 * API acts as one, so privileged users can be deleted too), then purged from the recycle bin.
 * Deleting a principal removes its memberships, ownerships and role assignments; security groups
 * are deleted for good at once. Purging goes through the emulator's directory (this process hosts
 * it), so the benchmark app's write limit is untouched when the restore starts.
 */
async function strike(
  disaster: Disaster,
  t: TenantDirectory,
  change: (body: Record<string, unknown>) => Promise<unknown>,
): Promise<number> {
  const started = performance.now();
  for (const [collection, ids] of [
    ['users', disaster.userIds],
    ['groups', disaster.groupIds],
  ] as const) {
    for (const id of ids) {
      await change({ action: 'delete', collection, id });
      if (t.deletedItem(id) !== undefined) t.purge(id);
    }
  }
  return Math.round(performance.now() - started);
}

/** Up to `count` groups whose members a client may write (not dynamic, not synchronised). */
function writableGroups(t: TenantDirectory, count: number): string[] {
  const out: string[] = [];
  const groups = t.collection('groups');
  for (let i = 0; i < groups.positions && out.length < count; i++) {
    const group = groups.at(i);
    if (!group || group['onPremisesSyncEnabled'] === true) continue;
    if (Array.isArray(group['groupTypes']) && group['groupTypes'].includes('DynamicMembership')) continue;
    out.push(String(group['id']));
  }
  return out;
}

interface ThroughputTarget {
  readonly graphBaseUrl: string;
  readonly loginBaseUrl: string;
  readonly tenantId: string;
  readonly domain: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly caCertPem: string;
  readonly groupIds: readonly string[];
}

interface EnvelopeTiming {
  readonly envelopes: number;
  readonly items: number;
  readonly failedItems: number;
  readonly ms: number;
  /** Wall time per envelope with `CLIENT_CONCURRENCY` envelopes in flight. */
  readonly msPerEnvelope: number;
}

/**
 * The emulator's write throughput alone, over the same HTTPS, in a tenant of its own: envelopes of
 * 20 user creates, then envelopes of 20 member links (`POST /groups/{id}/members/$ref`) of those
 * users, `CLIENT_CONCURRENCY` envelopes in flight as the product's client sends them. 1,000 writes:
 * under Graph's write limit, so nothing is throttled.
 */
async function writeThroughput(
  target: ThroughputTarget,
): Promise<{ userCreates: EnvelopeTiming; memberLinks: EnvelopeTiming }> {
  const envelopes = 25;
  const dispatcher = new Agent({ connect: { ca: target.caCertPem }, connections: CLIENT_CONCURRENCY });
  const token = await accessToken(target, dispatcher);
  const send = async (requests: Record<string, unknown>[]): Promise<unknown[]> => {
    const response = await fetch(`${target.graphBaseUrl}/v1.0/$batch`, {
      method: 'POST',
      dispatcher,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requests }),
    });
    const body = (await response.json()) as { responses?: { status: number; body?: unknown }[] };
    if (!response.ok) throw new Error(`$batch: HTTP ${response.status}`);
    return body.responses ?? [];
  };
  const timed = async (
    make: (envelope: number) => Record<string, unknown>[],
    onAnswer?: (answers: { status: number; body?: unknown }[]) => void,
  ): Promise<EnvelopeTiming> => {
    let next = 0;
    let failedItems = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENT_CONCURRENCY }, async () => {
        while (next < envelopes) {
          const envelope = next++;
          const answers = (await send(make(envelope))) as { status: number; body?: unknown }[];
          failedItems += answers.filter((a) => a.status >= 400).length;
          onAnswer?.(answers);
        }
      }),
    );
    const ms = performance.now() - started;
    return {
      envelopes,
      items: envelopes * 20,
      failedItems,
      ms: Math.round(ms),
      msPerEnvelope: Math.round((ms / envelopes) * 10) / 10,
    };
  };
  const created: string[] = [];
  try {
    const userCreates = await timed(
      (envelope) =>
        Array.from({ length: 20 }, (_, i) => {
          const n = envelope * 20 + i;
          return {
            id: String(i + 1),
            method: 'POST',
            url: '/users',
            headers: { 'content-type': 'application/json' },
            body: {
              accountEnabled: true,
              displayName: `Throughput ${n}`,
              mailNickname: `throughput${n}`,
              userPrincipalName: `throughput${n}@${target.domain}`,
              passwordProfile: {
                forceChangePasswordNextSignIn: true,
                password: `Tp-${randomBytes(9).toString('base64url')}1!`,
              },
            },
          };
        }),
      (answers) => {
        for (const a of answers) {
          const id = (a.body as { id?: unknown } | undefined)?.id;
          if (typeof id === 'string') created.push(id);
        }
      },
    );
    const memberLinks = await timed((envelope) =>
      Array.from({ length: 20 }, (_, i) => {
        const user = created[(envelope * 20 + i) % created.length]!;
        return {
          id: String(i + 1),
          method: 'POST',
          url: `/groups/${target.groupIds[i % target.groupIds.length]!}/members/$ref`,
          headers: { 'content-type': 'application/json' },
          body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${user}` },
        };
      }),
    );
    return { userCreates, memberLinks };
  } finally {
    await dispatcher.close();
  }
}

interface CountersFigures {
  readonly throttled: number;
  readonly throttledBatchItems: number;
  readonly earlyRetries: number;
  readonly tokenRequests: number;
}

function countersDelta(before: CountersSnapshot, after: CountersSnapshot): CountersFigures {
  const sum = (s: CountersSnapshot, test: (path: string) => boolean) =>
    s.routes.filter((r) => test(r.path)).reduce((n, r) => n + r.count, 0);
  const batchItems = (path: string) => path.endsWith('($batch item)');
  const token = (path: string) => path.includes('/oauth2/');
  return {
    throttled: after.throttled - before.throttled,
    throttledBatchItems: sum(after, batchItems) - sum(before, batchItems),
    earlyRetries: after.earlyRetries - before.earlyRetries,
    tokenRequests: sum(after, token) - sum(before, token),
  };
}

/** Failed actions as the CLI lists them on stderr, counted by type, action and Graph code. */
function failures(stderr: string): { byKind: Record<string, number>; samples: string[] } {
  const byKind: Record<string, number> = {};
  const samples: string[] = [];
  for (const line of stderr.split('\n')) {
    const match = /^(\S+) \S+(?: \(.*\))?: (\S+) failed: (.*)$/.exec(line);
    if (!match) continue;
    const code = /\(Graph code ([^)]+)\)$/.exec(match[3]!)?.[1] ?? 'unknown';
    const key = `${match[1]} ${match[2]} ${code}`;
    if (byKind[key] === undefined) samples.push(line.slice(0, 300));
    byKind[key] = (byKind[key] ?? 0) + 1;
  }
  return { byKind, samples: samples.slice(0, 10) };
}

function missing(before: DirectoryFigures, after: DirectoryFigures): Record<string, number> {
  return Object.fromEntries(
    Object.entries(before).map(([key, value]) => [key, value - after[key as keyof DirectoryFigures]]),
  );
}

/** A JSON line, or null (a process that died prints none). */
function parseLine(line: string | undefined): unknown {
  try {
    return line === undefined ? null : (JSON.parse(line) as unknown);
  } catch {
    return null;
  }
}

/** Why a command failed: the fatal error's line (e.g. V8's heap limit), or its last stderr line. */
function errorOf(run: CliRun): string {
  const lines = run.stderr.trim().split('\n');
  return (
    lines.find((l) => /FATAL ERROR|heap out of memory/i.test(l)) ??
    lines[lines.length - 1] ??
    ''
  ).trim();
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1]!;
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 1000) / 1000;
}

/** A figure against its goal; a command that died (e.g. at its heap limit) meets none. */
function target(value: number | null, limit: number, died = false) {
  return {
    value,
    target: limit,
    met: !died && value !== null && value <= limit,
    ...(died ? { note: 'the command died before finishing' } : {}),
  };
}
