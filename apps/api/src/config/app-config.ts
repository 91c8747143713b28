import { join, resolve } from 'node:path';
import { environmentSchema, type LogLevel, type NodeEnv } from './environment.schema';
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
}

export interface PortalConfig {
  /** Absolute path of the built portal (`index.html` + assets). */
  readonly dir: string;
}

export interface GraphConfig {
  readonly graphBaseUrl: string;
  readonly loginBaseUrl: string;
  readonly clientId: string | undefined;
  /** Never log this value; see `describeConfig()` for a safe summary. */
  readonly clientSecret: string | undefined;
}

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
  ) {}

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
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
  const dataDir = resolve(cwd, e.ENTRA_BACKUP_DATA_DIR);
  const database: DatabaseConfig =
    e.DATABASE_URL === undefined
      ? { type: 'sqlite', path: join(dataDir, 'entra-backup.sqlite') }
      : { type: 'postgres', url: e.DATABASE_URL };
  return new AppConfig(
    e.NODE_ENV,
    { port: e.PORT },
    { dataDir },
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
    },
  );
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
