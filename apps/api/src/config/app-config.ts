import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClientCredential } from '@entra-backup/graph';
import { ClientCertificate, loadClientCertificate } from './client-certificate';
import { environmentSchema, type Environment, type LogLevel, type NodeEnv } from './environment.schema';
import { findPackageRoot } from './package-root';

export type DatabaseConfig =
  | { readonly type: 'sqlite'; readonly path: string }
  | {
      readonly type: 'postgres';
      readonly url: string;
      /** Schema to use instead of the server default (`public`); tests use a fresh one each. */
      readonly schema?: string;
    };

export interface HttpConfig {
  readonly port: number;
}

export interface LoggingConfig {
  readonly level: LogLevel;
  /** Human-readable lines (pino-pretty) instead of JSON; on in development only. */
  readonly pretty: boolean;
}

export interface StorageConfig {
  /** Absolute path of the data directory (SQLite file, later the object store). */
  readonly dataDir: string;
  /**
   * ENTRA_BACKUP_MASTER_KEY: base64 of the 32-byte key that encrypts backup payloads. When unset,
   * `<dataDir>/master.key` is used (generated on first start). Never log this value; see
   * `describeConfig()` for a safe summary.
   */
  readonly masterKey?: string;
}

export interface PortalConfig {
  /** Absolute path of the built portal (`index.html` + assets). */
  readonly dir: string;
}

export interface GraphConfig {
  readonly graphBaseUrl: string;
  readonly loginBaseUrl: string;
  readonly clientId: string | undefined;
  /** AZURE_CLIENT_SECRET. Never log this value; see `describeConfig()` for a safe summary. */
  readonly clientSecret: string | undefined;
  /**
   * AZURE_CLIENT_CERTIFICATE_PATH (+ _PASSWORD), read and checked at boot. Never set together with
   * `clientSecret`: `loadAppConfig()` refuses both.
   */
  readonly clientCertificate?: ClientCertificate | undefined;
  /**
   * Extra PEM CA certificates trusted for Graph and the identity platform, besides the system
   * store (ENTRA_BACKUP_CA_FILE; the demo mode's emulator CA). Empty for Microsoft's cloud.
   */
  readonly caCertificates: readonly string[];
}

export interface AuthConfig {
  /** The origin browsers use to reach the service; the OIDC and consent redirect URIs derive from it. */
  readonly publicUrl: string;
  /** Signs the session cookie; when unset a secret is generated once and kept in the data dir. */
  readonly sessionSecret: string | undefined;
  /** True when the built-in emulator stands in for Microsoft (set by the demo start-up only). */
  readonly demoMode: boolean;
  /** Port of the emulator in demo mode (ENTRA_BACKUP_DEMO_PORT). */
  readonly demoPort: number;
  /** Address the emulator listens on in demo mode (ENTRA_BACKUP_DEMO_HOST, default 127.0.0.1). */
  readonly demoHost: string;
  /**
   * How many organizations the demo emulator generates (ENTRA_BACKUP_DEMO_TENANTS, default 2): more
   * let a partner's staff look after several demo customers.
   */
  readonly demoTenants: number;
  /**
   * The demo emulator's control API token (ENTRA_BACKUP_DEMO_CONTROL_TOKEN); random per start
   * when unset. Never log it.
   */
  readonly demoControlToken?: string;
}

/** Per-key limits of API requests (`429` with `Retry-After` beyond them). */
export interface RateLimitConfig {
  /** Requests per minute each API key may make; 0: no limit. */
  readonly perMinute: number;
  /** Requests a key may make beyond `perMinute`, refilled over `BURST_WINDOW_SECONDS`. */
  readonly burst: number;
  /** REDIS_URL: where the counters live when set (shared by every process using it). Never log it. */
  readonly redisUrl: string | undefined;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { perMinute: 600, burst: 120, redisUrl: undefined };
export interface NotificationsConfig {
  /** SMTP_URL. Never log this value (it may carry a password); see `describeConfig()`. */
  readonly smtpUrl: string | undefined;
  /** SMTP_FROM: the sender of notification mail. */
  readonly mailFrom: string;
  /** How long a webhook may take to answer before its delivery counts as failed. */
  readonly webhookTimeoutMs: number;
}

export const DEFAULT_NOTIFICATIONS_CONFIG: NotificationsConfig = {
  smtpUrl: undefined,
  mailFrom: 'Entra Backup <entra-backup@localhost>',
  webhookTimeoutMs: 5_000,
};

/**
 * The validated, typed configuration of the service, grouped by concern. It is the only
 * thing the rest of the code knows about the environment; build it with `loadAppConfig()`.
 */
export class AppConfig {
  constructor(
    readonly nodeEnv: NodeEnv,
    readonly http: HttpConfig,
    readonly storage: StorageConfig,
    readonly database: DatabaseConfig,
    readonly logging: LoggingConfig,
    readonly portal: PortalConfig,
    readonly graph: GraphConfig,
    readonly auth: AuthConfig,
    readonly rateLimit: RateLimitConfig = DEFAULT_RATE_LIMIT,
    readonly notifications: NotificationsConfig = DEFAULT_NOTIFICATIONS_CONFIG,
  ) {}

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  /** Microsoft app credentials are configured (otherwise `main` starts the demo mode). */
  get hasAppCredentials(): boolean {
    return this.graph.clientId !== undefined && this.appCredential !== undefined;
  }

