/**
 * Typed errors of the Graph library. Errors are classified by HTTP status and Graph error `code`, never by
 * the human-readable message, as Microsoft asks: https://learn.microsoft.com/graph/errors
 */
export type GraphErrorKind =
  | 'throttled'
  | 'notFound'
  | 'forbidden'
  | 'unauthorized'
  | 'badRequest'
  | 'conflict'
  | 'failedDependency'
  | 'server'
  | 'network'
  | 'expiredPageToken'
  | 'syncStateNotFound'
  | 'notImplemented'
  | 'licenseRequired';

export interface GraphRequestErrorInit {
  kind: GraphErrorKind;
  method: string;
  /** Path and query of the request URL (no host), e.g. `/v1.0/users?$top=999`. */
  path: string;
  status?: number;
  code?: string;
  innerCode?: string;
  graphMessage?: string;
  requestId?: string;
  clientRequestId?: string;
  date?: string;
  retryAfterMs?: number;
  attempts?: number;
  cause?: unknown;
}

export class GraphRequestError extends Error {
  override readonly name = 'GraphRequestError';
  readonly kind: GraphErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly innerCode: string | undefined;
  readonly graphMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;
  readonly date: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;

  constructor(init: GraphRequestErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.code = init.code;
    this.innerCode = init.innerCode;
    this.graphMessage = init.graphMessage;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
    this.date = init.date;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }

  /** A copy with the number of attempts made so far. */
  withAttempts(attempts: number): GraphRequestError {
    return new GraphRequestError({ ...this.toInit(), attempts });
  }

  private toInit(): GraphRequestErrorInit {
    return {
      kind: this.kind,
      method: this.method,
      path: this.path,
      status: this.status,
      code: this.code,
      innerCode: this.innerCode,
      graphMessage: this.graphMessage,
      requestId: this.requestId,
      clientRequestId: this.clientRequestId,
      date: this.date,
      retryAfterMs: this.retryAfterMs,
      cause: this.cause,
    };
  }
}

function describe(init: GraphRequestErrorInit): string {
  const status = init.status === undefined ? 'no response' : `HTTP ${init.status}`;
  const parts = [`Graph ${init.method} ${init.path} failed: ${status}`];
  if (init.code) parts.push(`code ${init.code}${init.innerCode ? `/${init.innerCode}` : ''}`);
  if (init.graphMessage) parts.push(init.graphMessage);
  if (init.requestId) parts.push(`request-id ${init.requestId}`);
  if (init.attempts !== undefined && init.attempts > 1) parts.push(`after ${init.attempts} attempts`);
  return parts.join('; ');
}

/** Configuration or usage mistakes (bad URL, bad batch); never retried. */
export class GraphUsageError extends Error {
  override readonly name = 'GraphUsageError';
}

/** Token acquisition failed (bad credentials, no consent, unreachable authority). */
export class GraphAuthenticationError extends Error {
  override readonly name = 'GraphAuthenticationError';
  constructor(
    message: string,
    readonly tenantId: string,
    /** The identity platform's error code (e.g. `invalid_client`), when it gave one. */
    readonly code: string | undefined,
    /** True when the failure was on the network and a later attempt may succeed. */
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const CODE_KINDS: Record<string, GraphErrorKind> = {
  // Large directory enumerations can fail mid-way with an expired $skiptoken; restart the enumeration.
  // https://learn.microsoft.com/graph/paging
  Directory_ExpiredPageToken: 'expiredPageToken',
  // Expired or unknown delta tokens: https://learn.microsoft.com/graph/delta-query-overview
  syncStateNotFound: 'syncStateNotFound',
  resyncRequired: 'syncStateNotFound',
  // Sign-in logs need an Entra ID P1/P2 licence: https://learn.microsoft.com/graph/api/signin-list
  Authentication_RequestFromNonPremiumTenantOrB2CTenant: 'licenseRequired',
  // Legacy directory throttling code, sometimes sent with 503.
  Request_ThrottledTemporarily: 'throttled',
};

export function classifyGraphError(status: number | undefined, code: string | undefined): GraphErrorKind {
  if (status === undefined) return 'network';
  const byCode = code === undefined ? undefined : CODE_KINDS[code];
  if (byCode && status >= 400) return byCode;
  if (status === 410) return 'syncStateNotFound';
  if (status === 429) return 'throttled';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 424) return 'failedDependency';
  if (status === 501) return 'notImplemented';
  if (status >= 500) return 'server';
  return 'badRequest';
}

export interface ParsedGraphErrorBody {
  code?: string;
  innerCode?: string;
  message?: string;
  requestId?: string;
  clientRequestId?: string;
  date?: string;
}

/**
 * Reads the documented error envelope
 * `{"error":{"code","message","innerError":{"request-id","date","client-request-id"}}}`;
 * `innerError` may nest, the deepest `code` is the most specific one.
 */
export function parseGraphErrorBody(body: unknown): ParsedGraphErrorBody {
  const error = asRecord(asRecord(body)?.['error']);
  if (!error) return {};
  const parsed: ParsedGraphErrorBody = {
    code: asString(error['code']),
    message: asString(error['message']),
  };
  let inner = asRecord(error['innerError']) ?? asRecord(error['innererror']);
  for (let depth = 0; inner && depth < 10; depth++) {
    parsed.requestId ??= asString(inner['request-id']);
    parsed.clientRequestId ??= asString(inner['client-request-id']);
    parsed.date ??= asString(inner['date']);
    const code = asString(inner['code']);
    if (code) parsed.innerCode = code;
    inner = asRecord(inner['innerError']) ?? asRecord(inner['innererror']);
  }
  return parsed;
}

export interface ErrorResponseInput {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  clientRequestId?: string;
  retryAfterMs?: number;
  attempts?: number;
}

export function graphErrorFromResponse(input: ErrorResponseInput): GraphRequestError {
  const parsed = parseGraphErrorBody(input.body);
  return new GraphRequestError({
    kind: classifyGraphError(input.status, parsed.code),
    method: input.method,
    path: pathOf(input.url),
    status: input.status,
    code: parsed.code,
    innerCode: parsed.innerCode,
    graphMessage: parsed.message,
    requestId: parsed.requestId ?? input.headers['request-id'],
    clientRequestId: parsed.clientRequestId ?? input.headers['client-request-id'] ?? input.clientRequestId,
    date: parsed.date ?? input.headers['date'],
    retryAfterMs: input.retryAfterMs,
    attempts: input.attempts,
  });
}

export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
