import type { ObjectTypeKey } from '@entra-backup/common';
import type { Clock } from '../../core/clock/clock';
import {
  type BackupObjectRepository,
  type LogLookup,
  MissingBlobsError,
  type NewBlob,
} from '../../persistence/repositories/backup-object.repository';
import type { SummaryRow } from '../../persistence/repositories/browse-index.repository';
import type {
  BackupMode,
  BackupSnapshotRepository,
  RunningRun,
  TypeResultRecord,
  TypeResultRow,
  TypeStatus,
} from '../../persistence/repositories/backup-snapshot.repository';
import { BackupStorageException } from './backup-storage.exception';
import { logLookupOf } from './codec/log-lookup';
import type { PayloadCodec, PreparedPayload } from './codec/payload-codec';

/** Writes of a batch whose reused blobs retention deleted meanwhile, before the run fails. */
const MISSING_BLOB_ATTEMPTS = 3;

/** Figures the engine measured for one type; every field defaults to 0. */
export interface TypeRunFigures {
  readonly requests?: number;
  readonly retries?: number;
  readonly throttledWaits?: number;
  readonly throttledWaitMs?: number;
  readonly durationMs?: number;
}

export interface TypeFailure extends TypeRunFigures {
  readonly reason: string;
  readonly graphCode?: string;
  readonly requestId?: string;
}

export interface SnapshotCommitResult {
  readonly runId: string;
  /** Null when every type failed: nothing became visible. */
  readonly snapshotId: string | null;
  readonly seq: number;
  readonly status: 'completed' | 'partial' | 'failed';
  readonly types: readonly TypeResultRecord[];
}

export interface SnapshotWriterLimits {
  /** Objects buffered before they are written in one transaction. */
  readonly batchObjects: number;
  /** Canonical JSON bytes buffered before a write, whatever the object count. */
  readonly batchBytes: number;
}

/** Builds the browse-index row of a newly stored payload (non-secret display columns only). */
export type PayloadSummarizer = (
  hash: string,
  type: string,
  collection: string,
  object: unknown,
) => SummaryRow;

export const DEFAULT_WRITER_LIMITS: SnapshotWriterLimits = { batchObjects: 500, batchBytes: 4 * 1024 * 1024 };

/** A Graph object: anything JSON with a string `id`. */
export type GraphObject = { readonly id: string } & Readonly<Record<string, unknown>>;

interface PendingObject {
  readonly typeKey: ObjectTypeKey;
  readonly collection: string;
  readonly objectId: string;
  readonly prepared: PreparedPayload | null;
  readonly object: GraphObject | null;
}

interface TypeState {
  status: TypeStatus | 'open';
  result?: TypeResultRow;
  bytesStored: number;
  /** Log entries this run stored that were not stored before. */
  newLogEntries: number;
  watermark?: string;
  readonly deltaLinks: Map<string, { readonly link: string; readonly issuedAt: Date }>;
  /** Collections the run did not read (missing consent): their previous state carries over. */
  readonly carried: Set<string>;
}

type WriterState = 'open' | 'committing' | 'committed' | 'aborted' | 'broken';

export const UNREPORTED_TYPE_REASON = 'The run ended before this type reported a result';

/**
 * Writes one snapshot. Objects are hashed as they arrive and buffered up to `limits`; a flush
 * stores only blobs not stored yet (an unchanged object costs one staged row and no payload
 * write) plus one staged row per object, in one transaction. Peak memory is one batch, whatever
 * the tenant size. Nothing becomes visible before `commit()`; see `BackupSnapshotRepository` for
 * why a crash at any point leaves the previous snapshot's view intact.
 *
 * Calls may come concurrently from the engine's per-type workers: flushes are chained, and a
 * caller that fills a batch waits for it to be written (back-pressure).
 */
export class SnapshotWriter {
  private readonly typeStates = new Map<ObjectTypeKey, TypeState>();
  private pending = new Map<string, PendingObject>();
  private pendingBytes = 0;
  private flushChain: Promise<void> = Promise.resolve();
  private state: WriterState = 'open';
  private failure: unknown;

