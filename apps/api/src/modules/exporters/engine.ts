import type { BackupProgressEvent, BackupTypeStatus, ObjectTypeKey } from '@entra-backup/common';
import {
  GraphAuthenticationError,
  type GraphBatchRequest,
  type GraphClient,
  GraphRequestError,
  GraphUsageError,
  MAX_BATCH_SIZE,
} from '@entra-backup/graph';
import type {
  ChildSpec,
  CollectionSpec,
  Descriptor,
  GraphObject,
  HookContext,
  PageHook,
  SkipRule,
} from './descriptor';
import { toReference, withoutAnnotations } from './descriptor';

/** What the engine writes to: the storage's snapshot writer satisfies it. */
export interface SnapshotSink {
  put(type: ObjectTypeKey, collection: string, object: GraphObject): Promise<void>;
  remove(type: ObjectTypeKey, collection: string, objectId: string): Promise<void>;
  /** Forgets what this run put or removed in a collection so far: its enumeration starts over. */
  restartCollection(type: ObjectTypeKey, collection: string): Promise<void>;
  appendLogs(type: ObjectTypeKey, collection: string, entries: readonly GraphObject[]): Promise<void>;
  setWatermark(type: ObjectTypeKey, watermark: string): void;
  setDeltaLink(type: ObjectTypeKey, collection: string, deltaLink: string): void;
  completeType(type: ObjectTypeKey, figures: EngineTypeFigures): Promise<void>;
  failType(type: ObjectTypeKey, failure: EngineTypeFigures & EngineFailure): Promise<void>;
  skipType(type: ObjectTypeKey, reason: string, figures: EngineTypeFigures): Promise<void>;
}

export interface EngineTypeFigures {
  readonly requests: number;
  readonly retries: number;
  readonly throttledWaits: number;
  readonly throttledWaitMs: number;
  readonly durationMs: number;
}

export interface EngineFailure {
  readonly reason: string;
  readonly graphCode?: string;
  readonly requestId?: string;
}

/** What the previous snapshot left behind, read lazily. */
export interface PreviousState {
  /** The stored deltaLink of a collection, if its type's last successful run stored one. */
  deltaLink(type: ObjectTypeKey, collection: string): Promise<string | undefined>;
  /** The stored log watermark (ISO time) of a type, or null. */
  watermark(type: ObjectTypeKey): Promise<string | null>;
  /** Objects of a collection in the latest visible snapshot (empty when there is none). */
  objects(
    type: ObjectTypeKey,
    collection: string,
  ): AsyncIterable<{ readonly id: string; readonly object: unknown }>;
}

/** Secrets read by runs that did not commit them (see `HookContext.secretsReadBefore`). */
export interface SecretReadStore {
  recall(type: ObjectTypeKey): Promise<ReadonlyMap<string, string>>;
  remember(type: ObjectTypeKey, reads: ReadonlyArray<readonly [string, string]>): Promise<void>;
}

export interface EngineRunRequest {
  readonly runId: string;
  readonly types: readonly ObjectTypeKey[];
  /**
   * `full`: every collection is enumerated and storage closes what was not seen. `incremental`:
   * delta collections replay their changes; the others are enumerated and what disappeared is
   * removed explicitly.
   */
  readonly mode: 'full' | 'incremental';
  /** A client per type, so each type's Graph figures are its own (clients share the tenant's limits). */
  clientFor(type: ObjectTypeKey): GraphClient;
  readonly sink: SnapshotSink;
  readonly previous: PreviousState;
  /** Where hooks keep the secrets they read until a snapshot holds them (none: kept in memory only). */
  readonly secretReads?: SecretReadStore;
  readonly onProgress?: (event: BackupProgressEvent) => void;
  readonly signal?: AbortSignal;
}

export interface EngineTypeOutcome {
  readonly type: ObjectTypeKey;
  readonly status: BackupTypeStatus;
  readonly reason?: string;
  readonly graphCode?: string;
  readonly requestId?: string;
  readonly requests: number;
  readonly minimumRequests: number;
  readonly retries: number;
  readonly throttledWaits: number;
  readonly throttledWaitMs: number;
  readonly durationMs: number;
  /** Objects and log entries read from Graph (all collections). */
  readonly objectsRead: number;
  readonly bitlockerKeyReads?: number;
}

