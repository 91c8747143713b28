import { GraphRequestError, GraphUsageError, graphErrorFromResponse, pathOf } from './errors';
import {
  GraphBatchOptions,
  GraphBatchRequest,
  GraphBatchResponse,
  GraphClient,
  GraphDeltaOptions,
  GraphDeltaPage,
  GraphPage,
  GraphPageOptions,
  GraphRequestOptions,
  QueryValue,
  RestartReason,
} from './graph-client';
import { GraphLogger } from './logger';
import { GraphMetrics, GraphMetricsSnapshot } from './metrics';
import { GraphApiVersion } from './options';
import { parseJsonOrUndefined, RequestExecutor } from './request-executor';
import { Clock } from './resilience/clock';
import {
  backoffDelay,
  isPacedByService,
  isRetryableServerStatus,
  parseRetryAfter,
  retryExhausted,
  RetryOptions,
} from './resilience/retry-policy';
import { ThrottleGate, throttleFamilyOf } from './resilience/throttle-gate';
import { HttpMethod, TransportResponse } from './transport/graph-transport';

/** Graph's limit of requests per JSON batch: https://learn.microsoft.com/graph/json-batching */
export const MAX_BATCH_SIZE = 20;

export interface HttpGraphClientDeps {
  tenantId: string;
  graphBaseUrl: string;
  defaultVersion: GraphApiVersion;
  executor: RequestExecutor;
  gate: ThrottleGate;
  metrics: GraphMetrics;
  clock: Clock;
  random: () => number;
  retry: RetryOptions;
  maxRestarts: number;
  logger: GraphLogger;
}

interface EnumerationStart {
  url: string;
  fullSync: boolean;
}

export class HttpGraphClient extends GraphClient {
  readonly tenantId: string;

  constructor(private readonly deps: HttpGraphClientDeps) {
    super();
    this.tenantId = deps.tenantId;
  }

  metrics(): GraphMetricsSnapshot {
    return this.deps.metrics.snapshot();
  }

  async get<T>(path: string, options: GraphRequestOptions = {}): Promise<T> {
    const response = await this.send('GET', this.resolveUrl(path, options), options);
    return decodeBody(response, 'GET', path) as T;
  }

  async post<T>(path: string, body: unknown, options: GraphRequestOptions = {}): Promise<T | undefined> {
    return this.write<T>('POST', path, body, options);
  }

  async patch<T>(path: string, body: unknown, options: GraphRequestOptions = {}): Promise<T | undefined> {
    return this.write<T>('PATCH', path, body, options);
  }

  async put<T>(path: string, body: unknown, options: GraphRequestOptions = {}): Promise<T | undefined> {
    return this.write<T>('PUT', path, body, options);
  }

  async delete(path: string, options: GraphRequestOptions = {}): Promise<void> {
    await this.send('DELETE', this.resolveUrl(path, options), options);
  }

  async *pages<T>(path: string, options: GraphPageOptions = {}): AsyncIterable<GraphPage<T>> {
    const start: EnumerationStart = { url: this.resolveUrl(path, options), fullSync: true };
    for await (const page of this.enumerate<T>(start, undefined, options)) {
      const { fullSync: _fullSync, ...rest } = page;
      yield rest;
    }
  }

  async listAll<T>(path: string, options: GraphRequestOptions = {}): Promise<T[]> {
    let items: T[] = [];
    for await (const page of this.pages<T>(path, options)) {
      if (page.restarted) items = [];
      items.push(...page.items);
    }
    return items;
  }

  delta<T>(initialPath: string, options: GraphDeltaOptions = {}): AsyncIterable<GraphDeltaPage<T>> {
    const initialUrl = this.resolveUrl(initialPath, options);
    const start: EnumerationStart = options.deltaLink
      ? { url: this.resolveUrl(options.deltaLink, options), fullSync: false }
      : { url: initialUrl, fullSync: true };
    return this.enumerate<T>(start, initialUrl, options);
  }

