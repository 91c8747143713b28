/**
 * Backup benchmark: `npm run bench -- --users 100000 [--types k1,k2] [--in-process] [--seed 1]`.
 *
 * Starts the Graph emulator in this process with a generated tenant of that many users (groups,
 * devices, apps, logs in proportion), consents the app, and measures in one run:
 *   1. a raw drain of the same collections by a bare paging loop (the lower bound here),
 *   2. a full backup, 3. a backup with nothing changed, 4. an incremental backup after 1% of the
 *      directory objects changed (through the emulator's control API).
 * Backups run in a child process (the CLI compiled to plain JavaScript first, configured by
 * environment variables as in production) so their peak RSS excludes the emulator's and any
 * compiler's; `--in-process` runs them here instead. Results go to
 * stdout and `bench-results/backup-<users>-<time>.json`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { OBJECT_TYPE_KEYS, parseObjectTypeList, type ObjectTypeKey } from '@entra-backup/common';
import { startEmulator } from '@entra-backup/graph-emulator';
import { Agent, fetch } from 'undici';
import { loadAppConfig } from '../apps/api/src/config/app-config';
import { requiredAppRoles } from '../apps/api/src/modules/exporters/permissions';
import { run } from '../apps/cli/src/cli';
import { compileCli } from './compile';
import { rawDrain, type RawDrainResult } from './raw-drain';
import { restoreBench } from './restore.bench';
import { type CliRun, fail, launcherNodeFlags, log, MB, runCliChild } from './support/cli-process';

const ROOT = join(__dirname, '..');
/** Collections the "1% changed" step edits through the control API. */
const CHANGED_COLLECTIONS = [
  'users',
  'groups',
  'devices',
  'applications',
  'servicePrincipals',
  'administrativeUnits',
];

interface Args {
  readonly users: number;
  readonly seed: number;
  readonly types: ObjectTypeKey[];
  readonly inProcess: boolean;
  readonly out: string;
  /** NODE_OPTIONS for the backup child process, e.g. a heap cap to tell garbage-collector slack from live memory. */
  readonly childNodeOptions: string | undefined;
  /** Emulator time between the backups: the schedule's 12 hours by default, 0 for back to back. */
  readonly gapHours: number;
}