  constructor(
    private readonly run: RunningRun,
    readonly mode: BackupMode,
    readonly types: readonly ObjectTypeKey[],
    private readonly deps: {
      readonly snapshots: BackupSnapshotRepository;
      readonly objects: BackupObjectRepository;
      readonly codec: PayloadCodec;
      readonly clock: Clock;
      readonly limits: SnapshotWriterLimits;
      readonly summarize?: PayloadSummarizer;
    },
  ) {
    for (const type of types)
      this.typeStates.set(type, {
        status: 'open',
        bytesStored: 0,
        newLogEntries: 0,
        deltaLinks: new Map(),
        carried: new Set(),
      });
  }

  get runId(): string {
    return this.run.runId;
  }

  get snapshotId(): string {
    return this.run.snapshotId;
  }

  get tenantId(): string {
    return this.run.tenantId;
  }

  get seq(): number {
    return this.run.seq;
  }

  /** Records an object as present in this snapshot. The same object put twice keeps the last. */
  async put(type: ObjectTypeKey, collection: string, object: GraphObject): Promise<void> {
    this.openType(type);
    const objectId = requireObjectId(object, type, collection);
    const prepared = this.deps.codec.prepare(object);
    this.enqueue({ typeKey: type, collection: requireCollection(collection), objectId, prepared, object });
    await this.flushIfFull();
  }

  /** Records an object as deleted (a delta `@removed`). */
  async remove(type: ObjectTypeKey, collection: string, objectId: string): Promise<void> {
    this.openType(type);
    if (typeof objectId !== 'string' || objectId === '') {
      throw BackupStorageException.invalidArgument(`A removed ${type} object needs a non-empty id`);
    }
    requireIdLength(objectId, type, collection);
    this.enqueue({
      typeKey: type,
      collection: requireCollection(collection),
      objectId,
      prepared: null,
      object: null,
    });
    await this.flushIfFull();
  }

  /**
   * Forgets everything this run put or removed in one collection so far (buffered or already
   * staged), for an enumeration that has to start over (an expired page token): objects seen
   * only before the restart must not end up in the snapshot.
   */
  async restartCollection(type: ObjectTypeKey, collection: string): Promise<void> {
    this.openType(type);
    requireCollection(collection);
    for (const [key, entry] of this.pending) {
      if (entry.typeKey !== type || entry.collection !== collection) continue;
      this.pending.delete(key);
      if (entry.prepared) this.pendingBytes -= entry.prepared.canonical.length;
    }
    // Batches already on their way may hold rows of the collection: let them land, then drop them.
    await this.flushChain;
    if (this.state === 'broken') throw this.brokenError();
    await this.guard(() => this.deps.objects.unstageCollection(this.run.snapshotId, type, collection));
  }

  /**
   * Leaves one collection of a type out of this snapshot's changes: it was not read (the tenant's
   * consent lacks its permissions), so whatever the run staged for it is dropped with its new
   * deltaLink, and the commit keeps its open versions as they are, also in a full run (which
   * otherwise closes every version it did not see). A snapshot thus never reads a collection it
   * could not capture as "every object deleted": compare, restore and retention see its state as
   * of the last snapshot that captured it, the way a failed type's objects carry over, and the
   * run's type result says it was not captured. The stored deltaLink stays, matching that carried
   * state, so the first run that may read the collection again replays every change since.
   */
  async skipCollection(type: ObjectTypeKey, collection: string): Promise<void> {
    await this.restartCollection(type, collection);
    const state = this.typeState(type);
    state.deltaLinks.delete(collection);
    state.carried.add(collection);
  }