export interface EngineOptions {
  /** Types backed up at the same time; the Graph client bounds requests per tenant anyway. */
  readonly typeConcurrency: number;
  /**
   * Logs are re-read from this long before the watermark, since entries arrive late: Microsoft
   * documents 2 minutes (95th percentile) and 5 minutes (99th percentile) for both audit and
   * sign-in logs (Microsoft Entra reporting latencies). Entries later still are caught by the
   * periodic full run, which re-reads the whole retention window.
   */
  readonly logOverlapMs: number;
  /**
   * Caps every page size the engine asks for (`$top`, `Prefer: odata.maxpagesize`). Unset: each
   * collection's maximum, the fewest requests.
   */
  readonly pageSizeLimit?: number;
}

/** Three times the documented 99th-percentile log latency. */
export const DEFAULT_LOG_OVERLAP_MS = 15 * 60 * 1000;

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  typeConcurrency: 3,
  logOverlapMs: DEFAULT_LOG_OVERLAP_MS,
};

export interface EngineClock {
  now(): Date;
}

/**
 * The one backup engine: walks a type's descriptor, streams pages from Graph into the snapshot
 * writer (one page and its children in memory at a time), and reports a status per type.
 */
export class ExportEngine {
  constructor(
    private readonly descriptors: Readonly<Record<ObjectTypeKey, Descriptor>>,
    private readonly clock: EngineClock,
    private readonly options: EngineOptions = DEFAULT_ENGINE_OPTIONS,
  ) {}

  /**
   * Runs every requested type and ends each one in the sink. Directory types run a few at a time;
   * log types start at once beside them: their pace is set by Graph's reports limit (they take
   * turns in one lane), not by this process, so they would only hold a worker while waiting.
   */
  async run(request: EngineRunRequest): Promise<EngineTypeOutcome[]> {
    const isLog = (type: ObjectTypeKey) => this.descriptors[type].collections.some((c) => c.log);
    const queue = request.types.filter((type) => !isLog(type));
    const reportsLane = new SerialLane();
    const outcomes = new Map<ObjectTypeKey, EngineTypeOutcome>();
    // A fatal error in one type (storage broken, run cancelled) stops the other types too, so no
    // Graph request is sent for a run that can no longer commit.
    const stop = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
    const scoped: EngineRunRequest = { ...request, signal };
    const runOne = async (type: ObjectTypeKey): Promise<void> => {
      try {
        outcomes.set(type, await this.runType(scoped, type, reportsLane));
      } catch (error) {
        if (!stop.signal.aborted) stop.abort(error);
        throw error;
      }
    };
    const workers = Array.from({ length: Math.min(this.options.typeConcurrency, queue.length) }, async () => {
      for (let type = queue.shift(); type !== undefined && !signal.aborted; type = queue.shift())
        await runOne(type);
    });
    const logs = request.types.filter(isLog).map(runOne);
    const settled = await Promise.allSettled([...logs, ...workers]);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure)
      throw request.signal?.aborted ? abortError(request.signal) : (stop.signal.reason ?? failure.reason);
    return request.types.map((type) => outcomes.get(type)!);
  }

  private async runType(
    request: EngineRunRequest,
    type: ObjectTypeKey,
    reportsLane: SerialLane,
  ): Promise<EngineTypeOutcome> {
    const descriptor = this.descriptors[type];
    const client = request.clientFor(type);
    const started = this.clock.now().getTime();
    const run = new TypeRun(request, descriptor, client, this.options, this.clock, reportsLane);
    this.emit(request, {
      kind: 'type-started',
      runId: request.runId,
      type,
      at: this.clock.now().toISOString(),
    });
    let status: BackupTypeStatus = 'succeeded';
    let failure: EngineFailure | undefined;
    try {
      await run.execute();
    } catch (error) {
      if (request.signal?.aborted) throw abortError(request.signal);
      const skip = skipRuleFor(descriptor.skipWhen, error);
      if (skip) {
        status = 'skipped';
        failure = { reason: skip.reason, ...graphDetails(error) };
      } else {
        if (!(error instanceof GraphRequestError) && !isGraphSideError(error)) throw error;
        status = 'failed';
        failure = { reason: errorText(error), ...graphDetails(error) };
      }
    }
    const metrics = client.metrics();
    const figures: EngineTypeFigures = {
      requests: metrics.requests,
      retries: metrics.retries,
      throttledWaits: metrics.throttledWaits,
      throttledWaitMs: Math.round(metrics.throttledWaitMs),
      durationMs: Math.max(0, this.clock.now().getTime() - started),
    };
    if (status === 'succeeded') await request.sink.completeType(type, figures);
    else if (status === 'skipped') await request.sink.skipType(type, failure!.reason, figures);
    else await request.sink.failType(type, { ...figures, ...failure! });
    this.emit(request, {
      kind: 'type-finished',
      runId: request.runId,
      type,
      status,
      ...(failure ? { reason: failure.reason } : {}),
      read: run.objectsRead,
      at: this.clock.now().toISOString(),
    });
    return {
      type,
      status,
      ...(failure ?? {}),
      ...figures,
      minimumRequests: run.minimumRequests,
      objectsRead: run.objectsRead,
      ...(descriptor.hook ? { bitlockerKeyReads: run.bitlockerKeyReads } : {}),
    };
  }

  private emit(request: EngineRunRequest, event: BackupProgressEvent): void {
    try {
      request.onProgress?.(event);
    } catch {
      // A failing progress listener must not break the backup.
    }
  }
}