  /**
   * Pages from `start` until no nextLink is left. An expired page token restarts from `start`; an expired
   * delta token (syncStateNotFound, resyncRequired, 410 Gone) restarts from `fullSyncUrl` as a full sync.
   * https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset
   */
  private async *enumerate<T>(
    initial: EnumerationStart,
    fullSyncUrl: string | undefined,
    options: GraphPageOptions,
  ): AsyncGenerator<GraphDeltaPage<T>> {
    let start = initial;
    let url = start.url;
    let pageIndex = 0;
    let count: number | undefined;
    let restarts = 0;
    let restartReason: RestartReason | undefined;
    for (;;) {
      let body: Record<string, unknown>;
      try {
        body = await this.getCollectionPage(url, options);
      } catch (error) {
        const reason = this.restartReasonFor(error, start, fullSyncUrl);
        if (!reason || !(error instanceof GraphRequestError)) throw error;
        if (restarts >= this.deps.maxRestarts) throw error;
        restarts++;
        if (reason === 'syncStateNotFound') start = { url: fullSyncUrl!, fullSync: true };
        this.deps.logger.warn('Graph enumeration restarts', {
          tenantId: this.tenantId,
          reason,
          code: error.code,
          requestId: error.requestId,
          restart: restarts,
        });
        await options.onRestart?.({ reason, error, restart: restarts });
        url = start.url;
        pageIndex = 0;
        count = undefined;
        restartReason = reason;
        continue;
      }
      if (pageIndex === 0 && typeof body['@odata.count'] === 'number') count = body['@odata.count'];
      const nextLink = optionalLink(body, '@odata.nextLink');
      const deltaLink = optionalLink(body, '@odata.deltaLink');
      yield {
        items: body['value'] as T[],
        pageIndex,
        ...(count === undefined ? {} : { count }),
        ...(nextLink ? { nextLink } : {}),
        ...(deltaLink ? { deltaLink } : {}),
        restarted: restartReason !== undefined,
        ...(restartReason ? { restartReason } : {}),
        fullSync: start.fullSync,
      };
      restartReason = undefined;
      if (!nextLink) return;
      url = this.resolveUrl(nextLink, options);
      pageIndex++;
    }
  }

  private restartReasonFor(
    error: unknown,
    start: EnumerationStart,
    fullSyncUrl: string | undefined,
  ): RestartReason | undefined {
    if (!(error instanceof GraphRequestError)) return undefined;
    if (error.kind === 'expiredPageToken') return 'expiredPageToken';
    if (error.kind === 'syncStateNotFound' && fullSyncUrl !== undefined && !start.fullSync)
      return 'syncStateNotFound';
    return undefined;
  }

  private async getCollectionPage(
    url: string,
    options: GraphRequestOptions,
  ): Promise<Record<string, unknown>> {
    const response = await this.send('GET', url, options);
    const body = decodeBody(response, 'GET', url);
    if (
      body === null ||
      typeof body !== 'object' ||
      !Array.isArray((body as Record<string, unknown>)['value'])
    ) {
      throw new GraphUsageError(`Graph GET ${pathOf(url)} did not return a collection (no "value" array)`);
    }
    return body as Record<string, unknown>;
  }

  async batch(
    requests: readonly GraphBatchRequest[],
    options: GraphBatchOptions = {},
  ): Promise<Map<string, GraphBatchResponse>> {
    const chunks = planBatches(requests);
    const results = new Map<string, GraphBatchResponse>();
    await Promise.all(
      chunks.map(async (chunk) => {
        for (const response of await this.runBatchChunk(chunk, options))
          results.set(response.id.toLowerCase(), response);
      }),
    );
    // Same order as the requests, keyed by the caller's ids.
    const ordered = new Map<string, GraphBatchResponse>();
    for (const request of requests) ordered.set(request.id, results.get(request.id.toLowerCase())!);
    return ordered;
  }

