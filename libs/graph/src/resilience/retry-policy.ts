export interface RetryOptions {
  /**
   * Attempts per request including the first one, counting only the failures we pace ourselves (no
   * `Retry-After`, or a zero one). Waits the service asked for are bounded by `maxTotalWaitMs` alone.
   */
  maxAttempts: number;
  /** Upper bound on the time one request may spend waiting between attempts (every kind of failure). */
  maxTotalWaitMs: number;
  /** First backoff step when the service gave no Retry-After. */
  baseDelayMs: number;
  /** Cap of a single backoff step. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxAttempts: 8,
  maxTotalWaitMs: 5 * 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

/**
 * Parses `Retry-After` as delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Graph sends seconds on 429
 * and sometimes on 503: https://learn.microsoft.com/graph/throttling
 * Returns the wait in milliseconds from `nowMs`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined | null, nowMs: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date always names a weekday and month; this keeps numbers like "-3" from parsing as years.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Retry bookkeeping of one logical request (or one $batch chunk). */
export interface RetryBudget {
  /** Failed attempts whose next wait was our own backoff guess (no or zero Retry-After). */
  unpacedFailures: number;
  /** Time already spent waiting between attempts (including waits at gates closed by others). */
  waitedMs: number;
}

/**
 * Whether a failing request must stop instead of waiting `delayMs` for another attempt. Graph's guidance for
 * throttling is to keep honouring Retry-After until the request succeeds
 * (https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling), so a throttling storm
 * the service paces with Retry-After is bounded by the time budget only: 22 answers of `Retry-After: 1` are
 * 22 seconds, well within 5 minutes. Failures we pace ourselves (5xx, dropped connections, a 429 without or
 * with a zero Retry-After) are also bounded by `maxAttempts`, so a broken service or a zero wait cannot spin.
 * `budget.unpacedFailures` must already count the failure being judged when it was unpaced.
 */
export function retryExhausted(budget: RetryBudget, delayMs: number, options: RetryOptions): boolean {
  if (budget.waitedMs + delayMs > options.maxTotalWaitMs) return true;
  return budget.unpacedFailures >= options.maxAttempts;
}

/** A wait the service asked for (a positive Retry-After), as opposed to our own backoff. */
export function isPacedByService(retryAfterMs: number | undefined): retryAfterMs is number {
  return retryAfterMs !== undefined && retryAfterMs > 0;
}

/**
 * Exponential backoff with "equal jitter": half of the step is fixed, half random, so concurrent clients
 * spread out while every wait still grows. `attempt` is the number of the attempt that just failed (1-based).
 */
export function backoffDelay(attempt: number, options: RetryOptions, random: () => number): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RESPONSE_STATUS_CODE',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** Codes found on an error, its `cause` chain and aggregated errors (undici wraps socket errors in `cause`). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 6) return;
    seen.add(value);
    const record = value as { code?: unknown; cause?: unknown; errors?: unknown; message?: unknown };
    if (typeof record.code === 'string') codes.push(record.code);
    // Node's http client reports an aborted response as "socket hang up" with code ECONNRESET; some
    // wrappers drop the code, so the message is the only remaining signal for this one transport error.
    if (record.message === 'socket hang up') codes.push('ECONNRESET');
    visit(record.cause, depth + 1);
    if (Array.isArray(record.errors)) record.errors.forEach((inner) => visit(inner, depth + 1));
  };
  visit(error, 0);
  return codes;
}

/** Connection-level failures worth another attempt (not TLS trust or DNS-name errors, which persist). */
export function isTransientNetworkError(error: unknown): boolean {
  return errorCodes(error).some((code) => TRANSIENT_CODES.has(code));
}

/**
 * Server errors worth another attempt when repeating the request cannot change anything twice.
 * 503 and 504 are what Graph documents as transient; 500 and 502 also come from Graph's front ends
 * under load and go away on a retry, so idempotent reads retry them too. Writes (POST) never repeat
 * on a 5xx: the first attempt may have been applied.
 * https://learn.microsoft.com/graph/errors#http-status-codes
 */
export const RETRYABLE_SERVER_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

export function isRetryableServerStatus(status: number): boolean {
  return RETRYABLE_SERVER_STATUSES.has(status);
}