/** Runs tasks one after another, in call order. */
class SerialLane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Graph answered something the engine cannot store (e.g. an object without an id): the type fails. */
export class GraphDataError extends Error {
  override readonly name = 'GraphDataError';
}

/** A type's run: the state shared by its collections. */
class TypeRun {
  objectsRead = 0;
  minimumRequests = 0;
  bitlockerKeyReads = 0;
  private pages = 0;
  /** Ids seen per collection in this run, for reference filters (role assignments of these roles). */
  private readonly seenIds = new Map<string, Set<string>>();
  /** Collections whose ids a reference filter of another collection needs. */
  private readonly referenced: ReadonlySet<string>;

  constructor(
    private readonly request: EngineRunRequest,
    private readonly descriptor: Descriptor,
    private readonly client: GraphClient,
    private readonly options: EngineOptions,
    private readonly clock: EngineClock,
    private readonly reportsLane: SerialLane,
  ) {
    this.referenced = new Set(descriptor.collections.flatMap((c) => c.keepReferencing?.collection ?? []));
  }

  private get type(): ObjectTypeKey {
    return this.descriptor.key;
  }

  async execute(): Promise<void> {
    for (const [index, spec] of this.descriptor.collections.entries()) {
      this.checkAborted();
      // Sign-in and audit logs share Graph's reports limit (5 requests per 10 s per app and
      // tenant: https://learn.microsoft.com/graph/throttling-limits);
      // read concurrently they keep throttling each other, so log collections take turns.
      if (spec.log) await this.reportsLane.run(() => this.readLog(spec));
      else await this.readObjectsOrEmpty(spec, index === 0);
    }
  }

  // ---- logs ----------------------------------------------------------------------------------