  /**
   * Stores log records (sign-ins, audits); ids already stored are kept as they are and are not
   * counted as added: the engine re-reads an overlap before its watermark.
   */
  async appendLogs(type: ObjectTypeKey, collection: string, entries: readonly GraphObject[]): Promise<void> {
    this.openType(type);
    requireCollection(collection);
    for (let start = 0; start < entries.length; start += this.deps.limits.batchObjects) {
      const slice = entries.slice(start, start + this.deps.limits.batchObjects);
      const byId = new Map<string, PreparedPayload>();
      const byHash = new Map<string, GraphObject>();
      const lookups = new Map<string, LogLookup>();
      for (const entry of slice) {
        const entryId = requireObjectId(entry, type, collection);
        const prepared = this.deps.codec.prepare(entry);
        byId.set(entryId, prepared);
        byHash.set(prepared.hash, entry);
        lookups.set(entryId, logLookupOf(entry));
      }
      const { blobs, result: stored } = await this.withFreshBlobs([...byId.values()], (blobs) =>
        this.deps.objects.appendLogs(
          this.run.tenantId,
          type,
          this.run.seq,
          blobs,
          [...byId].map(([entryId, prepared]) => ({
            entryId,
            collection,
            contentHash: prepared.hash,
            lookup: lookups.get(entryId)!,
          })),
          this.deps.clock.now(),
          this.summaries(
            blobs.map((blob) => ({ hash: blob.hash, type, collection, object: byHash.get(blob.hash) })),
          ),
        ),
      );
      const state = this.typeState(type);
      state.bytesStored += sum(blobs.map((b) => b.storedSize));
      state.newLogEntries += stored;
    }
  }

  /** The log position to resume from next time; stored only if the type succeeds and the snapshot commits. */
  setWatermark(type: ObjectTypeKey, watermark: string): void {
    this.openType(type);
    if (watermark === '' || watermark.length > 256) {
      throw BackupStorageException.invalidArgument(`The ${type} watermark must have 1 to 256 characters`);
    }
    this.typeState(type).watermark = watermark;
  }

  /** The deltaLink to resume a collection from; stored (sealed) only if the type succeeds and the snapshot commits. */
  setDeltaLink(
    type: ObjectTypeKey,
    collection: string,
    deltaLink: string,
    issuedAt: Date = this.deps.clock.now(),
  ): void {
    this.openType(type);
    if (deltaLink === '')
      throw BackupStorageException.invalidArgument(`The ${type} deltaLink must not be empty`);
    this.typeState(type).deltaLinks.set(requireCollection(collection), { link: deltaLink, issuedAt });
  }

  async completeType(type: ObjectTypeKey, figures: TypeRunFigures = {}): Promise<void> {
    await this.finishType(type, 'succeeded', { reason: null, graphCode: null, requestId: null }, figures);
  }

  async failType(type: ObjectTypeKey, failure: TypeFailure): Promise<void> {
    await this.finishType(
      type,
      'failed',
      { reason: failure.reason, graphCode: failure.graphCode ?? null, requestId: failure.requestId ?? null },
      failure,
    );
  }

  async skipType(type: ObjectTypeKey, reason: string, figures: TypeRunFigures = {}): Promise<void> {
    await this.finishType(type, 'skipped', { reason, graphCode: null, requestId: null }, figures);
  }