  /**
   * The app registration's credential, the same for app-only Graph calls and the portal's sign-in:
   * the client secret or the certificate, whichever is configured.
   */
  get appCredential(): ClientCredential | undefined {
    const { clientSecret, clientCertificate } = this.graph;
    if (clientSecret !== undefined) return { kind: 'secret', clientSecret };
    if (clientCertificate !== undefined) {
      return {
        kind: 'certificate',
        thumbprintSha256: clientCertificate.thumbprintSha256,
        privateKey: clientCertificate.privateKeyPem(),
      };
    }
    return undefined;
  }

  /** A copy with other Graph/identity settings (the demo start-up points them at the emulator). */
  withGraph(graph: Partial<GraphConfig>, auth: Partial<AuthConfig> = {}): AppConfig {
    return new AppConfig(
      this.nodeEnv,
      this.http,
      this.storage,
      this.database,
      this.logging,
      this.portal,
      { ...this.graph, ...graph },
      { ...this.auth, ...auth },
      this.rateLimit,
      this.notifications,
    );
  }
}

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

export type EnvironmentRecord = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** Directory relative paths are resolved against; defaults to the process working directory. */
  readonly cwd?: string;
}

/**
 * Validates the environment and builds the typed configuration. Throws one
 * `ConfigurationError` naming every bad variable, so a misconfigured deployment fails at boot
 * with a single readable line instead of one error per restart.
 */