  /**
   * Append-only logs: a full run reads the whole retention window, an incremental one from the
   * watermark minus an overlap (entries can appear late); storage keeps each id once.
   */
  private async readLog(spec: CollectionSpec): Promise<void> {
    const { timeProperty } = spec.log!;
    const watermark =
      this.request.mode === 'incremental' ? await this.request.previous.watermark(this.type) : null;
    const query: Record<string, string> = {};
    if (spec.supportsTop) query['$top'] = String(this.pageSize(spec.pageSize));
    if (watermark !== null) {
      // Whole seconds, as in Graph's examples (`createdDateTime ge 2024-07-01T00:00:00Z`); the overlap covers the rest.
      const from = new Date(Math.floor((Date.parse(watermark) - this.options.logOverlapMs) / 1000) * 1000);
      query['$filter'] = `${timeProperty} ge ${from.toISOString().replace('.000Z', 'Z')}`;
    }
    let newest = watermark;
    let read = 0;
    for await (const page of this.client.pages<Record<string, unknown>>(
      withQuery(spec.path, query),
      this.pageOptions(spec),
    )) {
      this.checkAborted();
      const entries = page.items.map((item) => asGraphObject(withoutAnnotations(item), spec));
      read += entries.length;
      if (entries.length > 0) await this.request.sink.appendLogs(this.type, spec.name, entries);
      for (const entry of entries) {
        const at = entry[timeProperty];
        if (typeof at === 'string' && (newest === null || Date.parse(at) > Date.parse(newest))) newest = at;
      }
      this.progress(spec.name, entries.length);
    }
    this.minimumRequests += Math.max(1, Math.ceil(read / spec.pageSize));
    if (newest !== null) this.request.sink.setWatermark(this.type, newest);
  }

  // ---- objects -------------------------------------------------------------------------------

  private async readObjectsOrEmpty(spec: CollectionSpec, primary: boolean): Promise<void> {
    try {
      await this.readObjects(spec, primary);
    } catch (error) {
      if (this.request.signal?.aborted || !skipRuleFor(spec.emptyWhen ?? [], error)) throw error;
      // The collection does not exist in this tenant: whatever an earlier snapshot held is gone.
      this.minimumRequests += 1;
      this.seenIds.set(spec.name, new Set());
      if (this.request.mode === 'incremental') {
        for await (const { id } of this.request.previous.objects(this.type, spec.name))
          await this.request.sink.remove(this.type, spec.name, id);
      }
    }
  }

  private async readObjects(spec: CollectionSpec, primary: boolean): Promise<void> {
    const hook = primary && this.descriptor.hook ? await this.descriptor.hook(this.hookContext()) : undefined;
    if (spec.delta && this.request.mode === 'incremental') {
      const link = await this.request.previous.deltaLink(this.type, spec.name);
      if (link !== undefined) {
        const latest = await this.replayDelta(spec, link, hook);
        if (latest === undefined) return;
        // The stored token expired: the fallback round handed out a fresh token, taken before the
        // enumeration below, so nothing changed in between is missed next time.
        await this.enumerate(spec, hook, latest);
        return;
      }
    }
    await this.enumerate(spec, hook, undefined);
  }

  /**
   * Replays the changes since a stored deltaLink: `@removed` objects are removed, every other
   * reported object (including membership changes, `members@delta`) is re-read in full with its
   * children, so the result equals what a full enumeration would store. Returns a fresh deltaLink
   * when the stored one had expired and the collection must be enumerated instead.
   */
  private async replayDelta(
    spec: CollectionSpec,
    deltaLink: string,
    hook: PageHook | undefined,
  ): Promise<string | undefined> {
    const delta = spec.delta!;
    let changes = 0;
    let reread = 0;
    const removed = new Set<string>();
    const rereadIds = new Set<string>();
    for await (const page of this.client.delta<Record<string, unknown>>(latestDeltaPath(spec), {
      ...this.pageOptions(spec),
      deltaLink,
      headers: { Prefer: `odata.maxpagesize=${this.pageSize(delta.maxPageSize)}` },
    })) {
      this.checkAborted();
      if (page.fullSync) {
        this.minimumRequests += 1;
        if (page.deltaLink === undefined) continue;
        return page.deltaLink;
      }
      changes += page.items.length;
      const changed: string[] = [];
      for (const item of page.items) {
        const id = item['id'];
        if (typeof id !== 'string') continue;
        if (item['@removed'] !== undefined) {
          removed.add(id);
          await this.request.sink.remove(this.type, spec.name, id);
        } else {
          changed.push(id);
        }
      }
      const unique = [...new Set(changed)];
      for (const id of unique) rereadIds.add(id);
      reread += unique.length;
      await this.reread(spec, unique, hook);
      this.progress(spec.name, page.items.length);
      if (page.deltaLink !== undefined) this.request.sink.setDeltaLink(this.type, spec.name, page.deltaLink);
    }
    if (removed.size > 0 && spec.dependsOnRemoved) {
      const dependents: string[] = [];
      for await (const { id, object } of this.request.previous.objects(this.type, spec.name)) {
        if (removed.has(id) || rereadIds.has(id)) continue;
        if (spec.dependsOnRemoved(object as Record<string, unknown>, removed)) dependents.push(id);
      }
      reread += dependents.length;
      for (let start = 0; start < dependents.length; start += this.pageSize(spec.pageSize)) {
        await this.reread(spec, dependents.slice(start, start + this.pageSize(spec.pageSize)), hook);
      }
    }
    this.minimumRequests +=
      Math.max(1, Math.ceil(changes / delta.maxPageSize)) + rereadRequests(spec, reread);
    return undefined;
  }