  /**
   * Makes the snapshot visible: `completed` when every type succeeded or was skipped, `partial`
   * when some failed (their objects carry over unchanged from the previous snapshot). When every
   * type failed nothing becomes visible and the run ends `failed`. A type that never reported a
   * result counts as failed.
   */
  async commit(): Promise<SnapshotCommitResult> {
    this.assertState('commit');
    this.state = 'committing';
    try {
      await this.flush();
      const now = this.deps.clock.now();
      const results: TypeResultRow[] = this.types.map((type) => {
        const state = this.typeState(type);
        return (
          state.result ??
          this.resultRow(
            type,
            'failed',
            { reason: UNREPORTED_TYPE_REASON, graphCode: null, requestId: null },
            {},
            now,
          )
        );
      });
      if (results.every((r) => r.status === 'failed')) {
        const ended = await this.deps.snapshots.discard({
          run: this.run,
          status: 'failed',
          reason: 'Every object type of the run failed',
          finishedAt: now,
          types: results,
        });
        if (!ended)
          throw new Error(
            `Snapshot ${this.run.snapshotId} is no longer being written; it cannot be committed`,
          );
        this.state = 'committed';
        return {
          runId: this.run.runId,
          snapshotId: null,
          seq: this.run.seq,
          status: 'failed',
          types: results.map((r) => ({ ...r, objects: 0, added: 0, changed: 0, removed: 0 })),
        };
      }
      const runStatus = results.some((r) => r.status === 'failed') ? 'partial' : 'completed';
      const succeeded = this.types.filter((type) => this.typeState(type).status === 'succeeded');
      const records = await this.deps.snapshots.commit({
        tenantId: this.run.tenantId,
        runId: this.run.runId,
        snapshotId: this.run.snapshotId,
        seq: this.run.seq,
        mode: this.mode,
        runStatus,
        finishedAt: now,
        types: results,
        deltaLinks: succeeded.flatMap((type) =>
          [...this.typeState(type).deltaLinks].map(([collection, { link, issuedAt }]) => ({
            typeKey: type,
            collection,
            sealedLink: this.deps.codec.sealText(link, deltaLinkContext(this.run.tenantId, type, collection)),
            createdAt: issuedAt,
          })),
        ),
        carried: succeeded.flatMap((type) =>
          [...this.typeState(type).carried].map((collection) => ({ typeKey: type, collection })),
        ),
        watermarks: succeeded.flatMap((type) => {
          const watermark = this.typeState(type).watermark;
          return watermark === undefined ? [] : [{ typeKey: type, watermark }];
        }),
        // Every type's, not only the succeeded ones': entries stay stored when their type fails.
        newLogEntries: this.types.flatMap((type) => {
          const entries = this.typeState(type).newLogEntries;
          return entries === 0 ? [] : [{ typeKey: type, entries }];
        }),
      });
      this.state = 'committed';
      return {
        runId: this.run.runId,
        snapshotId: this.run.snapshotId,
        seq: this.run.seq,
        status: runStatus,
        types: records,
      };
    } catch (error) {
      this.state = 'broken';
      await this.discardQuietly(`The snapshot could not be committed: ${errorText(error)}`);
      throw error;
    }
  }

  /**
   * Ends the run without a visible snapshot, discarding everything it staged: `failed`, or
   * `interrupted` when the process running it is stopping.
   */
  async abort(reason: string, status: 'failed' | 'interrupted' = 'failed'): Promise<void> {
    if (this.state === 'committed' || this.state === 'aborted') {
      throw BackupStorageException.writerClosed(
        `Snapshot ${this.run.snapshotId} has already ended; it cannot be aborted`,
      );
    }
    this.state = 'aborted';
    this.pending = new Map();
    this.pendingBytes = 0;
    await this.flushChain;
    await this.deps.snapshots.discard({
      run: this.run,
      status,
      reason,
      finishedAt: this.deps.clock.now(),
    });
  }

  private async finishType(
    type: ObjectTypeKey,
    status: TypeStatus,
    outcome: Pick<TypeResultRow, 'reason' | 'graphCode' | 'requestId'>,
    figures: TypeRunFigures,
  ): Promise<void> {
    const state = this.openType(type);
    validateFigures(figures);
    state.status = status;
    // The type's buffered objects must be stored before its byte count is final.
    await this.flush();
    const result = this.resultRow(type, status, outcome, figures, this.deps.clock.now());
    state.result = result;
    await this.guard(() => this.deps.snapshots.saveTypeResult(this.run.runId, result));
  }

