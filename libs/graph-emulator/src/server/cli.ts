import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SOFT_DELETE_TYPES, type SoftDeleteOptions, type SoftDeleteType } from '../directory/soft-delete';
import type { RegisteredApp } from '../identity/app-registry';
import { deterministicGuid, GLOBAL_ADMINISTRATOR_TEMPLATE_ID } from '../identity/token-service';
import type { FaultConfigInput } from '../platform/fault-injector';
import { startEmulator, type RunningEmulator } from './start-emulator';

/** Application permissions the demo app requests: read and restore for the 14 object types. */
export const DEMO_APP_ROLES = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'RoleManagement.Read.Directory',
  'RoleManagement.ReadWrite.Directory',
  'Application.Read.All',
  'Application.ReadWrite.All',
  'AppRoleAssignment.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All',
  'Policy.Read.All',
  'Policy.ReadWrite.ConditionalAccess',
  'Device.Read.All',
  'Device.ReadWrite.All',
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementConfiguration.ReadWrite.All',
  'AdministrativeUnit.Read.All',
  'AdministrativeUnit.ReadWrite.All',
  'AuditLog.Read.All',
  'BitlockerKey.Read.All',
];

export const DEFAULT_REDIRECT_URIS = [
  'http://localhost:3000/api/auth/callback',
  'http://localhost:3000/api/consent/callback',
];

export interface CliOptions {
  port: number;
  host: string;
  dataDir: string;
  seed: number;
  tenants: number;
  usersPerTenant: number;
  nonPremiumTenants: number[];
  softDelete: Partial<SoftDeleteOptions>;
  app: {
    clientId?: string;
    clientSecret?: string;
    displayName: string;
    redirectUris: string[];
    requiredAppRoles: string[];
  };
  faults: FaultConfigInput;
  /** When set, the control API answers only `Authorization: Bearer <controlToken>`. */
  controlToken?: string;
}

/** Thrown for bad command-line input: the entry point prints the message on one line and exits with 2. */
export class UsageError extends Error {}

