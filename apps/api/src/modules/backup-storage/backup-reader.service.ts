import { Injectable } from '@nestjs/common';
import { isObjectTypeKey, type ObjectTypeKey } from '@entra-backup/common';
import { Clock } from '../../core/clock/clock';
import {
  BackupObjectRepository,
  type DiffEntry,
  type Referrer,
  type StoredLogEntry,
  type StoredVersion,
} from '../../persistence/repositories/backup-object.repository';
import {
  BackupSnapshotRepository,
  type RunRecord,
  type SnapshotRecord,
  type TypeResultRecord,
} from '../../persistence/repositories/backup-snapshot.repository';
import { BackupStorageException } from './backup-storage.exception';
import { canonicalJson } from './codec/canonical-json';
import { PayloadCodec } from './codec/payload-codec';
import { deltaLinkContext } from './snapshot-writer';

/** Page size of streaming reads: bounded memory, few round trips. */
const READ_PAGE = 200;
export const MAX_SNAPSHOT_PAGE = 200;
/** A snapshot named by its per-tenant sequence number: `12` or `#12`. */
const SNAPSHOT_SEQ_REF = /^#?(\d{1,9})$/;

export interface SnapshotPage {
  readonly items: SnapshotRecord[];
  readonly total: number;
}

export interface SnapshotDetails {
  readonly snapshot: SnapshotRecord;
  readonly run: RunRecord;
  readonly types: TypeResultRecord[];
}

/** Object ids of one collection found in only one of two snapshots, or in both with other content. */
export interface CollectionComparison {
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
  readonly changed: readonly string[];
}

export interface SnapshotObject {
  readonly collection: string;
  readonly id: string;
  readonly object: unknown;
}

export interface ChangedObject {
  readonly id: string;
  /** Top-level properties added, removed or changed, sorted. */
  readonly properties: string[];
}

export interface CollectionDiff {
  readonly collection: string;
  readonly added: string[];
  readonly changed: ChangedObject[];
  readonly removed: string[];
}

export interface TypeDiff {
  readonly type: string;
  readonly collections: CollectionDiff[];
}

export interface SnapshotDiff {
  readonly from: SnapshotRecord;
  readonly to: SnapshotRecord;
  /** Only types and collections with a difference, in key order. */
  readonly types: TypeDiff[];
}

export type DamageProblem = 'missing-blob' | 'unreadable';

export interface DamagedItem {
  readonly kind: 'object' | 'log';
  readonly type: string;
  readonly collection: string;
  readonly id: string;
  readonly contentHash: string;
  readonly problem: DamageProblem;
  readonly detail: string;
  /** Visible snapshots whose view includes this damaged version. */
  readonly snapshotIds: string[];
}

export interface SnapshotVerification {
  readonly snapshotId: string;
  readonly seq: number;
  readonly status: SnapshotRecord['status'];
  readonly objects: number;
  readonly logEntries: number;
  readonly storedBytes: number;
  readonly damaged: number;
  /** Object type keys with at least one damaged object or log entry in this snapshot. */
  readonly damagedTypes: string[];
}

export interface VerifyReport {
  readonly tenantId: string;
  readonly ok: boolean;
  readonly checkedAt: Date;
  readonly versionsChecked: number;
  readonly logEntriesChecked: number;
  readonly bytesChecked: number;
  readonly damaged: DamagedItem[];
  readonly snapshots: SnapshotVerification[];
}

export interface StoredDeltaLink {
  readonly collection: string;
  readonly deltaLink: string;
  readonly createdAt: Date;
  readonly snapshotSeq: number;
}

/** Reads committed snapshots: listings, point-in-time objects, differences and integrity checks. */
@Injectable()
export class BackupReaderService {
  constructor(
    private readonly snapshots: BackupSnapshotRepository,
    private readonly objects: BackupObjectRepository,
    private readonly codec: PayloadCodec,
    private readonly clock: Clock,
  ) {}