  private resultRow(
    type: ObjectTypeKey,
    status: TypeStatus,
    outcome: Pick<TypeResultRow, 'reason' | 'graphCode' | 'requestId'>,
    figures: TypeRunFigures,
    finishedAt: Date,
  ): TypeResultRow {
    return {
      typeKey: type,
      status,
      ...outcome,
      requests: count(figures.requests, 'requests'),
      retries: count(figures.retries, 'retries'),
      throttledWaits: count(figures.throttledWaits, 'throttledWaits'),
      throttledWaitMs: count(figures.throttledWaitMs, 'throttledWaitMs'),
      durationMs: count(figures.durationMs, 'durationMs'),
      bytesStored: this.typeState(type).bytesStored,
      finishedAt,
    };
  }

  private enqueue(entry: PendingObject): void {
    const key = JSON.stringify([entry.typeKey, entry.collection, entry.objectId]);
    const previous = this.pending.get(key);
    if (previous?.prepared) this.pendingBytes -= previous.prepared.canonical.length;
    this.pending.set(key, entry);
    if (entry.prepared) this.pendingBytes += entry.prepared.canonical.length;
  }

  private async flushIfFull(): Promise<void> {
    if (
      this.pending.size >= this.deps.limits.batchObjects ||
      this.pendingBytes >= this.deps.limits.batchBytes
    ) {
      await this.flush();
    }
  }