export function loadAppConfig(
  env: EnvironmentRecord = process.env,
  options: LoadConfigOptions = {},
): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => {
        const variable = issue.path.map(String).join('.');
        return issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];
  const clientCertificate = appCredentialProblems(e, cwd, problems);
  const caCertificates: string[] = [];
  if (e.ENTRA_BACKUP_CA_FILE !== undefined) {
    try {
      const pem = readFileSync(resolve(cwd, e.ENTRA_BACKUP_CA_FILE), 'utf8');
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('not PEM');
      caCertificates.push(pem);
    } catch {
      problems.push('ENTRA_BACKUP_CA_FILE must name a readable PEM file of CA certificates');
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  const dataDir = resolve(cwd, e.ENTRA_BACKUP_DATA_DIR);
  const database: DatabaseConfig =
    e.DATABASE_URL === undefined
      ? { type: 'sqlite', path: join(dataDir, 'entra-backup.sqlite') }
      : { type: 'postgres', url: e.DATABASE_URL };
  return new AppConfig(
    e.NODE_ENV,
    { port: e.PORT },
    e.ENTRA_BACKUP_MASTER_KEY === undefined ? { dataDir } : { dataDir, masterKey: e.ENTRA_BACKUP_MASTER_KEY },
    database,
    { level: e.LOG_LEVEL, pretty: e.NODE_ENV === 'development' },
    {
      dir:
        e.ENTRA_BACKUP_PORTAL_DIR === undefined
          ? defaultPortalDir(cwd)
          : resolve(cwd, e.ENTRA_BACKUP_PORTAL_DIR),
    },
    {
      graphBaseUrl: e.GRAPH_BASE_URL,
      loginBaseUrl: e.LOGIN_BASE_URL,
      clientId: e.AZURE_CLIENT_ID,
      clientSecret: e.AZURE_CLIENT_SECRET,
      clientCertificate,
      caCertificates,
    },
    {
      publicUrl: e.ENTRA_BACKUP_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
      sessionSecret: e.ENTRA_BACKUP_SESSION_SECRET,
      demoMode: false,
      demoPort: e.ENTRA_BACKUP_DEMO_PORT,
      demoHost: e.ENTRA_BACKUP_DEMO_HOST,
      demoTenants: e.ENTRA_BACKUP_DEMO_TENANTS,
      ...(e.ENTRA_BACKUP_DEMO_CONTROL_TOKEN === undefined
        ? {}
        : { demoControlToken: e.ENTRA_BACKUP_DEMO_CONTROL_TOKEN }),
    },
    {
      perMinute: e.ENTRA_BACKUP_API_RATE_LIMIT,
      burst: e.ENTRA_BACKUP_API_RATE_BURST,
      redisUrl: e.REDIS_URL,
    },
    { ...DEFAULT_NOTIFICATIONS_CONFIG, smtpUrl: e.SMTP_URL, mailFrom: e.SMTP_FROM },
  );
}

/**
 * Checks the app credential variables and loads the certificate. A client id needs exactly one
 * credential. With both a secret and a certificate the configuration is refused rather than one
 * silently preferred: an administrator moving to a certificate who leaves the old secret set would
 * otherwise keep running on the secret (until it expires) while believing the certificate is used.
 */
function appCredentialProblems(
  e: Environment,
  cwd: string,
  problems: string[],
): ClientCertificate | undefined {
  const id = e.AZURE_CLIENT_ID !== undefined;
  const secret = e.AZURE_CLIENT_SECRET !== undefined;
  const certificatePath = e.AZURE_CLIENT_CERTIFICATE_PATH;
  if (secret && certificatePath !== undefined) {
    problems.push(
      'AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH are both set: set only the credential the app registration should use',
    );
  } else if (id && !secret && certificatePath === undefined) {
    problems.push(
      'AZURE_CLIENT_ID needs AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (leave all three unset for the demo mode)',
    );
  } else if (!id && (secret || certificatePath !== undefined)) {
    problems.push(
      `${secret ? 'AZURE_CLIENT_SECRET' : 'AZURE_CLIENT_CERTIFICATE_PATH'} needs AZURE_CLIENT_ID (leave all three unset for the demo mode)`,
    );
  }
  if (e.AZURE_CLIENT_CERTIFICATE_PASSWORD !== undefined && certificatePath === undefined) {
    problems.push('AZURE_CLIENT_CERTIFICATE_PASSWORD is set but AZURE_CLIENT_CERTIFICATE_PATH is not');
  }
  if (certificatePath === undefined) return undefined;
  const loaded = loadClientCertificate(resolve(cwd, certificatePath), e.AZURE_CLIENT_CERTIFICATE_PASSWORD);
  if (loaded.problem !== undefined) problems.push(loaded.problem);
  return loaded.certificate;
}

/** `<package root>/dist/portal/browser`, where `npm run build:portal` writes the portal. */
function defaultPortalDir(cwd: string): string {
  return join(findPackageRoot() ?? cwd, 'dist', 'portal', 'browser');
}

/** A summary safe for logs: secrets and credentials in URLs are masked. */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  return {
    nodeEnv: config.nodeEnv,
    port: config.http.port,
    dataDir: config.storage.dataDir,
    masterKey: config.storage.masterKey === undefined ? 'unset' : 'set',
    database:
      config.database.type === 'sqlite'
        ? { type: 'sqlite', path: config.database.path }
        : { type: 'postgres', url: maskUrlCredentials(config.database.url) },
    logLevel: config.logging.level,
    portalDir: config.portal.dir,
    graphBaseUrl: config.graph.graphBaseUrl,
    loginBaseUrl: config.graph.loginBaseUrl,
    clientId: config.graph.clientId ?? null,
    clientSecret: config.graph.clientSecret === undefined ? 'unset' : 'set',
    clientCertificate:
      config.graph.clientCertificate === undefined
        ? 'unset'
        : {
            path: config.graph.clientCertificate.path,
            thumbprintSha256: config.graph.clientCertificate.thumbprintSha256,
            notAfter: config.graph.clientCertificate.notAfter.toISOString(),
          },
    extraCaCertificates: config.graph.caCertificates.length,
    publicUrl: config.auth.publicUrl,
    sessionSecret: config.auth.sessionSecret === undefined ? 'generated' : 'set',
    demoMode: config.auth.demoMode,
    apiRateLimit: {
      perMinute: config.rateLimit.perMinute,
      burst: config.rateLimit.burst,
      store: config.rateLimit.redisUrl === undefined ? 'database-or-memory' : 'redis',
      redisUrl:
        config.rateLimit.redisUrl === undefined ? null : maskUrlCredentials(config.rateLimit.redisUrl),
    },
    smtp:
      config.notifications.smtpUrl === undefined ? 'unset' : maskUrlCredentials(config.notifications.smtpUrl),
  };
}

function maskUrlCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '***';
  }
}