type Summary = Record<string, unknown> & {
  status: string;
  requests: number;
  minimumRequests?: number;
  retries: number;
  throttledWaits: number;
  throttledWaitMs: number;
  bytesStored: number;
  durationMs: number;
  counts: Record<string, number>;
  types?: Record<string, { requests: number }>;
};

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    return index === -1 ? undefined : argv[index + 1];
  };
  const withValue = new Set(['--users', '--seed', '--types', '--out', '--child-node-options', '--gap-hours']);
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (withValue.has(arg)) i += 1;
    else if (arg !== '--in-process') unknown.push(arg);
  }
  if (unknown.length > 0)
    fail(`unexpected argument ${unknown.join(', ')} (known: ${[...withValue, '--in-process'].join(', ')})`);
  const users = Number(value('--users') ?? 100_000);
  if (!Number.isInteger(users) || users < 10 || users > 1_000_000)
    fail('--users must be an integer from 10 to 1000000');
  const seed = Number(value('--seed') ?? 1);
  if (!Number.isInteger(seed)) fail('--seed must be an integer');
  const gapHours = Number(value('--gap-hours') ?? 12);
  if (!Number.isFinite(gapHours) || gapHours < 0 || gapHours > 24 * 6)
    fail('--gap-hours must be a number of hours from 0 to 144');
  const typeList = parseObjectTypeList(value('--types') ?? 'all');
  if (!typeList.ok)
    fail(`unknown object types: ${typeList.unknown.join(', ')} (known: all, ${OBJECT_TYPE_KEYS.join(', ')})`);
  return {
    users,
    seed,
    types: typeList.keys,
    inProcess: argv.includes('--in-process'),
    out: value('--out') ?? join(ROOT, 'bench-results'),
    childNodeOptions: value('--child-node-options'),
    gapHours,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const work = await mkdtemp(join(tmpdir(), 'entra-backup-bench-'));
  const dataDir = join(work, 'data');
  await mkdir(dataDir);
  let emulatorPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (emulatorPeak = Math.max(emulatorPeak, process.memoryUsage().rss)), 50);
  const clientId = randomUUID();
  const clientSecret = `Bench~${randomBytes(24).toString('base64url')}`;
  const roles = requiredAppRoles();

  const cliEntry = args.inProcess ? undefined : await compileCli(ROOT, join(args.out, '.cli-build'));
  // The node options the product's launcher (bin/entra-backup.js) runs the CLI with, unless
  // --child-node-options replaces them (command-line flags would override NODE_OPTIONS).
  const launcherFlags = args.childNodeOptions === undefined ? launcherNodeFlags(ROOT) : [];

  const startedEmulator = performance.now();
  const emulator = await startEmulator({
    port: 0,
    dataDir: join(work, 'emulator'),
    // Two tenants of the same size: the backups use the first, the raw drain the second, so the
    // audit entries one leaves behind (every BitLocker key read is audited) never add to the
    // logs the other reads.
    tenants: 2,
    usersPerTenant: args.users,
    seed: args.seed,
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
  const [tenantId, drainTenantId] = emulator.world.listTenants().map((t) => t.tenantId) as [string, string];
  for (const tenant of [tenantId, drainTenantId])
    emulator.world.applyAdminConsent(tenant, { appId: clientId, displayName: 'Entra Backup (bench)' }, roles);
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

  const cli = async (argv: string[]): Promise<CliRun> => {
    const started = performance.now();
    if (args.inProcess) {
      let stdout = '';
      let stderr = '';
      const config = loadAppConfig({
        ...env,
        NODE_EXTRA_CA_CERTS: undefined,
        ENTRA_BACKUP_CA_FILE: emulator.caCertPath,
      });
      const before = emulatorPeak;
      emulatorPeak = process.memoryUsage().rss;
      const code = await run(
        argv,
        { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
        { config, actor: 'cli:bench' },
      );
      const peak = Math.max(emulatorPeak, process.memoryUsage().rss);
      emulatorPeak = Math.max(before, peak);
      return {
        code,
        stdout,
        stderr,
        wallMs: Math.round(performance.now() - started),
        peakRssMb: Math.round(peak / MB),
      };
    }
    return runCliChild(
      {
        entry: cliEntry!,
        nodeFlags: launcherFlags,
        env,
        cwd: ROOT,
        probeFile: join(args.out, `.probe-${process.pid}.json`),
      },
      argv,
    );
  };

  const must = async (argv: string[]): Promise<CliRun> => {
    const result = await cli(argv);
    if (result.code !== 0)
      throw new Error(
        `${argv.join(' ')} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    return result;
  };

  const backup = async (label: string): Promise<{ run: CliRun; summary: Summary; dbBytes: number }> => {
    log(`${label} backup...`);
    const result = await must(['backup', tenantId, '--json']);
    const lines = result.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!) as Summary;
    const dbBytes = await databaseBytes(dataDir);
    log(
      `${label}: ${summary.status} in ${summary.durationMs} ms, ${summary.requests} requests, peak RSS ${result.peakRssMb} MB`,
    );
    return { run: result, summary, dbBytes };
  };

  try {
    log(`emulator with ${args.users} users started in ${emulatorStartMs} ms; tenant ${tenantId}`);
    await must(['tenant', 'add', tenantId, '--name', 'Bench tenant']);
    await must(['settings', 'consent', tenantId]);
    await must(['settings', 'set', tenantId, '--enable', args.types.join(',')]);

    log('raw drain...');
    const drain: RawDrainResult = await rawDrain(
      {
        graphBaseUrl: emulator.graphBaseUrl,
        loginBaseUrl: emulator.loginBaseUrl,
        tenantId: drainTenantId,
        clientId,
        clientSecret,
        caCertPem: emulator.caCertPem,
      },
      args.types,
      3,
    );
    log(`raw drain: ${drain.ms} ms, ${drain.requests} requests, ${drain.objects} objects`);

    // Scheduled backups run 12 hours apart: the emulator's clock moves on between the backups, so
    // each one sees the sign-ins and audits of that interval, as a scheduled run would.
    const advanceClock = async (): Promise<void> => {
      if (args.gapHours === 0) return;
      const response = await fetch(`${emulator.baseUrl}/_emulator/clock`, {
        method: 'POST',
        dispatcher: control,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceMs: Math.round(args.gapHours * 3_600_000) }),
      });
      if (!response.ok) throw new Error(`advancing the emulator clock: HTTP ${response.status}`);
      log(`emulator clock now ${((await response.json()) as { now: string }).now}`);
    };

    const full = await backup('full');
    await advanceClock();
    const unchanged = await backup('unchanged');
    let changed = 0;
    for (const collection of CHANGED_COLLECTIONS) {
      const response = await fetch(`${emulator.baseUrl}/_emulator/tenants/${tenantId}/changes`, {
        method: 'POST',
        dispatcher: control,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'changePercent', collection, percent: 1 }),
      });
      if (!response.ok)
        throw new Error(`changePercent ${collection}: HTTP ${response.status} ${await response.text()}`);
      changed += ((await response.json()) as { changed: number }).changed;
    }
    log(`changed ${changed} objects (1% of ${CHANGED_COLLECTIONS.join(', ')})`);
    await advanceClock();
    const incremental = await backup('incremental');

    const figures = (b: { run: CliRun; summary: Summary; dbBytes: number }) => ({
      status: b.summary.status,
      mode: b.summary['mode'],
      backupMs: b.summary.durationMs,
      wallMsWithProcessStart: b.run.wallMs,
      requests: b.summary.requests,
      /** Retries are mostly 429 answers from the reports limit (5 requests / 10 s), which the raw drain waits out too. */
      requestsWithoutRetries: b.summary.requests - b.summary.retries,
      minimumRequests: b.summary.minimumRequests,
      retries: b.summary.retries,
      throttledWaits: b.summary.throttledWaits,
      throttledWaitMs: b.summary.throttledWaitMs,
      bytesStored: b.summary.bytesStored,
      databaseBytesAfter: b.dbBytes,
      peakRssMb: b.run.peakRssMb,
      ...(b.run.atPeakMb === undefined ? {} : { atPeakMb: b.run.atPeakMb }),
      counts: b.summary.counts,
      requestsByType: Object.fromEntries(
        Object.entries(b.summary.types ?? {}).map(([type, figures]) => [type, figures.requests]),
      ),
    });
    const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
    const target = (value: number | null, limit: number) => ({
      value,
      target: limit,
      met: value !== null && value <= limit,
    });
    const peakBackupRss = Math.max(full.run.peakRssMb, unchanged.run.peakRssMb, incremental.run.peakRssMb);
    const result = {
      benchmark: 'backup',
      at: new Date().toISOString(),
      users: args.users,
      types: args.types,
      childNodeOptions: args.childNodeOptions ?? launcherFlags.join(' '),
      hoursBetweenBackups: args.gapHours,
      backupProcess: args.inProcess
        ? 'in-process (RSS includes the emulator)'
        : 'child process (RSS excludes the emulator)',
      machine: { cpus: cpus().length, node: process.version },
      emulator: { startMs: emulatorStartMs, peakRssMb: Math.round(emulatorPeak / MB) },
      rawDrain: drain,
      full: figures(full),
      // An unchanged directory still has new log entries: sign-ins keep happening, and the full
      // run's BitLocker key reads were each audited in the tenant (as Graph documents).
      unchanged: { ...figures(unchanged), logEntriesAdded: logGrowth(full.summary, unchanged.summary) },
      incremental: { ...figures(incremental), changedObjects: changed },
      targets: {
        fullVsRawDrainTime: target(ratio(full.summary.durationMs, drain.ms), 1.5),
        fullRequestsVsMinimum: target(ratio(full.summary.requests, drain.requests), 1.1),
        fullRequestsVsEngineMinimum: target(
          ratio(full.summary.requests, full.summary.minimumRequests ?? 0),
          1.1,
        ),
        peakBackupRssMb: target(peakBackupRss, 300),
        unchangedBytesVsFull: target(ratio(unchanged.summary.bytesStored, full.summary.bytesStored), 0.01),
        incrementalTimeVsFull: target(ratio(incremental.summary.durationMs, full.summary.durationMs), 0.1),
        incrementalRequestsVsFull: target(ratio(incremental.summary.requests, full.summary.requests), 0.1),
      },
    };
    const json = JSON.stringify(result, null, 2);
    await mkdir(args.out, { recursive: true });
    const file = join(args.out, `backup-${args.users}-${result.at.replace(/[:.]/g, '-')}.json`);
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

function logGrowth(before: Summary, after: Summary): Record<string, number> {
  return Object.fromEntries(
    (['signInLogs', 'auditLogs'] as const)
      .filter((key) => after.counts[key] !== undefined)
      .map((key) => [key, (after.counts[key] ?? 0) - (before.counts[key] ?? 0)]),
  );
}

async function databaseBytes(dataDir: string): Promise<number> {
  let total = 0;
  for (const name of ['entra-backup.sqlite', 'entra-backup.sqlite-wal']) {
    total += await stat(join(dataDir, name)).then(
      (s) => s.size,
      () => 0,
    );
  }
  return total;
}

// `--restore` runs the restore benchmark (bench/restore.bench.ts) instead.
const argv = process.argv.slice(2);
(argv.includes('--restore') ? restoreBench(argv.filter((a) => a !== '--restore')) : main()).catch(
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
