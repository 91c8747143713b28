import type {
  BackupProgressEvent,
  BackupSkippedCollection,
  BackupTypeStatus,
  ObjectTypeKey,
} from '@entra-backup/common';
import {
  GraphAuthenticationError,
  type GraphBatchRequest,
  type GraphClient,
  type GraphPage,
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
  PerObjectSpec,
  SkipRule,
} from './descriptor';
import { toReference, withoutAnnotations } from './descriptor';
import {
  DirectoryExtensionLookup,
  EXTENSION_VALUES_PART,
  extensionNamesKey,
  extensionNamesState,
  isExtensionProperty,
} from './directory-extensions';

/** What the engine writes to: the storage's snapshot writer satisfies it. */
export interface SnapshotSink {
  put(type: ObjectTypeKey, collection: string, object: GraphObject): Promise<void>;
  remove(type: ObjectTypeKey, collection: string, objectId: string): Promise<void>;
  /** Forgets what this run put or removed in a collection so far: its enumeration starts over. */
  restartCollection(type: ObjectTypeKey, collection: string): Promise<void>;
  /**
   * The collection was not read (the tenant's consent lacks its permissions): forgets what this
   * run put or removed in it and its new deltaLink, and keeps its previous state in the snapshot.
   */
  skipCollection(type: ObjectTypeKey, collection: string): Promise<void>;
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
  /** Which of `ids` a collection holds in the latest visible snapshot. */
  present(type: ObjectTypeKey, collection: string, ids: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * Objects of the latest visible snapshot whose relationships name one of `ids` (`now`), or
   * whose stored versions ever did (`ever`), from the browse index's references.
   */
  referrers(ids: readonly string[], when: 'now' | 'ever'): Promise<readonly StoredObjectKey[]>;
}

/** One stored object, and the principal id its relationships name. */
export interface StoredObjectKey {
  readonly typeKey: string;
  readonly collection: string;
  readonly objectId: string;
  readonly target: string;
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
  /**
   * A full run that also measures drift: each delta collection first replays its stored deltaLink
   * for the ids of what changed (nothing is re-read), and the run's outcome lists, per type and
   * collection, the objects a change reported or derived explains. Anything else that differs
   * from the previous snapshot is drift of the incremental state.
   */
  readonly reconcile?: boolean;
  /** A client per type, so each type's Graph figures are its own (clients share the tenant's limits). */
  clientFor(type: ObjectTypeKey): GraphClient;
  readonly sink: SnapshotSink;
  readonly previous: PreviousState;
  /**
   * The application permissions the tenant's recorded admin consent grants. A collection whose
   * extra read permissions (`CollectionSpec.permissions`) are not all in it is not read. Unset (no
   * consent record): every collection is read, and a 403 Authorization_RequestDenied of a
   * collection with extra permissions still skips it.
   */
  readonly grantedPermissions?: readonly string[];
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
  /** Collections not read in this run (missing consent), their previous state carried over. */
  readonly skippedCollections?: readonly BackupSkippedCollection[];
  /**
   * Reconciliation runs: per delta collection whose stored deltaLink could be replayed, the ids a
   * reported or derived change explains. Collections without one are not compared.
   */
  readonly explained?: ReadonlyMap<string, ReadonlySet<string>>;
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
    const changes = new PrincipalChanges();
    // The tenant's directory extensions are read once, for users and groups alike.
    const extensions = new DirectoryExtensionLookup(request.grantedPermissions);
    const outcomes = new Map<ObjectTypeKey, EngineTypeOutcome>();
    const executed = new Map<ObjectTypeKey, ExecutedType>();
    // The consequence phase may re-read objects of any directory type (a reconciliation only adds
    // to their explained ids) and a principal collection outside the run is followed under one of
    // them, so directory types end only after both.
    const derives = request.mode === 'incremental' || request.reconcile === true;
    const deferred = (type: ObjectTypeKey) => !isLog(type);
    // A fatal error in one type (storage broken, run cancelled) stops the other types too, so no
    // Graph request is sent for a run that can no longer commit.
    const stop = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
    const scoped: EngineRunRequest = { ...request, signal };
    const runOne = async (type: ObjectTypeKey): Promise<void> => {
      try {
        const done = await this.executeType(scoped, type, reportsLane, changes, extensions);
        executed.set(type, done);
        if (!deferred(type)) outcomes.set(type, await this.finishType(scoped, done));
      } catch (error) {
        if (!stop.signal.aborted) stop.abort(error);
        throw error;
      }
    };
    const workers = Array.from({ length: Math.min(this.options.typeConcurrency, queue.length) }, async () => {
      for (let type = queue.shift(); type !== undefined && !signal.aborted; type = queue.shift())
        await runOne(type);
    });
    // Directory types end as soon as they all have been read and the phases after them are done;
    // log types go on meanwhile at the reports limit's pace.
    const directory = async (): Promise<void> => {
      const read = await Promise.allSettled(workers);
      const failed = read.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      try {
        await this.trackPrincipalsNotBackedUp(scoped, changes, executed);
        if (derives) await this.followConsequences(scoped, changes, executed);
        for (const type of request.types) {
          const done = executed.get(type);
          if (done !== undefined && deferred(type)) outcomes.set(type, await this.finishType(scoped, done));
        }
      } catch (error) {
        if (!stop.signal.aborted) stop.abort(error);
        throw error;
      }
    };
    const logs = request.types.filter(isLog).map(runOne);
    const settled = await Promise.allSettled([...logs, directory()]);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure)
      throw request.signal?.aborted ? abortError(request.signal) : (stop.signal.reason ?? failure.reason);
    return request.types.map((type) => outcomes.get(type)!);
  }

  /**
   * The consequence phase, after every type's own changes: Graph removes a deleted principal
   * (user, group, service principal, device) from every group's members and owners, every
   * unit's members, every app's owners and role assignees, every user's manager, and gives a
   * restored one its memberships back, but the delta queries of those holders do not report it
   * (Microsoft documents relationship changes only for group delta, and only for the relationships
   * selected). So every stored object whose
   * relationships name a principal this run saw removed (browse index, as of the previous
   * snapshot), or named one that reappeared (restored: absent from the previous snapshot) in any
   * earlier snapshot, is re-read, unless its type re-read or enumerated it already. Holders of
   * types that failed are left alone (they carry over) and holders of types outside the run are
   * not part of this snapshot. A reconciliation run only records them as explained.
   */
  private async followConsequences(
    request: EngineRunRequest,
    changes: PrincipalChanges,
    executed: ReadonlyMap<ObjectTypeKey, ExecutedType>,
  ): Promise<void> {
    const appeared = new Set(changes.appeared);
    for (const [key, ids] of changes.changed) {
      const [type, collection] = splitKey(key);
      const present = await request.previous.present(type, collection, [...ids]);
      for (const id of ids) if (!present.has(id)) appeared.add(id);
    }
    const holders = new Map<string, Set<string>>();
    const collect = (keys: readonly StoredObjectKey[]) => {
      for (const key of keys) {
        const name = `${key.typeKey}/${key.collection}`;
        let ids = holders.get(name);
        if (!ids) holders.set(name, (ids = new Set()));
        ids.add(key.objectId);
      }
    };
    if (changes.removed.size > 0) collect(await request.previous.referrers([...changes.removed], 'now'));
    if (appeared.size > 0) collect(await request.previous.referrers([...appeared], 'ever'));
    if (changes.untracked.size > 0) {
      // Principals of types outside the run: any reported one may have been restored. What named
      // it once and no longer does may have lost it to its deletion; what names it now is current.
      const ids = [...changes.untracked];
      const now = new Set(
        (await request.previous.referrers(ids, 'now')).map(
          (k) => `${k.target}\n${k.typeKey}\n${k.collection}\n${k.objectId}`,
        ),
      );
      collect(
        (await request.previous.referrers(ids, 'ever')).filter(
          (k) => !now.has(`${k.target}\n${k.typeKey}\n${k.collection}\n${k.objectId}`),
        ),
      );
    }
    for (const [name, ids] of holders) {
      if (request.signal?.aborted) throw abortError(request.signal);
      const [type, collection] = splitKey(name);
      const done = executed.get(type);
      if (done === undefined || done.status !== 'succeeded') continue;
      try {
        await done.run.rereadHolders(collection, [...ids]);
      } catch (error) {
        if (request.signal?.aborted) throw abortError(request.signal);
        if (!(error instanceof GraphRequestError) && !isGraphSideError(error)) throw error;
        done.status = 'failed';
        done.failure = { reason: errorText(error), ...graphDetails(error) };
      }
    }
  }

  /**
   * Principals of a type that is not part of the run still leave the relationships of the types
   * that are (a group's owners when users are not backed up). Such a principal collection is
   * followed by an id-only delta query (`$select=id`) whose state is kept under the first
   * succeeded type that holds references (as `principals.<type>.<collection>`, stored only when
   * that type succeeds): its removals feed the consequence phase like a backed-up type's, and
   * every other reported id is looked up as possibly restored (see `followConsequences`). Without
   * the read permission of the principal type the collection is not followed; any other failure
   * of that query fails the owning type, whose previous state then carries over.
   */
  private async trackPrincipalsNotBackedUp(
    request: EngineRunRequest,
    changes: PrincipalChanges,
    executed: ReadonlyMap<ObjectTypeKey, ExecutedType>,
  ): Promise<void> {
    const inRun = new Set(request.types);
    const targeted = new Set<string>();
    const holders: ExecutedType[] = [];
    for (const type of request.types) {
      const targets = principalTargetsOf(this.descriptors[type]);
      if (targets.length === 0) continue;
      for (const target of targets) targeted.add(target);
      const done = executed.get(type);
      if (done?.status === 'succeeded') holders.push(done);
    }
    const owner = holders[0];
    if (owner === undefined) return;
    for (const descriptor of Object.values(this.descriptors)) {
      if (descriptor === undefined || inRun.has(descriptor.key)) continue;
      for (const spec of descriptor.collections) {
        if (!spec.principal || !spec.delta || !targeted.has(`${descriptor.key}/${spec.name}`)) continue;
        if (request.signal?.aborted) throw abortError(request.signal);
        try {
          await owner.run.trackPrincipals(descriptor.key, spec);
        } catch (error) {
          if (request.signal?.aborted) throw abortError(request.signal);
          // A consent without the principal type's read permission (each type needs only its
          // own): the collection cannot be followed, and the periodic reconciliation corrects
          // what its deletions leave behind.
          if (
            error instanceof GraphRequestError &&
            (error.kind === 'forbidden' || error.kind === 'unauthorized')
          )
            continue;
          if (!(error instanceof GraphRequestError) && !isGraphSideError(error)) throw error;
          owner.status = 'failed';
          owner.failure = { reason: errorText(error), ...graphDetails(error) };
          return;
        }
      }
    }
  }

  /** Reads one type's collections; the type is ended (`finishType`) separately. */
  private async executeType(
    request: EngineRunRequest,
    type: ObjectTypeKey,
    reportsLane: SerialLane,
    changes: PrincipalChanges,
    extensions: DirectoryExtensionLookup,
  ): Promise<ExecutedType> {
    const descriptor = this.descriptors[type];
    const client = request.clientFor(type);
    const started = this.clock.now().getTime();
    const run = new TypeRun(
      request,
      descriptor,
      client,
      this.options,
      this.clock,
      reportsLane,
      changes,
      extensions,
    );
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
    return { type, run, client, started, status, ...(failure ? { failure } : {}) };
  }

  /** Ends a type in the sink with its status and figures, and reports it. */
  private async finishType(request: EngineRunRequest, done: ExecutedType): Promise<EngineTypeOutcome> {
    const { type, run, client, started, status, failure } = done;
    const descriptor = this.descriptors[type];
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
      ...(run.skipped.size > 0 ? { skippedCollections: [...run.skipped.values()] } : {}),
      ...(request.reconcile === true && request.mode === 'full' ? { explained: run.explained } : {}),
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

/** A type whose collections were read, not yet ended in the sink. */
interface ExecutedType {
  readonly type: ObjectTypeKey;
  readonly run: TypeRun;
  readonly client: GraphClient;
  readonly started: number;
  status: BackupTypeStatus;
  failure?: EngineFailure;
}

/**
 * Principals (users, groups, service principals, devices) a run saw removed, changed or newly
 * present, from the delta replays and enumerations of their collections: the input of the
 * consequence phase.
 */
class PrincipalChanges {
  readonly removed = new Set<string>();
  /** Changed ids per `type/collection`; those the previous snapshot did not hold reappeared. */
  readonly changed = new Map<string, Set<string>>();
  /** Ids known to be absent from the previous snapshot (an incremental enumeration saw them first). */
  readonly appeared = new Set<string>();
  /** Reported changed by the id-only delta of a principal collection outside the run. */
  readonly untracked = new Set<string>();

  addChanged(type: ObjectTypeKey, collection: string, ids: Iterable<string>): void {
    const key = `${type}/${collection}`;
    let set = this.changed.get(key);
    if (!set) this.changed.set(key, (set = new Set()));
    for (const id of ids) set.add(id);
  }
}

/** The principal collections (`type/collection`) a type's replayed collections name in their relationships. */
function principalTargetsOf(descriptor: Descriptor | undefined): string[] {
  if (descriptor === undefined) return [];
  return descriptor.collections.flatMap((c) =>
    c.delta === undefined
      ? []
      : (c.browse?.relations ?? []).flatMap((r) => r.targets.map((t) => `${t.type}/${t.collection}`)),
  );
}

function splitKey(key: string): [ObjectTypeKey, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash) as ObjectTypeKey, key.slice(slash + 1)];
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

