import { GraphRequestError } from './errors';
import { GraphMetricsSnapshot } from './metrics';
import { GraphApiVersion } from './options';

export type QueryValue = string | number | boolean | undefined;

export interface GraphRequestOptions {
  /** Default: the factory's `defaultVersion` (v1.0). Ignored for absolute URLs (nextLink, deltaLink). */
  version?: GraphApiVersion;
  /** Sent on every request, including every page (e.g. `ConsistencyLevel: eventual`). */
  headers?: Record<string, string>;
  /** Appended to a relative path's query string. */
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

export type RestartReason = 'expiredPageToken' | 'syncStateNotFound';

export interface GraphRestartEvent {
  reason: RestartReason;
  error: GraphRequestError;
  /** 1 for the first restart of this enumeration. */
  restart: number;
}

export interface GraphPageOptions extends GraphRequestOptions {
  /** Awaited before the first page of a restarted enumeration is yielded. */
  onRestart?: (event: GraphRestartEvent) => void | Promise<void>;
}

export interface GraphPage<T> {
  items: T[];
  /** 0 for the first page of an enumeration (also after a restart). */
  pageIndex: number;
  /** `@odata.count` of the first page, repeated on later pages. */
  count?: number;
  nextLink?: string;
  /** Present on the last page of a delta round. */
  deltaLink?: string;
  /**
   * True on the first page after the enumeration started over (expired page token, expired delta
   * token): discard everything received from this enumeration before this page.
   */
  restarted: boolean;
  restartReason?: RestartReason;
}

export interface GraphDeltaOptions extends GraphPageOptions {
  /** A deltaLink stored by an earlier round; without it the round is a full sync from the initial path. */
  deltaLink?: string;
}

export interface GraphDeltaPage<T> extends GraphPage<T> {
  /** True when this round enumerates everything (no deltaLink, or the stored one had expired). */
  fullSync: boolean;
}

export interface GraphBatchRequest {
  /** Unique within the call (case-insensitive, as Graph compares them). */
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the version root, e.g. `/groups/{id}/members?$select=id`. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Ids of requests (in this call) that must succeed first. */
  dependsOn?: string[];
}

export interface GraphBatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  /** Set when status is 400 or above, after any retries. */
  error?: GraphRequestError;
}

export interface GraphBatchOptions {
  version?: GraphApiVersion;
  signal?: AbortSignal;
}

/**
 * Microsoft Graph, bound to one tenant. Implementations retry transient failures, respect throttling and
 * bound concurrency; failures surface as GraphRequestError.
 */
export abstract class GraphClient {
  abstract readonly tenantId: string;

  /** One object (or a text/plain value such as `/users/$count`). */
  abstract get<T>(path: string, options?: GraphRequestOptions): Promise<T>;

  /** A collection, page by page, following `@odata.nextLink` verbatim until it is absent. */
  abstract pages<T>(path: string, options?: GraphPageOptions): AsyncIterable<GraphPage<T>>;

  /** A small collection in memory; restarts are handled by discarding what came before. */
  abstract listAll<T>(path: string, options?: GraphRequestOptions): Promise<T[]>;

  /**
   * One delta round from `initialPath` (e.g. `/users/delta?$select=...`) or, when given, from
   * `options.deltaLink`. The last page carries the new deltaLink. An expired delta token falls back to a
   * full sync from `initialPath`, signalled by `restarted`/`fullSync` on the first page.
   */
  abstract delta<T>(initialPath: string, options?: GraphDeltaOptions): AsyncIterable<GraphDeltaPage<T>>;

  /** JSON batching: 20 requests per envelope, per-item retries, results by request id. */
  abstract batch(
    requests: readonly GraphBatchRequest[],
    options?: GraphBatchOptions,
  ): Promise<Map<string, GraphBatchResponse>>;

  abstract post<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T | undefined>;
  abstract patch<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T | undefined>;
  abstract put<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T | undefined>;
  abstract delete(path: string, options?: GraphRequestOptions): Promise<void>;

  /** Counters of this client since it was created. */
  abstract metrics(): GraphMetricsSnapshot;
}