  /** Visible snapshots, newest first. */
  async listSnapshots(
    tenantId: string,
    page: { limit?: number; offset?: number } = {},
  ): Promise<SnapshotPage> {
    const limit = page.limit ?? 50;
    const offset = page.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SNAPSHOT_PAGE) {
      throw BackupStorageException.invalidArgument(`limit must be an integer from 1 to ${MAX_SNAPSHOT_PAGE}`);
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw BackupStorageException.invalidArgument('offset must be a non-negative integer');
    }
    return this.snapshots.listVisible(tenantId, { limit, offset });
  }

  /**
   * A visible snapshot by reference: its id, `latest` (the newest), or its sequence number
   * (`12` or `#12`, as `snapshots` lists them); throws SNAPSHOT_NOT_FOUND otherwise.
   */
  async getSnapshot(tenantId: string, snapshotId: string): Promise<SnapshotRecord> {
    const seq = SNAPSHOT_SEQ_REF.exec(snapshotId)?.[1];
    const snapshot =
      snapshotId === 'latest'
        ? await this.snapshots.findLatestVisible(tenantId)
        : seq !== undefined
          ? await this.snapshots.findVisibleBySeq(tenantId, Number(seq))
          : await this.snapshots.findVisible(tenantId, snapshotId);
    if (snapshot === null) throw BackupStorageException.snapshotNotFound(tenantId, snapshotId);
    return snapshot;
  }

  /** The snapshot with its run and per-type outcomes and figures. */
  async getSnapshotDetails(tenantId: string, snapshotId: string): Promise<SnapshotDetails> {
    const snapshot = await this.getSnapshot(tenantId, snapshotId);
    const run = await this.snapshots.findRun(snapshot.runId);
    if (run === null) throw BackupStorageException.snapshotNotFound(tenantId, snapshotId);
    return { snapshot, run, types: await this.snapshots.typeResults(run.id) };
  }

  /** Per type, per collection: how many objects the snapshot holds (log types count their entries). */
  async countsAt(tenantId: string, snapshotId: string): Promise<Record<string, Record<string, number>>> {
    const snapshot = await this.getSnapshot(tenantId, snapshotId);
    const counts: Record<string, Record<string, number>> = {};
    for (const row of await this.objects.countsAt(tenantId, snapshot.seq)) {
      (counts[row.typeKey] ??= {})[row.collection] = row.objects;
    }
    for (const row of await this.objects.logCountsAt(tenantId, snapshot.seq)) {
      (counts[row.typeKey] ??= {})[row.collection] = row.entries;
    }
    return counts;
  }

  /**
   * The objects of a type (optionally one collection) as of a snapshot, decrypted, in
   * (collection, id) order, streamed page by page. Throws on a damaged payload.
   */
  async *objectsAt(
    tenantId: string,
    snapshotId: string,
    type: ObjectTypeKey,
    collection?: string,
  ): AsyncGenerator<SnapshotObject> {
    requireType(type);
    const snapshot = await this.getSnapshot(tenantId, snapshotId);
    let after: { collection: string; objectId: string } | undefined;
    for (;;) {
      const page = await this.objects.versionsAt({
        tenantId,
        seq: snapshot.seq,
        typeKey: type,
        ...(collection === undefined ? {} : { collection }),
        ...(after === undefined ? {} : { after }),
        limit: READ_PAGE,
      });
      for (const version of page) {
        yield { collection: version.collection, id: version.objectId, object: this.open(version) };
      }
      const last = page[page.length - 1];
      if (last === undefined || page.length < READ_PAGE) return;
      after = { collection: last.collection, objectId: last.objectId };
    }
  }

  /** One object as of a snapshot, or null when it was not part of it. */
  async getObjectAt(
    tenantId: string,
    snapshotId: string,
    type: ObjectTypeKey,
    collection: string,
    objectId: string,
  ): Promise<unknown> {
    requireType(type);
    const snapshot = await this.getSnapshot(tenantId, snapshotId);
    const [version] = await this.objects.versionsAt({
      tenantId,
      seq: snapshot.seq,
      typeKey: type,
      collection,
      objectId,
      limit: 1,
    });
    return version === undefined ? null : this.open(version);
  }

  /** The ids of a collection's objects as of a snapshot, nothing decrypted. */
  async objectIdsAt(
    tenantId: string,
    snapshotId: string,
    type: ObjectTypeKey,
    collection: string,
  ): Promise<string[]> {
    requireType(type);
    const snapshot = await this.getSnapshot(tenantId, snapshotId);
    return this.objects.objectIdsAt(tenantId, snapshot.seq, type, collection);
  }

  /** Some objects of one collection as of a snapshot, decrypted, by id (absent ones omitted). */
  async objectsByIds(
    tenantId: string,
    snapshotId: string,
    type: ObjectTypeKey,
    collection: string,
    objectIds: readonly string[],
  ): Promise<Map<string, unknown>> {
    requireType(type);
    const snapshot = await this.getSnapshot(tenantId, snapshotId);
    const versions = await this.objects.versionsByIds({
      tenantId,
      seq: snapshot.seq,
      typeKey: type,
      collection,
      objectIds,
    });
    return new Map(versions.map((v) => [v.objectId, this.open(v)]));
  }

  /** Which of `objectIds` a collection holds as of a snapshot. */
  async presentIdsAt(
    tenantId: string,
    snapshotId: string,
    type: ObjectTypeKey,
    collection: string,
    objectIds: readonly string[],
  ): Promise<Set<string>> {
    requireType(type);
    const snapshot = await this.getSnapshot(tenantId, snapshotId);
    return new Set(await this.objects.presentIdsAt(tenantId, snapshot.seq, type, collection, objectIds));
  }

  /**
   * Objects of a snapshot whose relationships name one of `targets` (`now`), or whose versions up
   * to the snapshot ever did (`ever`: what a deleted principal belonged to), through the browse
   * index's reference rows: no payload is read.
   */
  async referrersAt(
    tenantId: string,
    snapshotId: string,
    targets: readonly string[],
    when: 'now' | 'ever',
  ): Promise<Referrer[]> {
    const snapshot = await this.getSnapshot(tenantId, snapshotId);
    return when === 'now'
      ? this.objects.referrersAt(tenantId, snapshot.seq, targets)
      : this.objects.formerReferrersAt(tenantId, snapshot.seq, targets);
  }

  /**
   * Which objects differ between two snapshots of a tenant, per type and collection, from the
   * stored content hashes alone: nothing is decrypted, so an unchanged object costs nothing.
   */
  async compare(
    tenantId: string,
    snapshotA: string,
    snapshotB: string,
  ): Promise<Map<string, CollectionComparison>> {
    const a = await this.getSnapshot(tenantId, snapshotA);
    const b = await this.getSnapshot(tenantId, snapshotB);
    const out = new Map<string, CollectionComparison>();
    const entry = (e: DiffEntry): { onlyA: string[]; onlyB: string[]; changed: string[] } => {
      const key = `${e.typeKey}/${e.collection}`;
      let found = out.get(key) as { onlyA: string[]; onlyB: string[]; changed: string[] } | undefined;
      if (found === undefined) {
        found = { onlyA: [], onlyB: [], changed: [] };
        out.set(key, found);
      }
      return found;
    };
    for (const e of await this.objects.onlyAt(tenantId, a.seq, b.seq)) entry(e).onlyA.push(e.objectId);
    for (const e of await this.objects.onlyAt(tenantId, b.seq, a.seq)) entry(e).onlyB.push(e.objectId);
    for (const e of await this.objects.changedBetween(tenantId, a.seq, b.seq))
      entry(e).changed.push(e.objectId);
    return out;
  }

  /** The log entries of a type as of a snapshot, by id, streamed. */
  async *logsAt(tenantId: string, snapshotId: string, type: ObjectTypeKey): AsyncGenerator<SnapshotObject> {
    requireType(type);
    const snapshot = await this.getSnapshot(tenantId, snapshotId);
    let afterEntryId: string | undefined;
    for (;;) {
      const page = await this.objects.logsAt({
        tenantId,
        seq: snapshot.seq,
        typeKey: type,
        ...(afterEntryId === undefined ? {} : { afterEntryId }),
        limit: READ_PAGE,
      });
      for (const entry of page)
        yield { collection: entry.collection, id: entry.entryId, object: this.openLog(entry) };
      const last = page[page.length - 1];
      if (last === undefined || page.length < READ_PAGE) return;
      afterEntryId = last.entryId;
    }
  }

  /** The log entries of a type that snapshot B added since snapshot A (older), streamed. */
  async *logsAddedBetween(
    tenantId: string,
    snapshotA: string,
    snapshotB: string,
    type: ObjectTypeKey,
  ): AsyncGenerator<SnapshotObject> {
    requireType(type);
    const from = await this.getSnapshot(tenantId, snapshotA);
    const to = await this.getSnapshot(tenantId, snapshotB);
    let afterEntryId: string | undefined;
    for (;;) {
      const page = await this.objects.logsAddedBetween({
        tenantId,
        typeKey: type,
        fromSeq: from.seq,
        toSeq: to.seq,
        ...(afterEntryId === undefined ? {} : { afterEntryId }),
        limit: READ_PAGE,
      });
      for (const entry of page)
        yield { collection: entry.collection, id: entry.entryId, object: this.openLog(entry) };
      const last = page[page.length - 1];
      if (last === undefined || page.length < READ_PAGE) return;
      afterEntryId = last.entryId;
    }
  }

  /**
   * What changed from snapshot A to snapshot B, computed from version ranges; only changed
   * objects are decrypted (to name their changed top-level properties). Log entries appear as
   * added (or removed, when B is older than A).
   */
  async diff(tenantId: string, snapshotA: string, snapshotB: string): Promise<SnapshotDiff> {
    const from = await this.getSnapshot(tenantId, snapshotA);
    const to = await this.getSnapshot(tenantId, snapshotB);
    const builder = new DiffBuilder();
    for (const entry of await this.objects.onlyAt(tenantId, to.seq, from.seq)) builder.add('added', entry);
    for (const entry of await this.objects.onlyAt(tenantId, from.seq, to.seq)) builder.add('removed', entry);
    for (const entry of await this.objects.logsOnlyAt(tenantId, to.seq, from.seq))
      builder.add('added', entry);
    for (const entry of await this.objects.logsOnlyAt(tenantId, from.seq, to.seq))
      builder.add('removed', entry);
    const changed = await this.objects.changedBetween(tenantId, from.seq, to.seq);
    for (let start = 0; start < changed.length; start += READ_PAGE) {
      const slice = changed.slice(start, start + READ_PAGE);
      const payloads = await this.objects.blobs([...new Set(slice.flatMap((c) => [c.hashA, c.hashB]))]);
      for (const entry of slice) {
        const before = this.openHash(entry.hashA, payloads.get(entry.hashA));
        const after = this.openHash(entry.hashB, payloads.get(entry.hashB));
        builder.change(entry, changedProperties(before, after));
      }
    }
    return { from, to, types: builder.build() };
  }

  /**
   * Re-reads every stored object version and log entry of the tenant, checking that its blob
   * exists, decrypts (authenticated) and still hashes to its address; reports each damaged item
   * with the visible snapshots it affects, plus counts and stored bytes per snapshot.
   */
  async verify(tenantId: string): Promise<VerifyReport> {
    const visible = await this.allVisibleSnapshots(tenantId);
    const damaged: DamagedItem[] = [];
    let versionsChecked = 0;
    let logEntriesChecked = 0;
    let bytesChecked = 0;

    let afterVersion: StoredVersion | undefined;
    for (;;) {
      const page = await this.objects.allVersions(tenantId, afterVersion, READ_PAGE);
      for (const version of page) {
        versionsChecked += 1;
        bytesChecked += version.payload?.length ?? 0;
        const problem = this.check(version.contentHash, version.payload);
        if (problem === null) continue;
        damaged.push({
          kind: 'object',
          type: version.typeKey,
          collection: version.collection,
          id: version.objectId,
          contentHash: version.contentHash,
          ...problem,
          snapshotIds: visible
            .filter(
              (s) =>
                version.validFromSeq <= s.seq && (version.validToSeq === null || version.validToSeq > s.seq),
            )
            .map((s) => s.id),
        });
      }
      afterVersion = page[page.length - 1];
      if (afterVersion === undefined || page.length < READ_PAGE) break;
    }

    let afterLog: StoredLogEntry | undefined;
    for (;;) {
      const page = await this.objects.allLogs(tenantId, afterLog, READ_PAGE);
      for (const entry of page) {
        logEntriesChecked += 1;
        bytesChecked += entry.payload?.length ?? 0;
        const problem = this.check(entry.contentHash, entry.payload);
        if (problem === null) continue;
        damaged.push({
          kind: 'log',
          type: entry.typeKey,
          collection: entry.collection,
          id: entry.entryId,
          contentHash: entry.contentHash,
          ...problem,
          snapshotIds: visible.filter((s) => entry.firstSeenSeq <= s.seq).map((s) => s.id),
        });
      }
      afterLog = page[page.length - 1];
      if (afterLog === undefined || page.length < READ_PAGE) break;
    }

    const snapshots: SnapshotVerification[] = [];
    for (const snapshot of visible) {
      const objectCounts = await this.objects.countsAt(tenantId, snapshot.seq);
      const logCounts = await this.objects.logCountsAt(tenantId, snapshot.seq);
      const hit = damaged.filter((d) => d.snapshotIds.includes(snapshot.id));
      snapshots.push({
        snapshotId: snapshot.id,
        seq: snapshot.seq,
        status: snapshot.status,
        objects: objectCounts.reduce((n, r) => n + r.objects, 0),
        logEntries: logCounts.reduce((n, r) => n + r.entries, 0),
        storedBytes:
          objectCounts.reduce((n, r) => n + r.storedBytes, 0) +
          logCounts.reduce((n, r) => n + r.storedBytes, 0),
        damaged: hit.length,
        damagedTypes: [...new Set(hit.map((d) => d.type))].sort(),
      });
    }
    return {
      tenantId,
      ok: damaged.length === 0,
      checkedAt: this.clock.now(),
      versionsChecked,
      logEntriesChecked,
      bytesChecked,
      damaged,
      snapshots,
    };
  }

  /** The deltaLinks stored for a type by its last committed successful run, decrypted. */
  async deltaLinks(tenantId: string, type: ObjectTypeKey): Promise<StoredDeltaLink[]> {
    requireType(type);
    const rows = await this.objects.deltaLinks(tenantId, type);
    return rows.map((row) => ({
      collection: row.collection,
      deltaLink: this.codec.openText(row.sealedLink, deltaLinkContext(tenantId, type, row.collection)),
      createdAt: row.createdAt,
      snapshotSeq: row.snapshotSeq,
    }));
  }

  /** The log watermark stored for a type by its last committed successful run, or null. */
  watermark(tenantId: string, type: ObjectTypeKey): Promise<string | null> {
    requireType(type);
    return this.objects.watermark(tenantId, type);
  }

  private async allVisibleSnapshots(tenantId: string): Promise<SnapshotRecord[]> {
    const all: SnapshotRecord[] = [];
    for (let offset = 0; ; offset += MAX_SNAPSHOT_PAGE) {
      const page = await this.snapshots.listVisible(tenantId, { limit: MAX_SNAPSHOT_PAGE, offset });
      all.push(...page.items);
      if (page.items.length < MAX_SNAPSHOT_PAGE) return all;
    }
  }

  private check(hash: string, payload: Buffer | null): { problem: DamageProblem; detail: string } | null {
    if (payload === null) return { problem: 'missing-blob', detail: `Blob ${hash} is missing` };
    try {
      this.codec.open(hash, payload);
      return null;
    } catch (error) {
      return { problem: 'unreadable', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  private open(version: StoredVersion): unknown {
    return this.openHash(version.contentHash, version.payload ?? undefined);
  }

  private openLog(entry: StoredLogEntry): unknown {
    return this.openHash(entry.contentHash, entry.payload ?? undefined);
  }

  private openHash(hash: string, payload: Buffer | undefined): unknown {
    if (payload === undefined)
      throw new Error(`Blob ${hash} is missing; run verify for a full damage report`);
    return this.codec.open(hash, payload);
  }
}

function requireType(type: string): void {
  if (!isObjectTypeKey(type)) throw BackupStorageException.invalidArgument(`Unknown object type: ${type}`);
}

/** Top-level properties whose canonical value differs (present on one side only counts). */
export function changedProperties(before: unknown, after: unknown): string[] {
  const a = asRecord(before);
  const b = asRecord(after);
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names]
    .filter((name) => {
      const left = a[name];
      const right = b[name];
      if (left === undefined || right === undefined) return left !== right;
      return canonicalJson(left) !== canonicalJson(right);
    })
    .sort();
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

class DiffBuilder {
  private readonly types = new Map<
    string,
    Map<string, { added: string[]; changed: ChangedObject[]; removed: string[] }>
  >();

  add(kind: 'added' | 'removed', entry: DiffEntry): void {
    this.collection(entry)[kind].push(entry.objectId);
  }

  change(entry: DiffEntry, properties: string[]): void {
    this.collection(entry).changed.push({ id: entry.objectId, properties });
  }

  build(): TypeDiff[] {
    return [...this.types.keys()].sort().map((type) => ({
      type,
      collections: [...this.types.get(type)!.entries()]
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([collection, diff]) => ({
          collection,
          added: [...diff.added].sort(),
          changed: [...diff.changed].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
          removed: [...diff.removed].sort(),
        })),
    }));
  }

  private collection(entry: DiffEntry): { added: string[]; changed: ChangedObject[]; removed: string[] } {
    let byCollection = this.types.get(entry.typeKey);
    if (byCollection === undefined) {
      byCollection = new Map();
      this.types.set(entry.typeKey, byCollection);
    }
    let diff = byCollection.get(entry.collection);
    if (diff === undefined) {
      diff = { added: [], changed: [], removed: [] };
      byCollection.set(entry.collection, diff);
    }
    return diff;
  }
}