  /**
   * One chunk of at most 20 requests (closed under dependsOn). Items answered 429 or a transient 5xx (and their
   * dependants, answered 424) are sent again in a smaller batch after the longest item Retry-After.
   * Sub-requests are throttled individually: https://learn.microsoft.com/graph/json-batching
   */
  private async runBatchChunk(
    chunk: GraphBatchRequest[],
    options: GraphBatchOptions,
  ): Promise<GraphBatchResponse[]> {
    const { retry, clock, metrics, gate } = this.deps;
    const version = options.version ?? this.deps.defaultVersion;
    const url = `${this.deps.graphBaseUrl}/${version}/$batch`;
    const final = new Map<string, GraphBatchResponse>();
    let pending = chunk;
    const budget = { unpacedFailures: 0, waitedMs: 0 };
    for (let round = 1; ; round++) {
      const pendingIds = new Set(pending.map((request) => request.id.toLowerCase()));
      const envelope = {
        requests: pending.map((request) => toBatchItem(request, pendingIds)),
      };
      const response = await this.deps.executor.execute({
        method: 'POST',
        url,
        headers: {},
        body: JSON.stringify(envelope),
        signal: options.signal,
        families: [...new Set(pending.map((request) => throttleFamilyOf(request.url)))],
        writes: writeCounts(pending),
        idempotent: pending.every((request) => request.method === 'GET'),
      });
      const byId = readBatchResponses(response, url);
      const retryIds = new Set<string>();
      let delay: number | undefined;
      let throttled = 0;
      for (const request of pending) {
        const key = request.id.toLowerCase();
        const item = byId.get(key);
        if (!item) {
          throw new GraphUsageError(`Graph $batch response has no answer for request id '${request.id}'`);
        }
        if (isRetryableItem(item.status, request.method)) {
          retryIds.add(key);
          const itemDelay = parseRetryAfter(headerOf(item.headers, 'retry-after'), clock.now());
          if (itemDelay !== undefined) delay = Math.max(delay ?? 0, itemDelay);
          if (item.status === 429) {
            throttled++;
            // Close the gate now, even if this item is not retried, so no other request hits the scope early.
            if (itemDelay !== undefined) gate.close(throttleFamilyOf(request.url), clock.now() + itemDelay);
          }
        }
        final.set(key, item);
      }
      // A 424 whose dependency is being retried is retried with it.
      let grew = true;
      while (grew) {
        grew = false;
        for (const request of pending) {
          const key = request.id.toLowerCase();
          if (retryIds.has(key) || final.get(key)?.status !== 424) continue;
          if ((request.dependsOn ?? []).some((id) => retryIds.has(id.toLowerCase()))) {
            retryIds.add(key);
            grew = true;
          }
        }
      }
      if (throttled > 0) metrics.recordThrottledResponses(throttled);
      if (retryIds.size === 0) break;
      if (!isPacedByService(delay)) budget.unpacedFailures++;
      const wait = delay ?? backoffDelay(budget.unpacedFailures, retry, this.deps.random);
      if (retryExhausted(budget, wait, retry)) {
        this.deps.logger.warn('Graph $batch items still failing, giving up', {
          tenantId: this.tenantId,
          items: retryIds.size,
          round,
        });
        break;
      }
      for (const request of pending) {
        const key = request.id.toLowerCase();
        if (retryIds.has(key) && final.get(key)?.status === 429)
          gate.close(throttleFamilyOf(request.url), clock.now() + wait);
      }
      metrics.recordRetries(retryIds.size);
      if (throttled > 0) metrics.recordThrottledWait(wait);
      await clock.sleep(wait, options.signal);
      budget.waitedMs += wait;
      pending = pending.filter((request) => retryIds.has(request.id.toLowerCase()));
    }
    return chunk.map((request) => {
      const item = final.get(request.id.toLowerCase())!;
      const result: GraphBatchResponse = { id: request.id, status: item.status, headers: item.headers };
      if (item.body !== undefined) result.body = item.body;
      if (item.status >= 400) {
        result.error = graphErrorFromResponse({
          method: request.method,
          url: `${this.deps.graphBaseUrl}/${version}${request.url}`,
          status: item.status,
          headers: lowerCaseKeys(item.headers),
          body: item.body,
          retryAfterMs: parseRetryAfter(headerOf(item.headers, 'retry-after'), clock.now()),
        });
      }
      return result;
    });
  }