  /** Re-reads objects by id (20 per batch, children alongside); gone objects are removed. */
  private async reread(
    spec: CollectionSpec,
    ids: readonly string[],
    hook: PageHook | undefined,
  ): Promise<void> {
    if (ids.length === 0) return;
    if (rereadsWithDelta(spec)) {
      await this.rereadWithDelta(spec, ids, hook);
      return;
    }
    const requests: GraphBatchRequest[] = ids.map((id, index) => ({
      id: `o${index}`,
      method: 'GET',
      url: withQuery(`${spec.path}/${encodeURIComponent(id)}`, objectQuery(spec)),
    }));
    const responses = await this.client.batch(requests, this.batchOptions(spec));
    const found: GraphObject[] = [];
    for (const [index, id] of ids.entries()) {
      const response = responses.get(`o${index}`)!;
      if (response.status === 404) {
        await this.request.sink.remove(this.type, spec.name, id);
        continue;
      }
      if (response.error) throw response.error;
      found.push(asGraphObject(normalize(spec, response.body as Record<string, unknown>), spec));
    }
    const complete = await this.withChildren(spec, found);
    for (const id of complete.vanished) await this.request.sink.remove(this.type, spec.name, id);
    await this.store(spec, complete.objects, hook, undefined);
  }

  /**
   * Re-reads objects through the delta query scoped to their ids (`$filter=id eq '…' or …`, at most
   * 50 per request, 20 requests per `$batch`): an initial round returns each object's full state
   * with the relationships the delta query carries inline (users' manager), so 1,000 changed
   * users cost one envelope instead of fifty. Ids the round does not return are gone.
   * https://learn.microsoft.com/graph/delta-query-overview
   */
  private async rereadWithDelta(
    spec: CollectionSpec,
    ids: readonly string[],
    hook: PageHook | undefined,
  ): Promise<void> {
    const delta = spec.delta!;
    const chunks: string[][] = [];
    for (let start = 0; start < ids.length; start += DELTA_FILTER_IDS)
      chunks.push(ids.slice(start, start + DELTA_FILTER_IDS));
    const responses = await this.client.batch(
      chunks.map((chunk, index) => ({
        id: `d${index}`,
        method: 'GET',
        url: withQuery(delta.path, {
          $select: delta.select.join(','),
          $filter: chunk.map((id) => `id eq '${id.replace(/'/g, "''")}'`).join(' or '),
        }),
      })),
      this.batchOptions(spec),
    );
    const found: GraphObject[] = [];
    for (const index of chunks.keys()) {
      const response = responses.get(`d${index}`)!;
      if (response.error) throw response.error;
      const body = (response.body ?? {}) as { value?: unknown; '@odata.nextLink'?: unknown };
      const items = Array.isArray(body.value) ? [...(body.value as Record<string, unknown>[])] : [];
      const next = body['@odata.nextLink'];
      if (typeof next === 'string') items.push(...(await this.restOfChildList(spec, next)));
      for (const item of items)
        if (item['@removed'] === undefined) found.push(asGraphObject(normalize(spec, item), spec));
    }
    const present = new Set(found.map((o) => o.id));
    for (const id of ids) if (!present.has(id)) await this.request.sink.remove(this.type, spec.name, id);
    await this.store(spec, found, hook, undefined);
  }

