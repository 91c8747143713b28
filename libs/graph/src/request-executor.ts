import { randomUUID } from 'node:crypto';
import { GraphAuthenticationError, GraphRequestError, graphErrorFromResponse, pathOf } from './errors';
import { GraphLogger } from './logger';
import { GraphMetrics } from './metrics';
import { Clock } from './resilience/clock';
import {
  backoffDelay,
  errorCodes,
  isPacedByService,
  isTransientNetworkError,
  parseRetryAfter,
  retryExhausted,
  RetryOptions,
  isRetryableServerStatus,
} from './resilience/retry-policy';
import { Semaphore } from './resilience/semaphore';
import { ThrottleGate } from './resilience/throttle-gate';
import { GraphTransport, HttpMethod, TransportResponse } from './transport/graph-transport';

export interface ExecuteRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Throttling scopes the request touches (one, or several for a $batch). */
  families: readonly string[];
  /** Write operations per throttle family (1 for a write request, its write items for a `$batch`). */
  writes?: Readonly<Record<string, number>>;
  /** Whether 5xx answers and connection errors may be retried (a 429 always may: nothing was processed). */
  idempotent: boolean;
}

interface FailedAttempt {
  ok: false;
  error: GraphRequestError;
  /** A connection failure worth another attempt (reset, timeout), as opposed to e.g. an untrusted certificate. */
  transientNetwork: boolean;
  /** Time this attempt waited at the throttle gate before it was sent. */
  gateWaitMs: number;
}

type AttemptOutcome = { ok: true; response: TransportResponse } | FailedAttempt;

export interface RequestExecutorDeps {
  transport: GraphTransport;
  gate: ThrottleGate;
  semaphore: Semaphore;
  clock: Clock;
  random: () => number;
  retry: RetryOptions;
  metrics: GraphMetrics;
  logger: GraphLogger;
  userAgent: string;
  /** Drops the cached token after a 401, so the next attempt gets a new one. */
  invalidateToken: () => void;
}

/**
 * Runs one logical request: bounded concurrency, the throttle gate, retries of 429, transient 5xx and connection
 * errors honouring Retry-After (else jittered exponential backoff), within the total wait budget, and within a
 * bounded number of attempts for the failures we pace ourselves (see `retryExhausted`). Returns the response when its status is below 400, otherwise throws GraphRequestError.
 * https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling
 */
export class RequestExecutor {
  constructor(private readonly deps: RequestExecutorDeps) {}

  async execute(request: ExecuteRequest): Promise<TransportResponse> {
    const { clock, retry, metrics, logger } = this.deps;
    const clientRequestId = randomUUID();
    const budget = { unpacedFailures: 0, waitedMs: 0 };
    let tokenRefreshed = false;
    for (let attempt = 1; ; attempt++) {
      request.signal?.throwIfAborted();
      const outcome = await this.attempt(request, clientRequestId, attempt);
      if (outcome.ok) return outcome.response;
      // Time spent at a gate closed by other requests' 429s counts against this request's bound too.
      budget.waitedMs += outcome.gateWaitMs;

      const error = outcome.error;
      // A 401 usually means the cached token was revoked or expired early: retry once with a new one.
      if (error.kind === 'unauthorized' && !tokenRefreshed) {
        tokenRefreshed = true;
        this.deps.invalidateToken();
        metrics.recordRetries();
        continue;
      }
      if (!this.isRetryable(outcome, request)) throw error.withAttempts(attempt);

      const retryAfterMs = error.retryAfterMs;
      if (!isPacedByService(retryAfterMs)) budget.unpacedFailures++;
      const delay = retryAfterMs ?? backoffDelay(budget.unpacedFailures, retry, this.deps.random);
      if (error.kind === 'throttled') {
        metrics.recordThrottledResponses();
        for (const family of request.families) this.deps.gate.close(family, clock.now() + delay);
      }
      if (retryExhausted(budget, delay, retry)) {
        logger.warn('Graph request failed, giving up', this.logContext(request, error, attempt, delay));
        throw error.withAttempts(attempt);
      }
      logger.debug('Graph request failed, retrying', this.logContext(request, error, attempt, delay));
      metrics.recordRetries();
      if (error.kind === 'throttled') metrics.recordThrottledWait(delay);
      await clock.sleep(delay, request.signal);
      budget.waitedMs += delay;
    }
  }

  private async attempt(
    request: ExecuteRequest,
    clientRequestId: string,
    attempt: number,
  ): Promise<AttemptOutcome> {
    const { metrics, clock } = this.deps;
    let gateWaitMs = 0;
    const headers: Record<string, string> = {
      ...request.headers,
      'user-agent': this.deps.userAgent,
      'client-request-id': clientRequestId,
      ...(attempt > 1 ? { 'retry-attempt': String(attempt - 1) } : {}),
    };
    if (
      request.body !== undefined &&
      !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')
    ) {
      headers['content-type'] = 'application/json';
    }
    const release = await this.deps.semaphore.acquire(request.signal);
    let response: TransportResponse;
    try {
      response = await this.deps.transport.send({
        method: request.method,
        url: request.url,
        headers,
        body: request.body,
        signal: request.signal,
        beforeSend: async () => {
          const waited = await this.deps.gate.waitOpen(request.families, request.signal, request.writes);
          gateWaitMs += waited;
          metrics.recordThrottledWait(waited);
          metrics.recordRequest();
        },
      });
    } catch (cause) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (cause instanceof GraphAuthenticationError && !cause.transient) throw cause;
      return {
        ok: false,
        gateWaitMs,
        transientNetwork: cause instanceof GraphAuthenticationError || isTransientNetworkError(cause),
        error: new GraphRequestError({
          kind: 'network',
          method: request.method,
          path: pathOf(request.url),
          clientRequestId,
          code: errorCodes(cause)[0],
          cause,
        }),
      };
    } finally {
      release();
    }
    metrics.recordBytes(response.body.length);
    if (response.status < 400) return { ok: true, response };
    return {
      ok: false,
      gateWaitMs,
      transientNetwork: false,
      error: graphErrorFromResponse({
        method: request.method,
        url: request.url,
        status: response.status,
        headers: response.headers,
        body: parseJsonOrUndefined(response.body),
        clientRequestId,
        retryAfterMs: parseRetryAfter(response.headers['retry-after'], clock.now()),
      }),
    };
  }

  private isRetryable(outcome: FailedAttempt, request: ExecuteRequest): boolean {
    const { error } = outcome;
    if (error.kind === 'throttled') return true;
    if (!request.idempotent) return false;
    if (error.kind === 'network') return outcome.transientNetwork;
    return error.status !== undefined && isRetryableServerStatus(error.status);
  }

  private logContext(request: ExecuteRequest, error: GraphRequestError, attempt: number, delayMs: number) {
    return {
      method: request.method,
      path: pathOf(request.url),
      status: error.status,
      code: error.code,
      requestId: error.requestId,
      clientRequestId: error.clientRequestId,
      attempt,
      delayMs,
    };
  }
}

export function parseJsonOrUndefined(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