  private async write<T>(method: HttpMethod, path: string, body: unknown, options: GraphRequestOptions) {
    const response = await this.send(method, this.resolveUrl(path, options), options, JSON.stringify(body));
    return decodeBody(response, method, path) as T | undefined;
  }

  private send(
    method: HttpMethod,
    url: string,
    options: GraphRequestOptions,
    body?: string,
  ): Promise<TransportResponse> {
    return this.deps.executor.execute({
      method,
      url,
      headers: { ...options.headers },
      body,
      signal: options.signal,
      families: [throttleFamilyOf(url)],
      ...(method === 'GET' || isReadOnlyAction(url) ? {} : { writes: { [throttleFamilyOf(url)]: 1 } }),
      // POST creates objects: repeating it after a timeout could create a duplicate. The directory's
      // read-only actions called with POST only read, so they are repeated like GETs.
      idempotent: method !== 'POST' || isReadOnlyAction(url),
    });
  }

  /**
   * Absolute URLs (nextLink, deltaLink) are used verbatim but must point at the configured Graph service,
   * so a token is never sent elsewhere; relative paths are joined to `<base>/<version>`.
   */
  private resolveUrl(path: string, options: GraphRequestOptions): string {
    if (typeof path !== 'string' || path === '') throw new GraphUsageError('Graph path is empty');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
      if (!path.startsWith(`${this.deps.graphBaseUrl}/`)) {
        throw new GraphUsageError(
          `URL ${pathOf(path)} is not on the configured Graph service ${this.deps.graphBaseUrl}`,
        );
      }
      return path;
    }
    if (!path.startsWith('/')) throw new GraphUsageError(`Graph path must start with '/', got '${path}'`);
    const version = options.version ?? this.deps.defaultVersion;
    return `${this.deps.graphBaseUrl}/${version}${path}${queryString(path, options.query)}`;
  }
}