/** One page of a delta replay, as ids (see `TypeRun.deltaIds`). */
interface DeltaIdPage {
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** Items on the page, as Graph counted them. */
  readonly count: number;
  readonly deltaLink?: string;
  /** The stored token expired: the fresh deltaLink to enumerate from. */
  readonly restart?: string;
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
  /** Per collection, the properties whose values a reference filter of another collection needs (`through`). */
  private readonly throughOf = new Map<string, string[]>();
  /** Values seen per `<collection>.<property>` in this run, for reference filters `through` a property. */
  private readonly seenValues = new Map<string, Set<string>>();
  /** Incremental runs: ids this run stored or removed per collection (the consequence phase skips them). */
  private readonly touched = new Map<string, Set<string>>();
  /** Reconciliation runs: ids a reported or derived change explains, per replayed delta collection. */
  readonly explained = new Map<string, Set<string>>();
  /** Collections not read for lack of consent, by name (and the directory extension values, if skipped). */
  readonly skipped = new Map<string, BackupSkippedCollection>();
  /** Per per-object collection: the owners this run stored (and whether they have a list) or removed. */
  private readonly owners = new Map<string, OwnerChanges>();
  /** Collections as read in this run: with the tenant's directory extensions selected (`extensionsFor`). */
  private readonly resolved = new Map<string, CollectionSpec>();
  /** Extensions selected per collection, as stored beside its deltaLink (see `extensionNamesState`). */
  private readonly extensionState = new Map<string, string>();
  /** Skipped extension values: the previous snapshot's, by collection and object id, carried over. */
  private readonly carried = new Map<string, Map<string, Record<string, unknown>>>();
  /** Collections enumerated in full (not replayed) in this run. */
  private readonly enumerated = new Set<string>();

