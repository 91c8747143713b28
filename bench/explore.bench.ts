/**
 * Browse benchmark:
 * `node -r ./test/robustness/support/swc-register.cjs bench/explore.bench.ts --users 100000`.
 *
 * Starts the Graph emulator in this process with a generated tenant of that many users, backs up
 * its users with the CLI (in this process, as `backup.bench.ts --in-process` does), then starts
 * the API's application context on the same data directory and times, server-side (the browse
 * service's answer, without HTTP), on that snapshot:
 *   - browse: the first page of 50 users sorted by display name, by department descending, and by
 *     creation date (a column without a sort index),
 *   - search by name (a substring of a display name), by UPN prefix, and by id,
 *   - a filter (disabled accounts).
 * Each figure is the median of several runs after one warm-up; the target is ≤ 300 ms each.
 * Results go to stdout and `bench-results/explore-<users>-<time>.json`. `--keep` keeps the data
 * directory; `--data-dir DIR` measures again on a kept one (no emulator, no backup);
 * `--database-url postgres://...` runs on PostgreSQL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowseObjectsQuery } from '@entra-backup/common';
import { startEmulator } from '@entra-backup/graph-emulator';
import { type AppConfig, loadAppConfig } from '../apps/api/src/config/app-config';
import { TenantRepository } from '../apps/api/src/persistence/repositories/tenant.repository';
import { createApp } from '../apps/api/src/bootstrap';
import { BrowseService } from '../apps/api/src/modules/browse/browse.service';
import { requiredAppRoles } from '../apps/api/src/modules/exporters/permissions';
import { run } from '../apps/cli/src/cli';
import { fail, log } from './support/cli-process';

const ROOT = join(__dirname, '..');
const RUNS = 7;
const TARGET_MS = 300;

interface Args {
  readonly users: number;
  readonly out: string;
  readonly database: string | undefined;
  readonly dataDir: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(name);
    return index === -1 ? undefined : argv[index + 1];
  };
  const users = Number(value('--users') ?? 100_000);
  if (!Number.isInteger(users) || users < 10 || users > 1_000_000)
    fail('--users must be an integer from 10 to 1000000');
  return {
    users,
    out: value('--out') ?? join(ROOT, 'bench-results'),
    database: value('--database-url'),
    dataDir: value('--data-dir'),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.dataDir !== undefined) return remeasure(args, args.dataDir);
  const work = await mkdtemp(join(tmpdir(), 'entra-backup-explore-'));
  const dataDir = join(work, 'data');
  await mkdir(dataDir);
  const clientId = randomUUID();
  const clientSecret = `Bench~${randomBytes(24).toString('base64url')}`;
  const roles = requiredAppRoles();
  const emulator = await startEmulator({
    port: 0,
    dataDir: join(work, 'emulator'),
    tenants: 1,
    usersPerTenant: args.users,
    seed: 1,
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
  const [tenantId] = emulator.world.listTenants().map((t) => t.tenantId) as [string];
  emulator.world.applyAdminConsent(tenantId, { appId: clientId, displayName: 'Entra Backup (bench)' }, roles);
  process.env['NODE_EXTRA_CA_CERTS'] = emulator.caCertPath;
  const config = loadAppConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    ENTRA_BACKUP_DATA_DIR: dataDir,
    ENTRA_BACKUP_PORTAL_DIR: join(dataDir, 'no-portal'),
    GRAPH_BASE_URL: emulator.graphBaseUrl,
    LOGIN_BASE_URL: emulator.loginBaseUrl,
    AZURE_CLIENT_ID: clientId,
    AZURE_CLIENT_SECRET: clientSecret,
    ENTRA_BACKUP_CA_FILE: emulator.caCertPath,
    ...(args.database === undefined ? {} : { DATABASE_URL: args.database }),
  });
  const cli = async (argv: string[]): Promise<string> => {
    let stdout = '';
    let stderr = '';
    const code = await run(
      argv,
      { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
      { config, actor: 'cli:bench' },
    );
    if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}: ${stderr.trim()}`);
    return stdout;
  };
  try {
    log(`emulator with ${args.users} users; backing up users...`);
    await cli(['tenant', 'add', tenantId, '--name', 'Bench tenant']);
    await cli(['settings', 'consent', tenantId]);
    await cli(['settings', 'set', tenantId, '--enable', 'users']);
    const started = performance.now();
    await cli(['backup', tenantId, '--json']);
    log(`backup of users: ${Math.round(performance.now() - started)} ms`);

    await measure(config, tenantId, args);
  } finally {
    await emulator.stop();
    if (process.argv.includes('--keep')) log(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

/** Times the browse service on the backed-up snapshot and writes the results. */
async function measure(config: AppConfig, tenantId: string, args: Args): Promise<void> {
  const app = await createApp(config);
  await app.init();
  try {
    const browse = app.get(BrowseService);
    const page = (query: Partial<BrowseObjectsQuery>) =>
      browse.listObjects(tenantId, 'latest', 'users', { page: 1, pageSize: 50, ...query });
    const first = await page({ sort: 'displayName' });
    const sample = first.items[Math.floor(first.items.length / 2)]!;
    const name = String(sample.values['displayName']);
    const upn = String(sample.values['userPrincipalName']);
    const cases: Array<[string, Partial<BrowseObjectsQuery>]> = [
      ['browse: first page sorted by display name', { sort: 'displayName' }],
      ['browse: first page sorted by department, descending', { sort: 'department', order: 'desc' }],
      ['browse: page 100 sorted by UPN', { sort: 'userPrincipalName', page: 100 }],
      // Only the first five columns have a sort index: the others sort the visible rows.
      ['browse: first page sorted by creation date', { sort: 'createdDateTime', order: 'desc' }],
      ['search by name', { search: name.split(' ')[0]!.slice(0, 6) }],
      ['search by UPN prefix', { search: upn.slice(0, 8) }],
      ['search by id', { search: sample.id }],
      ['search matching most users ("a")', { search: 'a' }],
      ['filter: disabled accounts', { filter: 'accountEnabled:false' }],
    ];
    const results: Array<{
      case: string;
      query: Partial<BrowseObjectsQuery>;
      medianMs: number;
      maxMs: number;
      total: number;
      met: boolean;
    }> = [];
    for (const [label, query] of cases) {
      let total = 0;
      await page(query);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        total = (await page(query)).total;
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const medianMs = Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
      const maxMs = Math.round(times[times.length - 1]! * 10) / 10;
      results.push({ case: label, query, medianMs, maxMs, total, met: medianMs <= TARGET_MS });
      log(`${label}: median ${medianMs} ms, max ${maxMs} ms (${total} matches)`);
    }
    // Not a target of the issue, measured for the record: the object page of one user, with
    // its relationships resolved both ways (manager, direct reports, groups, roles).
    const objectTimes: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const t0 = performance.now();
      await browse.getObject(tenantId, 'latest', 'users', 'users', sample.id);
      if (i > 0) objectTimes.push(performance.now() - t0);
    }
    objectTimes.sort((a, b) => a - b);
    const objectPageMs = Math.round(objectTimes[Math.floor(objectTimes.length / 2)]! * 10) / 10;
    log(`object page of a user: median ${objectPageMs} ms`);
    const result = {
      benchmark: 'explore',
      at: new Date().toISOString(),
      users: args.users,
      database: config.database.type,
      usersInSnapshot: first.total,
      targetMs: TARGET_MS,
      results,
      objectPageMs,
    };
    await mkdir(args.out, { recursive: true });
    const file = join(args.out, `explore-${args.users}-${result.at.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    log(`results in ${file}`);
  } finally {
    await app.close();
  }
}

/** `--data-dir DIR`: measure again on a data directory kept by an earlier run (`--keep`). */
async function remeasure(args: Args, dataDir: string): Promise<void> {
  const config = loadAppConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    ENTRA_BACKUP_DATA_DIR: dataDir,
    ENTRA_BACKUP_PORTAL_DIR: join(dataDir, 'no-portal'),
    ...(args.database === undefined ? {} : { DATABASE_URL: args.database }),
  });
  const probe = await createApp(config);
  const [tenant] = await probe.get(TenantRepository).listAll();
  await probe.close();
  if (tenant === undefined) fail(`no tenant in ${dataDir}`);
  await measure(config, tenant.id, args);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