function queryString(path: string, query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeQueryPart(name)}=${encodeQueryPart(String(value))}`);
  if (parts.length === 0) return '';
  return `${path.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

/** Percent-encodes like encodeURIComponent but keeps `$` and `,`, which OData query options use literally. */
function encodeQueryPart(value: string): string {
  return encodeURIComponent(value).replace(/%24/g, '$').replace(/%2C/gi, ',');
}

function optionalLink(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function decodeBody(response: TransportResponse, method: string, path: string): unknown {
  if (response.status === 204 || response.body.length === 0) return undefined;
  const text = response.body.toString('utf8');
  const contentType = response.headers['content-type'] ?? '';
  if (!contentType.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new GraphUsageError(`Graph ${method} ${pathOf(path)} returned invalid JSON`);
  }
}

interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

function readBatchResponses(response: TransportResponse, url: string): Map<string, BatchItemResponse> {
  const body = parseJsonOrUndefined(response.body) as { responses?: unknown } | undefined;
  if (!body || !Array.isArray(body.responses)) {
    throw new GraphUsageError(`Graph POST ${pathOf(url)} returned no "responses" array`);
  }
  const byId = new Map<string, BatchItemResponse>();
  for (const raw of body.responses as Array<Record<string, unknown>>) {
    const id = String(raw['id']).toLowerCase();
    const headers = (raw['headers'] ?? {}) as Record<string, string>;
    byId.set(id, { id, status: Number(raw['status']), headers, body: raw['body'] });
  }
  return byId;
}

/**
 * Directory actions that only read, though Graph serves them as POST:
 * https://learn.microsoft.com/graph/api/directoryobject-getavailableextensionproperties,
 * https://learn.microsoft.com/graph/api/directoryobject-getbyids,
 * https://learn.microsoft.com/graph/api/directoryobject-getmembergroups
 */
function isReadOnlyAction(url: string): boolean {
  return /\/(microsoft\.graph\.)?(getAvailableExtensionProperties|getByIds|getMemberGroups|getMemberObjects|checkMemberGroups|checkMemberObjects)\/?(\?|$)/i.test(
    url,
  );
}

function isRetryableItem(status: number, method: string): boolean {
  if (status === 429) return true;
  return method !== 'POST' && isRetryableServerStatus(status);
}

function toBatchItem(request: GraphBatchRequest, pendingIds: Set<string>): Record<string, unknown> {
  const item: Record<string, unknown> = { id: request.id, method: request.method, url: request.url };
  const headers = { ...request.headers };
  if (request.body !== undefined) {
    // Graph requires a Content-Type header on every batch item that has a body.
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/json';
    }
    item['body'] = request.body;
  }
  if (Object.keys(headers).length > 0) item['headers'] = headers;
  // Dependencies that already succeeded in an earlier round are no longer part of the envelope.
  const dependsOn = (request.dependsOn ?? []).filter((id) => pendingIds.has(id.toLowerCase()));
  if (dependsOn.length > 0) item['dependsOn'] = dependsOn;
  return item;
}

/**
 * Validates the requests and packs them into batches of at most 20, keeping every dependsOn chain inside
 * one batch (Graph only resolves dependencies within a batch).
 */
export function planBatches(requests: readonly GraphBatchRequest[]): GraphBatchRequest[][] {
  const byId = new Map<string, GraphBatchRequest>();
  for (const request of requests) {
    if (typeof request.id !== 'string' || request.id === '')
      throw new GraphUsageError('Batch request id is empty');
    const key = request.id.toLowerCase();
    if (byId.has(key))
      throw new GraphUsageError(`Batch request id '${request.id}' is not unique (ids are case-insensitive)`);
    if (typeof request.url !== 'string' || !request.url.startsWith('/')) {
      throw new GraphUsageError(`Batch request '${request.id}' needs a relative url starting with '/'`);
    }
    byId.set(key, request);
  }
  const parent = new Map<string, string>([...byId.keys()].map((key) => [key, key]));
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(key, root);
    return root;
  };
  for (const request of requests) {
    for (const dependency of request.dependsOn ?? []) {
      const depKey = dependency.toLowerCase();
      if (!byId.has(depKey)) {
        throw new GraphUsageError(`Batch request '${request.id}' depends on unknown id '${dependency}'`);
      }
      parent.set(find(request.id.toLowerCase()), find(depKey));
    }
  }
  const groups = new Map<string, GraphBatchRequest[]>();
  for (const request of requests) {
    const root = find(request.id.toLowerCase());
    const group = groups.get(root) ?? [];
    group.push(request);
    groups.set(root, group);
  }
  const batches: GraphBatchRequest[][] = [];
  for (const group of groups.values()) {
    if (group.length > MAX_BATCH_SIZE) {
      throw new GraphUsageError(
        `A dependsOn chain of ${group.length} requests exceeds the Graph batch limit of ${MAX_BATCH_SIZE}`,
      );
    }
    const target = batches.find((batch) => batch.length + group.length <= MAX_BATCH_SIZE);
    if (target) target.push(...group);
    else batches.push([...group]);
  }
  return batches;
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}

/** Write items of a `$batch` per throttle family. */
function writeCounts(requests: readonly GraphBatchRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const request of requests) {
    if (request.method === 'GET') continue;
    const family = throttleFamilyOf(request.url);
    out[family] = (out[family] ?? 0) + 1;
  }
  return out;
}