  constructor(
    private readonly request: EngineRunRequest,
    private readonly descriptor: Descriptor,
    private readonly client: GraphClient,
    private readonly options: EngineOptions,
    private readonly clock: EngineClock,
    private readonly reportsLane: SerialLane,
    private readonly changes: PrincipalChanges,
    private readonly extensions: DirectoryExtensionLookup,
  ) {
    this.referenced = new Set(descriptor.collections.flatMap((c) => c.keepReferencing?.collection ?? []));
    for (const c of descriptor.collections) {
      const reference = c.keepReferencing;
      if (reference?.through === undefined) continue;
      this.throughOf.set(reference.collection, [
        ...(this.throughOf.get(reference.collection) ?? []),
        reference.through,
      ]);
    }
    for (const spec of descriptor.collections)
      if (spec.perObjectOf)
        this.owners.set(spec.name, { per: spec.perObjectOf, stored: new Map(), removed: new Set() });
  }

  private get type(): ObjectTypeKey {
    return this.descriptor.key;
  }

  async execute(): Promise<void> {
    for (const [index, declared] of this.descriptor.collections.entries()) {
      this.checkAborted();
      const missing = this.missingPermissions(declared);
      const spec = missing.length > 0 ? declared : await this.withExtensions(declared);
      if (missing.length > 0) {
        await this.skipCollection(spec, consentLacksReason(missing), missing);
        continue;
      }
      // A collection kept only for what it references (role assignments of these roles) cannot
      // be told apart from "all gone" without the collection it references.
      const reference =
        (spec.keepReferencing && this.skipped.get(spec.keepReferencing.collection)) ||
        (spec.perObjectOf && this.skipped.get(spec.perObjectOf.collection));
      if (reference) {
        await this.skipCollection(spec, reference.reason, reference.missingPermissions);
        continue;
      }
      try {
        // Sign-in and audit logs share Graph's reports limit (5 requests per 10 s per app and
        // tenant: https://learn.microsoft.com/graph/throttling-limits);
        // read concurrently they keep throttling each other, so log collections take turns.
        if (spec.log) await this.reportsLane.run(() => this.readLog(spec));
        else await this.readObjectsOrEmpty(spec, index === 0);
        this.noteExtensionState(spec);
      } catch (error) {
        // The recorded consent holds the collection's permissions but Graph denies them (consent
        // revoked or changed since it was recorded): the collection is skipped like a missing
        // grant, not the whole type failed.
        const extra = spec.permissions?.read ?? [];
        if (this.request.signal?.aborted || extra.length === 0 || !isAccessDenied(error)) throw error;
        await this.skipCollection(spec, accessDeniedReason(extra), [...extra]);
      }
    }
  }