  /**
   * Enumerates a whole collection. For delta collections a deltaLink for the next run is taken
   * first (`$deltatoken=latest`) unless `latestLink` already is one, or the enumeration itself
   * is the delta query's initial round. In an incremental run, objects of the previous snapshot
   * that were not seen are removed. A restarted enumeration (expired page token) drops what the
   * run staged for the collection and starts over.
   *
   * Ids are remembered only where needed (an incremental run's removals, a reference filter of
   * another collection): a full run keeps one page in memory whatever the collection's size,
   * since storage closes whatever the run did not stage.
   */
  private async enumerate(
    spec: CollectionSpec,
    hook: PageHook | undefined,
    latestLink: string | undefined,
  ): Promise<void> {
    const delta = spec.delta;
    let deltaLink = latestLink;
    if (delta && !delta.enumerateWithDelta && deltaLink === undefined) {
      for await (const page of this.client.delta<Record<string, unknown>>(
        latestDeltaPath(spec),
        this.pageOptions(spec),
      )) {
        if (page.deltaLink !== undefined) deltaLink = page.deltaLink;
      }
      this.minimumRequests += 1;
    }
    const tracked = this.request.mode === 'incremental' || this.referenced.has(spec.name);
    const seen = new Set<string>();
    let read = 0;
    let stored = 0;
    const pages = delta?.enumerateWithDelta
      ? this.client.delta<Record<string, unknown>>(
          withQuery(delta.path, { $select: delta.select.join(',') }),
          {
            ...this.pageOptions(spec),
            headers: { Prefer: `odata.maxpagesize=${this.pageSize(delta.maxPageSize)}` },
          },
        )
      : this.client.pages<Record<string, unknown>>(
          withQuery(spec.path, listQuery(spec, this.pageSize(spec.pageSize))),
          this.pageOptions(spec),
        );
    for await (const page of pages) {
      this.checkAborted();
      if (page.restarted) {
        await this.request.sink.restartCollection(this.type, spec.name);
        seen.clear();
        read = 0;
        stored = 0;
      }
      let objects = page.items.map((item) => asGraphObject(normalize(spec, item), spec));
      if (spec.keepReferencing) {
        const allowed = this.seenIds.get(spec.keepReferencing.collection) ?? new Set<string>();
        const property = spec.keepReferencing.property;
        objects = objects.filter((o) => typeof o[property] === 'string' && allowed.has(o[property]));
      }
      read += page.items.length;
      const complete = await this.withChildren(spec, objects);
      stored += await this.store(spec, complete.objects, hook, tracked ? seen : undefined);
      this.progress(spec.name, page.items.length);
      if (page.deltaLink !== undefined) deltaLink = page.deltaLink;
    }
    const maxPage = delta?.enumerateWithDelta ? delta.maxPageSize : spec.pageSize;
    this.minimumRequests += Math.max(1, Math.ceil(read / maxPage));
    this.minimumRequests += Math.ceil((stored * (spec.children?.length ?? 0)) / MAX_BATCH_SIZE);

    if (this.request.mode === 'incremental') {
      for await (const { id } of this.request.previous.objects(this.type, spec.name))
        if (!seen.has(id)) await this.request.sink.remove(this.type, spec.name, id);
    }
    if (tracked) this.seenIds.set(spec.name, seen);
    if (delta && deltaLink !== undefined) this.request.sink.setDeltaLink(this.type, spec.name, deltaLink);
  }

  private async store(
    spec: CollectionSpec,
    objects: GraphObject[],
    hook: PageHook | undefined,
    seen: Set<string> | undefined,
  ): Promise<number> {
    const stored = hook ? await hook.enrichPage(objects) : objects;
    for (const object of stored) {
      await this.request.sink.put(this.type, spec.name, object);
      seen?.add(object.id);
    }
    return stored.length;
  }

