import { GraphLogger, silentGraphLogger } from './logger';
import { Clock, SystemClock } from './resilience/clock';
import { DEFAULT_RETRY_OPTIONS, RetryOptions } from './resilience/retry-policy';
import { DEFAULT_USER_AGENT } from './version';

export type GraphApiVersion = 'v1.0' | 'beta';

export interface ClientSecretCredential {
  kind: 'secret';
  clientSecret: string;
}

/** Certificate credential: msal signs a client assertion with the private key. */
export interface ClientCertificateCredential {
  kind: 'certificate';
  /** SHA-256 thumbprint of the certificate, hex. */
  thumbprintSha256: string;
  /** PEM private key. */
  privateKey: string;
  /** Optional PEM certificate chain, sent as `x5c` for subject-name/issuer authentication. */
  x5c?: string;
}

export type ClientCredential = ClientSecretCredential | ClientCertificateCredential;

export interface GraphClientFactoryOptions {
  clientId: string;
  credential: ClientCredential;
  /** Default `https://graph.microsoft.com`. */
  graphBaseUrl?: string;
  /** Default `https://login.microsoftonline.com`; the authority is `<loginBaseUrl>/<tenantId>`. */
  loginBaseUrl?: string;
  /** Default `https://graph.microsoft.com/.default` (the real service's scope, whatever the base URL). */
  scope?: string;
  /**
   * Extra PEM CA certificates trusted for Graph and the identity platform, in addition to the system store.
   * Unset in production.
   */
  caCertificates?: string[];
  /** Default `entra-backup/<version>`. */
  userAgent?: string;
  /** Default `v1.0`. */
  defaultVersion?: GraphApiVersion;
  /** Requests in flight per tenant. Default 4. */
  maxConcurrency?: number;
  retry?: Partial<RetryOptions>;
  /** Restarts of one enumeration after expired page tokens before giving up. Default 3. */
  maxRestarts?: number;
  /** Time to wait for response headers and between body chunks. Default 120 s. */
  requestTimeoutMs?: number;
  /** Refresh a token this long before it expires (at most half its lifetime). Default 5 min. */
  tokenRefreshMarginMs?: number;
  clock?: Clock;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  logger?: GraphLogger;
}

export interface ResolvedGraphOptions {
  clientId: string;
  credential: ClientCredential;
  graphBaseUrl: string;
  loginBaseUrl: string;
  scope: string;
  caCertificates: string[] | undefined;
  userAgent: string;
  defaultVersion: GraphApiVersion;
  maxConcurrency: number;
  retry: RetryOptions;
  maxRestarts: number;
  requestTimeoutMs: number;
  tokenRefreshMarginMs: number;
  clock: Clock;
  random: () => number;
  logger: GraphLogger;
}

export class GraphConfigurationError extends Error {
  override readonly name = 'GraphConfigurationError';
  constructor(readonly problems: string[]) {
    super(`Invalid Graph client configuration: ${problems.join('; ')}`);
  }
}

/** Validates options and fills defaults; throws one error listing every problem. */
export function resolveGraphOptions(options: GraphClientFactoryOptions): ResolvedGraphOptions {
  const problems: string[] = [];
  const graphBaseUrl = httpsBase(
    'graphBaseUrl',
    options.graphBaseUrl ?? 'https://graph.microsoft.com',
    problems,
  );
  const loginBaseUrl = httpsBase(
    'loginBaseUrl',
    options.loginBaseUrl ?? 'https://login.microsoftonline.com',
    problems,
  );
  if (typeof options.clientId !== 'string' || options.clientId.trim() === '')
    problems.push('clientId is required');
  const credential = options.credential as ClientCredential | undefined;
  if (!credential) {
    problems.push('credential is required (client secret or certificate)');
  } else if (credential.kind === 'secret') {
    if (typeof credential.clientSecret !== 'string' || credential.clientSecret === '') {
      problems.push('credential.clientSecret is empty');
    }
  } else if (credential.kind === 'certificate') {
    if (!/^[0-9a-fA-F]{64}$/.test(credential.thumbprintSha256 ?? '')) {
      problems.push('credential.thumbprintSha256 must be 64 hex characters');
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(credential.privateKey ?? '')) {
      problems.push('credential.privateKey must be a PEM private key');
    }
  } else {
    problems.push(`credential.kind must be 'secret' or 'certificate'`);
  }
  const scope = options.scope ?? 'https://graph.microsoft.com/.default';
  if (!scope.endsWith('/.default'))
    problems.push(`scope must be a '<resource>/.default' scope, got '${scope}'`);
  for (const [index, pem] of (options.caCertificates ?? []).entries()) {
    if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      problems.push(`caCertificates[${index}] is not a PEM certificate`);
  }
  const version = options.defaultVersion ?? 'v1.0';
  if (version !== 'v1.0' && version !== 'beta') problems.push(`defaultVersion must be 'v1.0' or 'beta'`);
  const retry = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
  positiveInteger('maxConcurrency', options.maxConcurrency ?? 4, problems);
  positiveInteger('retry.maxAttempts', retry.maxAttempts, problems);
  nonNegative('retry.maxTotalWaitMs', retry.maxTotalWaitMs, problems);
  nonNegative('retry.baseDelayMs', retry.baseDelayMs, problems);
  nonNegative('retry.maxDelayMs', retry.maxDelayMs, problems);
  nonNegative('maxRestarts', options.maxRestarts ?? 3, problems);
  positiveInteger('requestTimeoutMs', options.requestTimeoutMs ?? 120_000, problems);
  nonNegative('tokenRefreshMarginMs', options.tokenRefreshMarginMs ?? 300_000, problems);
  if (problems.length > 0) throw new GraphConfigurationError(problems);
  return {
    clientId: options.clientId.trim(),
    credential: credential!,
    graphBaseUrl,
    loginBaseUrl,
    scope,
    caCertificates:
      options.caCertificates && options.caCertificates.length > 0 ? [...options.caCertificates] : undefined,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    defaultVersion: version,
    maxConcurrency: options.maxConcurrency ?? 4,
    retry,
    maxRestarts: options.maxRestarts ?? 3,
    requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
    tokenRefreshMarginMs: options.tokenRefreshMarginMs ?? 300_000,
    clock: options.clock ?? new SystemClock(),
    random: options.random ?? Math.random,
    logger: options.logger ?? silentGraphLogger,
  };
}

const TENANT_ID =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)$/i;

/** Tenant ids are GUIDs or verified domain names (`contoso.onmicrosoft.com`); they end up in the authority URL. */
export function assertTenantId(tenantId: string): void {
  if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) {
    throw new GraphConfigurationError([
      `tenantId must be a GUID or a domain name, got '${String(tenantId)}'`,
    ]);
  }
}

function httpsBase(name: string, value: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name} is not a URL: '${value}'`);
    return value;
  }
  // The identity platform and the Graph SDK require TLS; msal rejects http authorities.
  if (url.protocol !== 'https:') problems.push(`${name} must use https, got '${value}'`);
  if (url.search || url.hash) problems.push(`${name} must not have a query or fragment`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function positiveInteger(name: string, value: number, problems: string[]): void {
  if (!Number.isInteger(value) || value < 1)
    problems.push(`${name} must be a positive integer, got ${value}`);
}

function nonNegative(name: string, value: number, problems: string[]): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    problems.push(`${name} must be a non-negative number, got ${value}`);
  }
}