  /**
   * The collection as this run reads it: a collection carrying directory extension values
   * (`extensionsFor`) selects the tenant's extensions that target its objects. Without the
   * lookup's permission the values are skipped with the reason, and each object keeps the values
   * the previous snapshot held (carried over like a skipped collection's state).
   */
  private async withExtensions(spec: CollectionSpec): Promise<CollectionSpec> {
    const target = spec.extensionsFor;
    if (target === undefined) return spec;
    const resolution = await this.extensions.resolve(this.client, this.request.signal);
    if (resolution.kind === 'skipped') {
      this.skipped.set(EXTENSION_VALUES_PART, {
        collection: EXTENSION_VALUES_PART,
        reason: resolution.reason,
        missingPermissions: [...resolution.missingPermissions].sort(),
      });
      this.carried.set(spec.name, await this.previousExtensionValues(spec));
      return spec;
    }
    const names = resolution.names.get(target) ?? [];
    this.extensionState.set(spec.name, extensionNamesState(names));
    if (names.length === 0 || spec.select === undefined) return spec;
    const resolved: CollectionSpec = {
      ...spec,
      select: [...spec.select, ...names],
      ...(spec.delta ? { delta: { ...spec.delta, select: [...spec.delta.select, ...names] } } : {}),
    };
    this.resolved.set(spec.name, resolved);
    return resolved;
  }