  /** Writes what is buffered; resolves when it and every earlier batch are stored. */
  private flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.pendingBytes = 0;
    const write = this.flushChain.then(() => (batch.length === 0 ? undefined : this.writeBatch(batch)));
    this.flushChain = write.catch(() => undefined);
    return write;
  }

  private async writeBatch(batch: readonly PendingObject[]): Promise<void> {
    if (this.state === 'broken') throw this.brokenError();
    const prepared = batch.flatMap((entry) => (entry.prepared === null ? [] : [entry.prepared]));
    const owners = new Map<string, PendingObject>();
    for (const entry of batch)
      if (entry.prepared && !owners.has(entry.prepared.hash)) owners.set(entry.prepared.hash, entry);
    const { blobs } = await this.withFreshBlobs(prepared, (blobs) =>
      this.deps.objects.stage(
        this.run.snapshotId,
        blobs,
        batch.map((entry) => ({
          typeKey: entry.typeKey,
          collection: entry.collection,
          objectId: entry.objectId,
          contentHash: entry.prepared?.hash ?? null,
        })),
        this.deps.clock.now(),
        this.summaries(
          blobs.map((blob) => {
            const owner = owners.get(blob.hash);
            return {
              hash: blob.hash,
              type: owner?.typeKey,
              collection: owner?.collection,
              object: owner?.object,
            };
          }),
        ),
      ),
    );
    for (const blob of blobs) {
      const owner = owners.get(blob.hash);
      if (owner !== undefined) this.typeState(owner.typeKey).bytesStored += blob.storedSize;
    }
  }

  private summaries(
    items: readonly { hash: string; type?: string; collection?: string; object?: unknown }[],
  ): SummaryRow[] {
    const summarize = this.deps.summarize;
    if (summarize === undefined) return [];
    return items.flatMap((item) =>
      item.type === undefined || item.collection === undefined || item.object === undefined
        ? []
        : [summarize(item.hash, item.type, item.collection, item.object)],
    );
  }

  /**
   * Stores a batch with the blobs not stored yet. Retention may delete a blob between the
   * look-up and the write (another tenant's prune); the write then fails with
   * `MissingBlobsError` having changed nothing, and the batch is written again with those blobs.
   */
  private async withFreshBlobs<T>(
    prepared: readonly PreparedPayload[],
    write: (blobs: NewBlob[]) => Promise<T>,
  ): Promise<{ blobs: NewBlob[]; result: T }> {
    for (let attempt = 1; ; attempt += 1) {
      const blobs = await this.newBlobs(prepared);
      try {
        return { blobs, result: await write(blobs) };
      } catch (error) {
        if (!(error instanceof MissingBlobsError) || attempt >= MISSING_BLOB_ATTEMPTS) {
          return this.guard(() => Promise.reject(error as Error));
        }
      }
    }
  }

  /** Seals only the payloads whose hash is not stored yet: de-duplication before any compression. */
  private async newBlobs(prepared: readonly PreparedPayload[]): Promise<NewBlob[]> {
    const unique = new Map(prepared.map((p) => [p.hash, p]));
    const existing = await this.guard(() => this.deps.objects.existingBlobHashes([...unique.keys()]));
    const blobs: NewBlob[] = [];
    for (const [hash, payload] of unique) {
      if (!existing.has(hash)) blobs.push(this.deps.codec.seal(payload));
    }
    return blobs;
  }

  /** A storage failure breaks the writer: later calls fail at once, and `commit` refuses. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (this.state === 'open' || this.state === 'committing') {
        this.state = 'broken';
        this.failure = error;
      }
      throw error;
    }
  }

  private openType(type: ObjectTypeKey): TypeState {
    this.assertState(`write ${type}`);
    const state = this.typeStates.get(type);
    if (state === undefined) {
      throw BackupStorageException.invalidArgument(
        `Type ${String(type)} is not part of this run (${this.types.join(', ')})`,
      );
    }
    if (state.status !== 'open') {
      throw BackupStorageException.writerClosed(
        `Type ${type} has already ended (${state.status}) in this run`,
      );
    }
    return state;
  }

  private typeState(type: ObjectTypeKey): TypeState {
    const state = this.typeStates.get(type);
    if (state === undefined)
      throw BackupStorageException.invalidArgument(`Type ${String(type)} is not part of this run`);
    return state;
  }

  private assertState(action: string): void {
    if (this.state === 'open') return;
    if (this.state === 'broken') throw this.brokenError();
    throw BackupStorageException.writerClosed(
      `Cannot ${action}: snapshot ${this.run.snapshotId} is ${this.state === 'committing' ? 'being committed' : this.state}`,
    );
  }

  private brokenError(): Error {
    return BackupStorageException.writerClosed(
      `Snapshot ${this.run.snapshotId} can no longer be written after a storage error: ${errorText(this.failure)}`,
    );
  }

  private async discardQuietly(reason: string): Promise<void> {
    try {
      await this.deps.snapshots.discard({
        run: this.run,
        status: 'failed',
        reason,
        finishedAt: this.deps.clock.now(),
      });
    } catch {
      // The database is failing; the run stays `running` and the next start marks it interrupted.
    }
  }
}

export function deltaLinkContext(tenantId: string, type: string, collection: string): string {
  return `delta-link/${tenantId}/${type}/${collection}`;
}

function requireObjectId(object: unknown, type: string, collection: string): string {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw BackupStorageException.invalidArgument(`A ${type} ${collection} entry must be a JSON object`);
  }
  const id = (object as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') {
    throw BackupStorageException.invalidArgument(`A ${type} ${collection} object has no string id`);
  }
  return requireIdLength(id, type, collection);
}

/** Object ids are stored in a 512-character column; Graph ids are GUIDs or at most ~100 characters. */
function requireIdLength(id: string, type: string, collection: string): string {
  if (id.length > 512) {
    throw BackupStorageException.invalidArgument(`A ${type} ${collection} id is longer than 512 characters`);
  }
  return id;
}

function requireCollection(collection: string): string {
  if (typeof collection !== 'string' || !/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/.test(collection)) {
    throw BackupStorageException.invalidArgument(
      `Collection name ${JSON.stringify(collection)} is invalid (letters, digits, _ . -; at most 128 characters)`,
    );
  }
  return collection;
}

function validateFigures(figures: TypeRunFigures): void {
  count(figures.requests, 'requests');
  count(figures.retries, 'retries');
  count(figures.throttledWaits, 'throttledWaits');
  count(figures.throttledWaitMs, 'throttledWaitMs');
  count(figures.durationMs, 'durationMs');
}

function count(value: number | undefined, name: string): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0) {
    throw BackupStorageException.invalidArgument(`${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