  /**
   * Reads each object's children with JSON batching (one request per object and relationship,
   * 20 per envelope), following nextLinks of long child lists. An object whose child list
   * answers 404 was deleted meanwhile and is reported as vanished.
   */
  private async withChildren(
    spec: CollectionSpec,
    objects: GraphObject[],
  ): Promise<{ objects: GraphObject[]; vanished: string[] }> {
    const children = spec.children ?? [];
    if (children.length === 0 || objects.length === 0) return { objects, vanished: [] };
    const requests: GraphBatchRequest[] = [];
    for (const [o, object] of objects.entries()) {
      for (const [c, child] of children.entries()) {
        requests.push({
          id: `${o}.${c}`,
          method: 'GET',
          url: withQuery(
            child.path(encodeURIComponent(object.id)),
            childQuery(child, this.options.pageSizeLimit),
          ),
        });
      }
    }
    const responses = await this.client.batch(requests, this.batchOptions(spec));
    const out: GraphObject[] = [];
    const vanished: string[] = [];
    for (const [o, object] of objects.entries()) {
      const embedded: Record<string, unknown> = { ...object };
      let gone = false;
      for (const [c, child] of children.entries()) {
        const response = responses.get(`${o}.${c}`)!;
        if (response.status === 404) {
          gone = true;
          break;
        }
        if (response.error) throw response.error;
        const body = (response.body ?? {}) as { value?: unknown; '@odata.nextLink'?: unknown };
        const items = Array.isArray(body.value) ? [...(body.value as Record<string, unknown>[])] : [];
        const next = body['@odata.nextLink'];
        if (typeof next === 'string') items.push(...(await this.restOfChildList(spec, next)));
        embedded[child.name] = items.map((item) =>
          child.reference ? toReference(item) : withoutAnnotations(item),
        );
      }
      if (gone) vanished.push(object.id);
      else out.push(embedded as GraphObject);
    }
    return { objects: out, vanished };
  }

  private async restOfChildList(spec: CollectionSpec, nextLink: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of this.client.pages<Record<string, unknown>>(nextLink, this.pageOptions(spec))) {
      // A restart re-reads the child list from its nextLink's query: keep only the new round.
      if (page.restarted) items.length = 0;
      items.push(...page.items);
      this.minimumRequests += 1;
    }
    return items;
  }

  /** The page size to ask for: the collection's maximum unless the engine is configured lower. */
  private pageSize(maximum: number): number {
    return Math.min(maximum, this.options.pageSizeLimit ?? maximum);
  }

  private hookContext(): HookContext {
    return {
      client: this.client,
      signal: this.request.signal,
      previousObjects: (collection) => this.request.previous.objects(this.type, collection),
      secretsReadBefore: async () => (await this.request.secretReads?.recall(this.type)) ?? new Map(),
      rememberSecrets: async (reads) => {
        await this.request.secretReads?.remember(this.type, reads);
      },
      count: (_figure, amount) => {
        this.bitlockerKeyReads += amount;
        this.minimumRequests += amount > 0 ? 1 : 0;
      },
    };
  }

  private pageOptions(spec: CollectionSpec): { version: CollectionSpec['version']; signal?: AbortSignal } {
    return { version: spec.version, ...(this.request.signal ? { signal: this.request.signal } : {}) };
  }

  private batchOptions(spec: CollectionSpec): { version: CollectionSpec['version']; signal?: AbortSignal } {
    return this.pageOptions(spec);
  }

  private progress(collection: string, objects: number): void {
    this.pages += 1;
    this.objectsRead += objects;
    try {
      this.request.onProgress?.({
        kind: 'type-progress',
        runId: this.request.runId,
        type: this.type,
        collection,
        pages: this.pages,
        read: this.objectsRead,
        at: this.clock.now().toISOString(),
      });
    } catch {
      // A failing progress listener must not break the backup.
    }
  }

  private checkAborted(): void {
    const signal = this.request.signal;
    if (signal?.aborted) throw abortError(signal);
  }
}