  /** The extension values of the previous snapshot's objects, by id (objects without any are left out). */
  private async previousExtensionValues(spec: CollectionSpec): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    for await (const { id, object } of this.request.previous.objects(this.type, spec.name)) {
      if (typeof object !== 'object' || object === null) continue;
      const values = Object.entries(object as Record<string, unknown>).filter(([name]) =>
        isExtensionProperty(name),
      );
      if (values.length > 0) out.set(id, Object.fromEntries(values));
    }
    return out;
  }

  /**
   * Records which extensions the collection's new deltaLink tracks: those selected, or none when
   * the values were skipped and the collection enumerated afresh (a replayed deltaLink keeps what
   * it was issued with, so the stored record stays).
   */
  private noteExtensionState(spec: CollectionSpec): void {
    if (spec.extensionsFor === undefined || spec.delta === undefined) return;
    const state =
      this.extensionState.get(spec.name) ??
      (this.enumerated.has(spec.name) ? extensionNamesState([]) : undefined);
    if (state !== undefined) this.request.sink.setDeltaLink(this.type, extensionNamesKey(spec.name), state);
  }

  /**
   * Whether the extensions selected now differ from those the stored deltaLink was issued with:
   * its replay would not report changes of the new ones, so the collection is enumerated instead
   * (unchanged objects are stored as they were: no new versions).
   */
  private async extensionsChanged(spec: CollectionSpec): Promise<boolean> {
    const now = this.extensionState.get(spec.name);
    if (now === undefined) return false;
    const before = await this.request.previous.deltaLink(this.type, extensionNamesKey(spec.name));
    return (before ?? extensionNamesState([])) !== now;
  }

  /** The collection's extra read permissions the recorded consent lacks (none when unknown). */
  private missingPermissions(spec: CollectionSpec): string[] {
    const granted = this.request.grantedPermissions;
    if (granted === undefined) return [];
    return (spec.permissions?.read ?? []).filter((p) => !granted.includes(p));
  }

  /**
   * Leaves a collection out of this run: what it staged so far is dropped with its new deltaLink
   * (the stored one stays, matching the state carried over, so a later run resumes from it), and
   * the consequence phase does not re-read its objects.
   */
  private async skipCollection(spec: CollectionSpec, reason: string, missing: string[]): Promise<void> {
    this.skipped.set(spec.name, { collection: spec.name, reason, missingPermissions: [...missing].sort() });
    this.seenIds.delete(spec.name);
    for (const through of this.throughOf.get(spec.name) ?? [])
      this.seenValues.delete(`${spec.name}.${through}`);
    this.touched.delete(spec.name);
    this.explained.delete(spec.name);
    await this.request.sink.skipCollection(this.type, spec.name);
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
    if (spec.perObjectOf) {
      await this.readPerObject(spec);
      return;
    }
    const hook = primary && this.descriptor.hook ? await this.descriptor.hook(this.hookContext()) : undefined;
    if (spec.delta && this.request.mode === 'full' && this.request.reconcile === true) {
      const link = await this.request.previous.deltaLink(this.type, spec.name);
      if (link !== undefined) {
        const latest = await this.collectChangedIds(spec, link);
        await this.enumerate(spec, hook, latest);
        // Changes made while the collection was enumerated are explained too (not stored: the
        // next run replays them from `latest`).
        if (latest !== undefined && this.explained.has(spec.name)) await this.collectChangedIds(spec, latest);
        return;
      }
    }
    if (spec.delta && this.request.mode === 'incremental') {
      const link = await this.request.previous.deltaLink(this.type, spec.name);
      if (link !== undefined && !(await this.extensionsChanged(spec))) {
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
   * children. Objects of any type that a removed or restored principal changes without a report
   * of their own are re-read by the run's consequence phase. Returns a fresh deltaLink when the
   * stored one had expired and the collection must be enumerated instead.
   */
  private async replayDelta(
    spec: CollectionSpec,
    deltaLink: string,
    hook: PageHook | undefined,
  ): Promise<string | undefined> {
    let changes = 0;
    let reread = 0;
    for await (const page of this.deltaIds(spec, deltaLink)) {
      if (page.restart !== undefined) return page.restart;
      changes += page.count;
      for (const id of page.removed) {
        await this.removeObject(spec, id);
        if (spec.principal) this.changes.removed.add(id);
      }
      if (spec.principal) this.changes.addChanged(this.type, spec.name, page.changed);
      reread += page.changed.length;
      await this.reread(spec, page.changed, hook);
      this.progress(spec.name, page.count);
      if (page.deltaLink !== undefined) this.request.sink.setDeltaLink(this.type, spec.name, page.deltaLink);
    }
    this.minimumRequests +=
      Math.max(1, Math.ceil(changes / spec.delta!.maxPageSize)) + rereadRequests(spec, reread);
    return undefined;
  }

  /**
   * The pages of a stored deltaLink's replay, as ids: `removed` (`@removed`) and `changed` (every
   * other reported object, once per page). An expired token ends the replay with `restart`, the
   * fresh deltaLink of Graph's fallback round (https://learn.microsoft.com/graph/delta-query-overview).
   */
  private async *deltaIds(spec: CollectionSpec, deltaLink: string): AsyncGenerator<DeltaIdPage> {
    for await (const page of this.client.delta<Record<string, unknown>>(latestDeltaPath(spec), {
      ...this.pageOptions(spec),
      deltaLink,
      headers: { Prefer: `odata.maxpagesize=${this.pageSize(spec.delta!.maxPageSize)}` },
    })) {
      this.checkAborted();
      if (page.fullSync) {
        this.minimumRequests += 1;
        if (page.deltaLink === undefined) continue;
        yield { removed: [], changed: [], count: 0, restart: page.deltaLink };
        return;
      }
      const removed: string[] = [];
      const changed = new Set<string>();
      for (const item of page.items) {
        const id = item['id'];
        if (typeof id !== 'string') continue;
        if (item['@removed'] !== undefined) removed.push(id);
        else changed.add(id);
      }
      yield {
        removed,
        changed: [...changed],
        count: page.items.length,
        ...(page.deltaLink === undefined ? {} : { deltaLink: page.deltaLink }),
      };
    }
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
        await this.removeObject(spec, id);
        continue;
      }
      if (response.error) throw response.error;
      found.push(asGraphObject(normalize(spec, response.body as Record<string, unknown>), spec));
    }
    const complete = await this.withChildren(spec, found);
    for (const id of complete.vanished) await this.removeObject(spec, id);
    await this.store(spec, complete.objects, hook, undefined);
  }

  /**
   * Re-reads objects through the delta query scoped to their ids (`$filter=id eq '…' or …`, at most
   * 50 per request, 20 requests per `$batch`): an initial round returns each object's full state
   * with the relationships the delta query carries inline (users' manager), so 1,000 changed
   * users cost one envelope instead of fifty. Ids the round does not return are gone. Children the
   * delta query does not carry are then read per object, as after a full enumeration.
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
    for (const id of ids) if (!present.has(id)) await this.removeObject(spec, id);
    // Relationships the delta query does not carry inline (users' sponsors) are read per object.
    const complete = await this.withChildren(spec, found);
    for (const id of complete.vanished) await this.removeObject(spec, id);
    await this.store(spec, complete.objects, hook, undefined);
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
    this.enumerated.add(spec.name);
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
    const seenValues = new Map<string, Set<string>>();
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
      : spec.singleton
        ? this.singletonPage(spec)
        : this.client.pages<Record<string, unknown>>(
            withQuery(spec.path, listQuery(spec, this.pageSize(spec.pageSize))),
            this.pageOptions(spec),
          );
    for await (const page of pages) {
      this.checkAborted();
      if (page.restarted) {
        await this.request.sink.restartCollection(this.type, spec.name);
        seen.clear();
        seenValues.clear();
        read = 0;
        stored = 0;
      }
      let objects = page.items.map((item) => asGraphObject(normalize(spec, item), spec));
      if (spec.keepReferencing) {
        const { collection, through, property } = spec.keepReferencing;
        const allowed =
          (through === undefined
            ? this.seenIds.get(collection)
            : this.seenValues.get(`${collection}.${through}`)) ?? new Set<string>();
        objects = objects.filter((o) => typeof o[property] === 'string' && allowed.has(o[property]));
      }
      for (const through of this.throughOf.get(spec.name) ?? []) {
        const key = `${spec.name}.${through}`;
        let values = seenValues.get(key);
        if (!values) seenValues.set(key, (values = new Set()));
        for (const o of objects) if (typeof o[through] === 'string') values.add(o[through]);
      }
      read += page.items.length;
      const complete = await this.withChildren(spec, objects);
      stored += await this.store(spec, complete.objects, hook, tracked ? seen : undefined);
      this.progress(spec.name, page.items.length);
      if (page.deltaLink !== undefined) deltaLink = page.deltaLink;
    }
    const maxPage = delta?.enumerateWithDelta ? delta.maxPageSize : spec.pageSize;
    this.minimumRequests += Math.max(1, Math.ceil(read / maxPage));
    this.minimumRequests += Math.ceil((stored * everyObjectChildren(spec)) / MAX_BATCH_SIZE);

    if (this.request.mode === 'incremental') {
      const before = spec.principal ? new Set<string>() : undefined;
      for await (const { id } of this.request.previous.objects(this.type, spec.name)) {
        before?.add(id);
        if (seen.has(id)) continue;
        await this.removeObject(spec, id);
        if (spec.principal) this.changes.removed.add(id);
      }
      if (before) for (const id of seen) if (!before.has(id)) this.changes.appeared.add(id);
    }
    if (tracked) this.seenIds.set(spec.name, seen);
    for (const [key, values] of seenValues) this.seenValues.set(key, values);
    if (delta && deltaLink !== undefined) this.request.sink.setDeltaLink(this.type, spec.name, deltaLink);
  }

  /** A singleton (`CollectionSpec.singleton`) as a page of its one object, read with one GET. */
  private async *singletonPage(spec: CollectionSpec): AsyncGenerator<GraphPage<Record<string, unknown>>> {
    const object = await this.client.get<Record<string, unknown>>(
      withQuery(spec.path, objectQuery(spec)),
      this.pageOptions(spec),
    );
    yield { items: [object], pageIndex: 0, restarted: false };
  }

  private async store(
    spec: CollectionSpec,
    objects: GraphObject[],
    hook: PageHook | undefined,
    seen: Set<string> | undefined,
  ): Promise<number> {
    const stored = hook ? await hook.enrichPage(objects) : objects;
    const touched = this.touchedIn(spec);
    const carried = this.carried.get(spec.name);
    for (const read of stored) {
      const object = carried ? withCarriedExtensions(read, carried.get(read.id)) : read;
      await this.request.sink.put(this.type, spec.name, object);
      seen?.add(object.id);
      touched?.add(object.id);
    }
    for (const owners of this.owners.values()) {
      if (owners.per.collection !== spec.name) continue;
      for (const object of stored) owners.stored.set(object.id, owns(owners.per, object));
    }
    return stored.length;
  }

  private async removeObject(spec: CollectionSpec, id: string): Promise<void> {
    await this.request.sink.remove(this.type, spec.name, id);
    this.touchedIn(spec)?.add(id);
    for (const owners of this.owners.values()) {
      if (owners.per.collection !== spec.name) continue;
      owners.stored.delete(id);
      owners.removed.add(id);
    }
  }

  // ---- per-object collections ------------------------------------------------------------------

  /**
   * Reads a collection Graph lists per owner: one request per owner, 20 per `$batch` envelope,
   * following nextLinks. A full run reads every owner's list (its owners were all enumerated
   * before) and storage closes what was not seen. An incremental run reads the lists of the
   * owners it must (`refresh`) and removes the stored items of those owners, and of owners that
   * are gone or no longer qualify, that it did not see.
   */
  private async readPerObject(spec: CollectionSpec): Promise<void> {
    const per = spec.perObjectOf!;
    const changes = this.owners.get(spec.name)!;
    const incremental = this.request.mode === 'incremental';
    const dropped = new Set(changes.removed);
    const toRead = new Set<string>();
    for (const [id, has] of changes.stored) (has ? toRead : dropped).add(id);
    if (incremental && per.refresh === 'everyRun') {
      // Owners this run did not see change are as the previous snapshot holds them.
      for await (const { id, object } of this.request.previous.objects(this.type, per.collection)) {
        if (changes.stored.has(id) || dropped.has(id)) continue;
        if (owns(per, object as Readonly<Record<string, unknown>>)) toRead.add(id);
      }
    }
    const seen = new Set<string>();
    const owners = [...toRead];
    for (let start = 0; start < owners.length; start += PER_OBJECT_CHUNK) {
      this.checkAborted();
      const chunk = owners.slice(start, start + PER_OBJECT_CHUNK);
      const items = await this.readOwnerLists(spec, chunk);
      await this.store(spec, items, undefined, incremental ? seen : undefined);
      this.progress(spec.name, items.length);
    }
    this.minimumRequests += Math.ceil(owners.length / MAX_BATCH_SIZE);
    if (!incremental) return;
    const everyOwnerRead = per.refresh === 'everyRun';
    for await (const { id, object } of this.request.previous.objects(this.type, spec.name)) {
      if (seen.has(id)) continue;
      const owner = (object as Readonly<Record<string, unknown>>)[per.ownerKey];
      const ownerRead = typeof owner === 'string' && (toRead.has(owner) || dropped.has(owner));
      if (everyOwnerRead || ownerRead) await this.removeObject(spec, id);
    }
  }

  /** The items of some owners' lists; an owner whose list answers 404 was deleted meanwhile and has none. */
  private async readOwnerLists(spec: CollectionSpec, owners: readonly string[]): Promise<GraphObject[]> {
    const per = spec.perObjectOf!;
    const responses = await this.client.batch(
      owners.map((owner, index) => ({
        id: `p${index}`,
        method: 'GET',
        url: per.path(encodeURIComponent(owner)),
      })),
      this.batchOptions(spec),
    );
    const out: GraphObject[] = [];
    for (const [index, owner] of owners.entries()) {
      const response = responses.get(`p${index}`)!;
      if (response.status === 404) continue;
      if (response.error) throw response.error;
      const body = (response.body ?? {}) as { value?: unknown; '@odata.nextLink'?: unknown };
      const items = Array.isArray(body.value) ? [...(body.value as Record<string, unknown>[])] : [];
      const next = body['@odata.nextLink'];
      if (typeof next === 'string') items.push(...(await this.restOfChildList(spec, next)));
      for (const item of items) {
        const owned = normalize(
          spec,
          item[per.ownerKey] === undefined ? { ...item, [per.ownerKey]: owner } : item,
        );
        if (per.keep === undefined || per.keep(owned)) out.push(asGraphObject(owned, spec));
      }
    }
    return out;
  }

  private touchedIn(spec: CollectionSpec): Set<string> | undefined {
    if (this.request.mode !== 'incremental') return undefined;
    let touched = this.touched.get(spec.name);
    if (!touched) this.touched.set(spec.name, (touched = new Set()));
    return touched;
  }

  /**
   * The consequence phase's part in this type: stored objects of a collection whose relationships
   * named a principal that was removed or reappeared. Collections enumerated in this run are exact
   * already; objects this run stored or removed are current. A reconciliation records them as
   * explained instead.
   */
  async rereadHolders(collection: string, ids: readonly string[]): Promise<void> {
    const spec =
      this.resolved.get(collection) ?? this.descriptor.collections.find((c) => c.name === collection);
    if (this.skipped.has(collection)) return;
    // A hook enriches what it reads (BitLocker keys); its collection holds no principal references.
    if (spec?.delta === undefined || spec.log !== undefined || this.descriptor.hook !== undefined) return;
    if (this.request.mode === 'full') {
      const explained = this.explained.get(spec.name);
      if (explained) for (const id of ids) explained.add(id);
      return;
    }
    const touched = this.touched.get(spec.name);
    const pending = ids.filter((id) => !touched?.has(id));
    if (pending.length === 0) return;
    const chunk = this.pageSize(spec.pageSize);
    for (let start = 0; start < pending.length; start += chunk) {
      this.checkAborted();
      await this.reread(spec, pending.slice(start, start + chunk), undefined);
    }
    this.minimumRequests += rereadRequests(spec, pending.length);
  }

  /**
   * Follows a principal collection of a type outside the run with an id-only delta query, its
   * state kept under this type (see `ExportEngine.trackPrincipalsNotBackedUp`). The first time,
   * or after a full run without a previous state, it only takes a deltaLink; an expired one is
   * replaced (the periodic reconciliation catches what happened meanwhile).
   */
  async trackPrincipals(principalType: ObjectTypeKey, spec: CollectionSpec): Promise<void> {
    const delta = spec.delta!;
    const name = `principals.${principalType}.${spec.name}`;
    const latest = withQuery(delta.path, { $select: 'id', $deltatoken: 'latest' });
    const fresh = this.request.mode === 'full' && this.request.reconcile !== true;
    const stored = fresh ? undefined : await this.request.previous.deltaLink(this.type, name);
    let link: string | undefined;
    let changes = 0;
    for await (const page of this.client.delta<Record<string, unknown>>(latest, {
      ...this.pageOptions(spec),
      ...(stored === undefined ? {} : { deltaLink: stored }),
      headers: { Prefer: `odata.maxpagesize=${this.pageSize(delta.maxPageSize)}` },
    })) {
      this.checkAborted();
      if (page.deltaLink !== undefined) link = page.deltaLink;
      if (stored === undefined || page.fullSync) continue;
      changes += page.items.length;
      for (const item of page.items) {
        const id = item['id'];
        if (typeof id !== 'string') continue;
        if (item['@removed'] !== undefined) this.changes.removed.add(id);
        else this.changes.untracked.add(id);
      }
    }
    this.minimumRequests += Math.max(1, Math.ceil(changes / delta.maxPageSize));
    if (link !== undefined) this.request.sink.setDeltaLink(this.type, name, link);
  }

  /**
   * Reconciliation: replays a stored deltaLink for the ids of what changed (nothing is re-read or
   * stored) and records them as explained. Returns the round's deltaLink, or a fresh one when the
   * stored one had expired (then nothing is explained and the collection is not compared).
   */
  private async collectChangedIds(spec: CollectionSpec, deltaLink: string): Promise<string | undefined> {
    let changes = 0;
    let latest: string | undefined;
    const ids = new Set<string>();
    for await (const page of this.deltaIds(spec, deltaLink)) {
      if (page.restart !== undefined) return page.restart;
      changes += page.count;
      for (const id of [...page.removed, ...page.changed]) ids.add(id);
      if (spec.principal) {
        for (const id of page.removed) this.changes.removed.add(id);
        this.changes.addChanged(this.type, spec.name, page.changed);
      }
      if (page.deltaLink !== undefined) latest = page.deltaLink;
    }
    this.minimumRequests += Math.max(1, Math.ceil(changes / spec.delta!.maxPageSize));
    const explained = this.explained.get(spec.name);
    if (explained) for (const id of ids) explained.add(id);
    else this.explained.set(spec.name, ids);
    return latest;
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
        if (child.when !== undefined && !child.when(object)) continue;
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
    if (requests.length === 0) return { objects, vanished: [] };
    const responses = await this.client.batch(requests, this.batchOptions(spec));
    const out: GraphObject[] = [];
    const vanished: string[] = [];
    for (const [o, object] of objects.entries()) {
      const embedded: Record<string, unknown> = { ...object };
      let gone = false;
      for (const [c, child] of children.entries()) {
        if (child.when !== undefined && !child.when(object)) continue;
        const response = responses.get(`${o}.${c}`)!;
        if (response.status === 404) {
          gone = true;
          break;
        }
        if (response.error) throw response.error;
        if (child.singleObjectProperty === true) {
          embedded[child.name] = (response.body as Record<string, unknown> | undefined)?.[child.name] ?? null;
          continue;
        }
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

/** The owners of a per-object collection this run stored (whether their list exists) or removed. */
interface OwnerChanges {
  readonly per: PerObjectSpec;
  readonly stored: Map<string, boolean>;
  readonly removed: Set<string>;
}

function owns(per: PerObjectSpec, owner: Readonly<Record<string, unknown>>): boolean {
  return per.when === undefined || per.when(owner);
}

/** Owners whose lists are read together: 10 `$batch` envelopes, their items stored before the next. */
const PER_OBJECT_CHUNK = 10 * MAX_BATCH_SIZE;

/** Ids per scoped delta query; Graph accepts up to 50 `id eq` expressions. */
const DELTA_FILTER_IDS = 50;

/**
 * Whether changed objects are re-read through the id-scoped delta query: when the delta query
 * returns the objects as the backup keeps them (it enumerates the collection, or there are no
 * children to read alongside a single-object GET).
 */
function rereadsWithDelta(spec: CollectionSpec): boolean {
  return (
    spec.delta !== undefined && (spec.delta.enumerateWithDelta === true || (spec.children ?? []).length === 0)
  );
}

/** `$batch` envelopes needed to re-read `count` objects of a collection with their children. */
function rereadRequests(spec: CollectionSpec, count: number): number {
  if (rereadsWithDelta(spec))
    return (
      Math.ceil(Math.ceil(count / DELTA_FILTER_IDS) / MAX_BATCH_SIZE) +
      Math.ceil((count * everyObjectChildren(spec)) / MAX_BATCH_SIZE)
    );
  return Math.ceil((count * (1 + everyObjectChildren(spec))) / MAX_BATCH_SIZE);
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

/** Child reads made for every object (those with `when` depend on the object: not counted in minimums). */
function everyObjectChildren(spec: CollectionSpec): number {
  return (spec.children ?? []).filter((child) => child.when === undefined).length;
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
  let normalized = spec.normalize ? spec.normalize(clean) : clean;
  // See `CollectionSpec.singleton`: one object per collection, named after it when Graph gives no id.
  if (spec.singleton && (typeof normalized['id'] !== 'string' || normalized['id'] === ''))
    normalized = { ...normalized, id: spec.name };
  if (spec.extensionsFor === undefined) return normalized;
  // An extension without a value is not part of the object: the stored object does not depend on
  // which extensions the tenant defines, so defining one changes no object.
  for (const [name, value] of Object.entries(normalized))
    if (value === null && isExtensionProperty(name)) delete normalized[name];
  return normalized;
}

/** An object read without its extension values (lookup skipped) with the values it had before. */
function withCarriedExtensions(
  object: GraphObject,
  values: Record<string, unknown> | undefined,
): GraphObject {
  if (values === undefined) return object;
  const missing = Object.entries(values).filter(([name]) => !(name in object));
  return missing.length === 0 ? object : ({ ...object, ...Object.fromEntries(missing) } as GraphObject);
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

/** Graph's answer to a request the app's permissions do not cover (https://learn.microsoft.com/graph/errors). */
function isAccessDenied(error: unknown): boolean {
  return (
    error instanceof GraphRequestError && error.status === 403 && error.code === 'Authorization_RequestDenied'
  );
}

function consentLacksReason(missing: readonly string[]): string {
  return `Not backed up: the tenant's consent lacks ${missing.join(', ')}; grant admin consent again in Settings`;
}

function accessDeniedReason(permissions: readonly string[]): string {
  return (
    `Not backed up: Microsoft Graph denied access (Authorization_RequestDenied); the tenant's consent ` +
    `may lack ${permissions.join(', ')}; grant admin consent again in Settings`
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