const integer =
  (name: string, min: number, max: number) =>
  (value: string): number => {
    if (!/^-?\d+$/.test(value))
      throw new InvalidArgumentError(`${name} must be an integer between ${min} and ${max}.`);
    const n = Number(value);
    if (n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer between ${min} and ${max}.`);
    return n;
  };

const fraction =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
      throw new InvalidArgumentError(`${name} must be a number between 0 and 1.`);
    return n;
  };

const list = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
];

/** Parses `npm run emulator -- ...` arguments; throws `UsageError` with a one-line message on bad input. */
export function parseCliArgs(argv: string[], cwd: string): CliOptions {
  const program = new Command('emulator')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) })
    .allowExcessArguments(false)
    .description('Microsoft identity platform + Microsoft Graph emulator with generated tenants (HTTPS).')
    .option('--port <n>', 'HTTPS port (0 = any free port)', integer('--port', 0, 65535), 8443)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'where the CA, certificates and keys are kept', './data/emulator')
    .option('--seed <n>', 'seed of the generated tenants', integer('--seed', 0, 2 ** 31 - 1), 1)
    .option('--tenants <n>', 'number of tenants', integer('--tenants', 1, 100), 2)
    .option('--users <n>', 'users per tenant', integer('--users', 1, 5_000_000), 250)
    .option(
      '--non-premium <indexes>',
      'comma-separated 0-based indexes of tenants without Entra ID P1/P2',
      list,
    )
    .option(
      '--hard-delete <types>',
      `comma-separated object types deleted permanently instead of soft-deleted (${SOFT_DELETE_TYPES.join(', ')})`,
      list,
    )
    .option('--client-id <guid>', 'client id of the registered app (default: derived from the seed)')
    .option(
      '--client-secret <secret>',
      'client secret of the registered app (default: generated once, kept in the data dir)',
    )
    .option('--app-name <name>', 'display name of the registered app', 'Entra Backup (demo)')
    .option(
      '--redirect-uri <uri>',
      'redirect URI of the registered app (repeatable)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--app-roles <roles>', 'comma-separated application permissions the app requests', list)
    .option('--fault-rate <p>', 'share of Graph requests answered 500/503/504', fraction('--fault-rate'))
    .option('--fault-statuses <list>', 'statuses for --fault-rate (from 500,503,504)', list)
    .option('--fault-seed <n>', 'seed of fault decisions', integer('--fault-seed', 0, 2 ** 31 - 1))
    .option('--latency-ms <n>', 'added latency per Graph request', integer('--latency-ms', 0, 120_000))
    .option(
      '--latency-jitter-ms <n>',
      'random extra latency up to this',
      integer('--latency-jitter-ms', 0, 120_000),
    )
    .option('--drop-rate <p>', 'share of Graph requests whose connection is dropped', fraction('--drop-rate'))
    .option(
      '--expired-page-token-rate <p>',
      'share of $skiptoken requests answered Directory_ExpiredPageToken',
      fraction('--expired-page-token-rate'),
    )
    .option(
      '--replication-delay-ms <n>',
      'for this long after an object is created, writes that reference it may fail as not yet replicated',
      integer('--replication-delay-ms', 0, 3_600_000),
    )
    .option(
      '--replication-delay-rate <p>',
      'share of such writes that fail (400 "The source resource object or one of the objects being referenced do not exist.")',
      fraction('--replication-delay-rate'),
    )
    .option(
      '--control-token <token>',
      'require Authorization: Bearer <token> on the control API (/_emulator: ground truth, edits)',
    )
    .addOption(
      new Option('--storm-requests <n>', 'answer the first N Graph requests with 429').argParser(
        integer('--storm-requests', 1, 1_000_000),
      ),
    )
    .addOption(
      new Option('--storm-seconds <n>', 'answer Graph requests with 429 for N seconds after start').argParser(
        integer('--storm-seconds', 1, 86_400),
      ),
    );

  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') throw err;
      throw new UsageError(err.message.replace(/^error: /, ''));
    }
    throw err;
  }
  const o = program.opts<{
    port: number;
    host: string;
    dataDir: string;
    seed: number;
    tenants: number;
    users: number;
    nonPremium?: string[];
    hardDelete?: string[];
    clientId?: string;
    clientSecret?: string;
    appName: string;
    redirectUri?: string[];
    appRoles?: string[];
    faultRate?: number;
    faultStatuses?: string[];
    faultSeed?: number;
    latencyMs?: number;
    latencyJitterMs?: number;
    dropRate?: number;
    expiredPageTokenRate?: number;
    replicationDelayMs?: number;
    replicationDelayRate?: number;
    stormRequests?: number;
    stormSeconds?: number;
    controlToken?: string;
  }>();
  if (o.controlToken !== undefined && o.controlToken.length < 16) {
    throw new UsageError('--control-token: use at least 16 characters.');
  }

  const nonPremiumTenants = (o.nonPremium ?? []).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n >= o.tenants)
      throw new UsageError(`--non-premium: '${v}' is not a tenant index between 0 and ${o.tenants - 1}.`);
    return n;
  });
  const softDelete: Partial<SoftDeleteOptions> = {};
  for (const v of o.hardDelete ?? []) {
    if (!(SOFT_DELETE_TYPES as readonly string[]).includes(v))
      throw new UsageError(`--hard-delete: '${v}' is not one of ${SOFT_DELETE_TYPES.join(', ')}.`);
    softDelete[v as SoftDeleteType] = false;
  }
  const statuses = (o.faultStatuses ?? []).map((v) => {
    if (!['500', '503', '504'].includes(v))
      throw new UsageError(`--fault-statuses: '${v}' is not one of 500, 503, 504.`);
    return Number(v) as 500 | 503 | 504;
  });
  const faults: FaultConfigInput = {
    ...(o.faultSeed !== undefined ? { seed: o.faultSeed } : {}),
    ...(o.faultRate !== undefined ? { errorRate: o.faultRate } : {}),
    ...(statuses.length > 0 ? { errorStatuses: statuses } : {}),
    ...(o.latencyMs !== undefined ? { latencyMs: o.latencyMs } : {}),
    ...(o.latencyJitterMs !== undefined ? { latencyJitterMs: o.latencyJitterMs } : {}),
    ...(o.dropRate !== undefined ? { dropRate: o.dropRate } : {}),
    ...(o.expiredPageTokenRate !== undefined ? { expiredPageTokenRate: o.expiredPageTokenRate } : {}),
    ...(o.replicationDelayMs !== undefined ? { replicationDelayMs: o.replicationDelayMs } : {}),
    ...(o.replicationDelayRate !== undefined ? { replicationDelayRate: o.replicationDelayRate } : {}),
    ...(o.stormRequests !== undefined || o.stormSeconds !== undefined
      ? {
          storm: {
            ...(o.stormRequests !== undefined ? { requests: o.stormRequests } : {}),
            ...(o.stormSeconds !== undefined ? { durationMs: o.stormSeconds * 1000 } : {}),
          },
        }
      : {}),
  };
  return {
    port: o.port,
    host: o.host,
    dataDir: resolve(cwd, o.dataDir),
    seed: o.seed,
    tenants: o.tenants,
    usersPerTenant: o.users,
    nonPremiumTenants,
    softDelete,
    app: {
      ...(o.clientId !== undefined ? { clientId: o.clientId } : {}),
      ...(o.clientSecret !== undefined ? { clientSecret: o.clientSecret } : {}),
      displayName: o.appName,
      redirectUris: o.redirectUri ?? DEFAULT_REDIRECT_URIS,
      requiredAppRoles: o.appRoles ?? DEMO_APP_ROLES,
    },
    faults,
    ...(o.controlToken === undefined ? {} : { controlToken: o.controlToken }),
  };
}

/**
 * The demo app's secret, generated on first start and kept (mode 0600) in the data dir so the product's
 * configuration stays valid across emulator restarts.
 */
export function demoAppSecret(dataDir: string): string {
  const path = join(dataDir, 'emulator-identity', 'demo-app-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = `emu~${randomBytes(24).toString('base64url')}`;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return secret;
}

export function registeredAppFrom(options: CliOptions): RegisteredApp {
  return {
    clientId: options.app.clientId ?? deterministicGuid(`entra-backup-demo-app:${options.seed}`),
    clientSecret: options.app.clientSecret ?? demoAppSecret(options.dataDir),
    displayName: options.app.displayName,
    redirectUris: options.app.redirectUris,
    requiredAppRoles: options.app.requiredAppRoles,
  };
}

/** What the command prints once the emulator listens: everything needed to point an app or curl at it. */
export function startupBanner(emulator: RunningEmulator, app: RegisteredApp): string {
  const lines = [
    'Microsoft identity platform + Microsoft Graph emulator is running.',
    '',
    `  Graph:             ${emulator.graphBaseUrl}/v1.0  (and /beta)`,
    `  Identity platform: ${emulator.loginBaseUrl}/{tenant}  (e.g. ${emulator.loginBaseUrl}/organizations)`,
    `  Control API:       ${emulator.baseUrl}/_emulator/  ${
      emulator.controlToken === undefined
        ? '(open to anyone who reaches the port; --control-token closes it)'
        : '(needs Authorization: Bearer <--control-token>)'
    }`,
    `  CA certificate:    ${emulator.caCertPath}`,
    `                     trust it with NODE_EXTRA_CA_CERTS=${emulator.caCertPath} (Node) or curl --cacert ${emulator.caCertPath}`,
    '',
    'Tenants:',
  ];
  for (const tenant of emulator.world.listTenants()) {
    const admin = emulator.world
      .listSignInUsers(tenant.tenantId, 50)
      .find((u) => u.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR_TEMPLATE_ID));
    lines.push(
      `  ${tenant.tenantId}  ${tenant.displayName} (${tenant.defaultDomain})${tenant.premium ? '' : '  [no premium licence]'}`,
    );
    if (admin) lines.push(`      Global Administrator: ${admin.userPrincipalName}`);
  }
  const consentRedirect = app.redirectUris.find((u) => u.includes('consent')) ?? app.redirectUris[0] ?? '';
  lines.push(
    '',
    'Registered app:',
    `  client id:     ${app.clientId}`,
    `  client secret: ${app.clientSecret ?? '(certificate only)'}`,
    `  redirect URIs: ${app.redirectUris.join(', ')}`,
    '',
    'Grant admin consent first (client credentials fail before it, as in the real service):',
    `  ${emulator.loginBaseUrl}/organizations/v2.0/adminconsent?client_id=${app.clientId}&scope=${encodeURIComponent('https://graph.microsoft.com/.default')}&redirect_uri=${encodeURIComponent(consentRedirect)}&state=demo`,
    '',
    'Press Ctrl-C to stop.',
    '',
  );
  return lines.join('\n');
}

/** Entry point of `npm run emulator`. */
export async function main(argv: string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv, process.cwd());
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exit(0);
    }
    if (err instanceof UsageError) {
      process.stderr.write(`emulator: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const app = registeredAppFrom(options);
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      ...(options.controlToken === undefined ? {} : { controlToken: options.controlToken }),
      port: options.port,
      host: options.host,
      dataDir: options.dataDir,
      seed: options.seed,
      tenants: options.tenants,
      usersPerTenant: options.usersPerTenant,
      nonPremiumTenants: options.nonPremiumTenants,
      softDelete: options.softDelete,
      apps: [app],
      faults: options.faults,
    });
  } catch (err) {
    const message =
      (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `port ${options.port} is already in use.`
        : (err as Error).message;
    process.stderr.write(`emulator: ${message}\n`);
    process.exit(1);
  }
  process.stdout.write(startupBanner(emulator, app));
  const shutdown = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