/** Ids per scoped delta query; Graph accepts up to 50 `id eq` expressions. */
const DELTA_FILTER_IDS = 50;

/**
 * Whether changed objects are re-read through the id-scoped delta query: when the delta query
 * returns everything the backup keeps (no children read separately, or the relationship comes inline).
 */
function rereadsWithDelta(spec: CollectionSpec): boolean {
  return (
    spec.delta !== undefined && (spec.delta.enumerateWithDelta === true || (spec.children ?? []).length === 0)
  );
}

/** `$batch` envelopes needed to re-read `count` objects of a collection with their children. */
function rereadRequests(spec: CollectionSpec, count: number): number {
  if (rereadsWithDelta(spec)) return Math.ceil(Math.ceil(count / DELTA_FILTER_IDS) / MAX_BATCH_SIZE);
  return Math.ceil((count * (1 + (spec.children?.length ?? 0))) / MAX_BATCH_SIZE);
}

function listQuery(spec: CollectionSpec, pageSize: number): Record<string, string> {
  const query: Record<string, string> = {};
  if (spec.select) query['$select'] = spec.select.join(',');
  if (spec.filter) query['$filter'] = spec.filter;
  if (spec.expand && !spec.delta) query['$expand'] = spec.expand;
  if (spec.supportsTop) query['$top'] = String(pageSize);
  return query;
}

/** Query of a single-object GET (re-read after a delta change): the same properties as the list. */
function objectQuery(spec: CollectionSpec): Record<string, string> {
  const query: Record<string, string> = {};
  if (spec.select) query['$select'] = spec.select.join(',');
  if (spec.expand) query['$expand'] = spec.expand;
  return query;
}

function childQuery(child: ChildSpec, limit: number | undefined): Record<string, string> {
  const query: Record<string, string> = {};
  if (child.select) query['$select'] = child.select.join(',');
  if (child.expand) query['$expand'] = child.expand;
  if (child.top !== undefined) query['$top'] = String(Math.min(child.top, limit ?? child.top));
  return query;
}

/** `$deltatoken=latest` returns a deltaLink without enumerating ("sync from now"): https://learn.microsoft.com/graph/delta-query-overview */
function latestDeltaPath(spec: CollectionSpec): string {
  return withQuery(spec.delta!.path, { $select: spec.delta!.select.join(','), $deltatoken: 'latest' });
}

export function withQuery(path: string, query: Record<string, string>): string {
  const parts = Object.entries(query).map(
    ([name, value]) => `${name}=${encodeURIComponent(value).replace(/%24/g, '$').replace(/%2C/gi, ',')}`,
  );
  if (parts.length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

function normalize(spec: CollectionSpec, item: Record<string, unknown>): Record<string, unknown> {
  const clean = withoutAnnotations(item);
  return spec.normalize ? spec.normalize(clean) : clean;
}

function asGraphObject(object: Record<string, unknown>, spec: CollectionSpec): GraphObject {
  if (typeof object['id'] !== 'string' || object['id'] === '') {
    throw new GraphDataError(`Graph returned a ${spec.name} object without an id`);
  }
  return object as GraphObject;
}

export function skipRuleFor(rules: readonly SkipRule[], error: unknown): SkipRule | undefined {
  if (!(error instanceof GraphRequestError)) return undefined;
  return rules.find(
    (rule) =>
      (rule.kind === undefined || rule.kind === error.kind) &&
      (rule.status === undefined || rule.status === error.status) &&
      (rule.code === undefined || rule.code === error.code),
  );
}

function graphDetails(error: unknown): { graphCode?: string; requestId?: string } {
  if (!(error instanceof GraphRequestError)) return {};
  return {
    ...(error.code ? { graphCode: error.code } : {}),
    ...(error.requestId ? { requestId: error.requestId } : {}),
  };
}

/** Errors from the Graph side that are not request errors (authentication, usage, bad payloads). */
function isGraphSideError(error: unknown): boolean {
  return (
    error instanceof GraphAuthenticationError ||
    error instanceof GraphUsageError ||
    error instanceof GraphDataError
  );
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('The backup was cancelled');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
