import { Injectable } from '@nestjs/common';
import {
  BackupBlobEntity,
  BackupDeltaStateEntity,
  BackupLogEntryEntity,
  BackupLogTargetEntity,
  BackupLogWatermarkEntity,
  BackupObjectVersionEntity,
  BackupStagedObjectEntity,
  ObjectSummaryEntity,
  ObjectSummaryRefEntity,
} from '../entities';
import { BackupSqlRepository, type SqlExecutor, type SqlParam, toNumber } from './backup-sql.repository';
import { insertSummaries, type SummaryRow } from './browse-index.repository';

/**
 * Rows per multi-row statement. SQLite allows 32,766 bound parameters per statement (since
 * 3.32) and PostgreSQL 65,535; 500 rows of at most 6 columns stays far below both while keeping
 * round trips few.
 */
export const BACKUP_SQL_BATCH_ROWS = 500;

export interface NewBlob {
  readonly hash: string;
  readonly payload: Buffer;
  readonly rawSize: number;
  readonly storedSize: number;
}

export interface StagedObject {
  readonly typeKey: string;
  readonly collection: string;
  readonly objectId: string;
  /** Null records a removal reported by delta. */
  readonly contentHash: string | null;
}

export interface NewLogEntry {
  readonly entryId: string;
  readonly collection: string;
  readonly contentHash: string;
  /** The entry's own time (ISO-8601 UTC, empty when it has none) and the object ids it names. */
  readonly lookup?: LogLookup;
}

export interface LogLookup {
  readonly activityAt: string;
  readonly targetIds: readonly string[];
}

/** An object version with its payload (null when the blob row is missing). */
export interface StoredVersion {
  readonly typeKey: string;
  readonly collection: string;
  readonly objectId: string;
  readonly contentHash: string;
  readonly validFromSeq: number;
  readonly validToSeq: number | null;
  readonly payload: Buffer | null;
}

export interface StoredLogEntry {
  readonly typeKey: string;
  readonly collection: string;
  readonly entryId: string;
  readonly firstSeenSeq: number;
  readonly contentHash: string;
  readonly payload: Buffer | null;
}

export interface VersionKeyCursor {
  readonly typeKey: string;
  readonly collection: string;
  readonly objectId: string;
  readonly validFromSeq: number;
}

/** One stored object, by its key. */
export interface ObjectKey {
  readonly typeKey: string;
  readonly collection: string;
  readonly objectId: string;
}

export type DiffEntry = ObjectKey;

/** A stored object whose relationships name `target`. */
export interface Referrer extends ObjectKey {
  readonly target: string;
}

interface ReferrerRow {
  target: string;
  type_key: string;
  collection: string;
  object_id: string;
}

export interface ChangedEntry extends DiffEntry {
  readonly hashA: string;
  readonly hashB: string;
}

/**
 * A reused blob was deleted (by retention) between the writer's look-up and its transaction; the
 * transaction was rolled back and the writer stores the payloads again.
 */
export class MissingBlobsError extends Error {
  constructor(readonly hashes: readonly string[]) {
    super(`${hashes.length} reused blob(s) were deleted meanwhile; they are stored again`);
    this.name = 'MissingBlobsError';
  }
}

/** Blobs, the staging area, object versions and logs: everything keyed by content. */
@Injectable()
export class BackupObjectRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  private get t() {
    return {
      blob: this.sql.table(BackupBlobEntity),
      staged: this.sql.table(BackupStagedObjectEntity),
      version: this.sql.table(BackupObjectVersionEntity),
      log: this.sql.table(BackupLogEntryEntity),
      logTarget: this.sql.table(BackupLogTargetEntity),
      watermark: this.sql.table(BackupLogWatermarkEntity),
      delta: this.sql.table(BackupDeltaStateEntity),
      summary: this.sql.table(ObjectSummaryEntity),
      summaryRef: this.sql.table(ObjectSummaryRefEntity),
    };
  }

  /** Which of these hashes already have a stored blob. */
  async existingBlobHashes(hashes: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunks(hashes, BACKUP_SQL_BATCH_ROWS)) {
      const rows = await this.sql.rows<{ hash: string }>(
        `SELECT "hash" FROM ${this.t.blob} WHERE "hash" IN (${marks(chunk.length)})`,
        chunk,
      );
      for (const row of rows) found.add(row.hash);
    }
    return found;
  }

  /**
   * Stores new blobs and the staged rows referring to them in one transaction, so a staged row
   * never points at a blob that is not there. A blob stored meanwhile by someone else is kept
   * (same hash, same content). A later row for the same object replaces an earlier one. The
   * browse-index rows of the new blobs are written in the same transaction, so a stored payload
   * is never without its index row.
   *
   * The staged rows are written first and the blobs they reuse checked afterwards: retention may
   * have deleted a blob since the writer saw it (`BackupPruneRepository`), and writing the
   * references first is what serializes the two on PostgreSQL. A reused blob found missing rolls
   * the transaction back with `MissingBlobsError`, and the writer stores it again.
   */
  async stage(
    snapshotId: string,
    blobs: readonly NewBlob[],
    objects: readonly StagedObject[],
    at: Date,
    summaries: readonly SummaryRow[] = [],
  ): Promise<void> {
    const t = this.t;
    await this.sql.transaction(async (tx) => {
      for (const chunk of chunks(objects, BACKUP_SQL_BATCH_ROWS)) {
        await tx.run(
          `INSERT INTO ${t.staged} ("snapshot_id", "type_key", "collection", "object_id", "content_hash")
           VALUES ${rowsOf(chunk.length, 5)}
           ON CONFLICT ("snapshot_id", "type_key", "collection", "object_id")
           DO UPDATE SET "content_hash" = excluded."content_hash"`,
          chunk.flatMap((o): SqlParam[] => [snapshotId, o.typeKey, o.collection, o.objectId, o.contentHash]),
        );
      }
      await this.requireReusedBlobs(
        tx,
        objects.flatMap((o) => (o.contentHash === null ? [] : [o.contentHash])),
        blobs,
      );
      await this.insertBlobs(tx, blobs, at);
      await insertSummaries(tx, { summary: t.summary, ref: t.summaryRef }, summaries);
    });
  }

  /** Throws `MissingBlobsError` when a referenced hash is neither stored nor among `blobs`. */
  private async requireReusedBlobs(
    tx: SqlExecutor,
    hashes: readonly string[],
    blobs: readonly NewBlob[],
  ): Promise<void> {
    const fresh = new Set(blobs.map((b) => b.hash));
    const reused = [...new Set(hashes)].filter((hash) => !fresh.has(hash));
    const found = new Set<string>();
    for (const chunk of chunks(reused, BACKUP_SQL_BATCH_ROWS)) {
      const rows = await tx.rows<{ hash: string }>(
        `SELECT "hash" FROM ${this.t.blob} WHERE "hash" IN (${marks(chunk.length)})`,
        chunk,
      );
      for (const row of rows) found.add(row.hash);
    }
    const missing = reused.filter((hash) => !found.has(hash));
    if (missing.length > 0) throw new MissingBlobsError(missing);
  }

  /** Drops the staged rows of one collection of a snapshot being written (its blobs stay). */
  async unstageCollection(snapshotId: string, typeKey: string, collection: string): Promise<void> {
    await this.sql.run(
      `DELETE FROM ${this.t.staged} WHERE "snapshot_id" = ? AND "type_key" = ? AND "collection" = ?`,
      [snapshotId, typeKey, collection],
    );
  }

  /** Content-addressed: a blob already stored (same hash, same content) is kept as it is. */
  private async insertBlobs(tx: SqlExecutor, blobs: readonly NewBlob[], at: Date): Promise<void> {
    for (const chunk of chunks(blobs, BACKUP_SQL_BATCH_ROWS)) {
      await tx.run(
        `INSERT INTO ${this.t.blob} ("hash", "payload", "raw_size", "stored_size", "created_at")
         VALUES ${rowsOf(chunk.length, 5)} ON CONFLICT ("hash") DO NOTHING`,
        chunk.flatMap((b): SqlParam[] => [b.hash, b.payload, b.rawSize, b.storedSize, at.toISOString()]),
      );
    }
  }

  /**
   * Stores new blobs and log entries; an entry id already stored keeps its first-seen snapshot.
   * Returns how many entries were stored now: ids not stored before. Both engines count only the
   * rows an `ON CONFLICT DO NOTHING` insert really inserted (SQLite `changes()`, PostgreSQL's
   * command tag), so the duplicates a re-read overlap brings again are not counted.
   */
  async appendLogs(
    tenantId: string,
    typeKey: string,
    seq: number,
    blobs: readonly NewBlob[],
    entries: readonly NewLogEntry[],
    at: Date,
    summaries: readonly SummaryRow[] = [],
  ): Promise<number> {
    const t = this.t;
    return this.sql.transaction(async (tx) => {
      let stored = 0;
      for (const chunk of chunks(entries, BACKUP_SQL_BATCH_ROWS)) {
        stored += await tx.run(
          `INSERT INTO ${t.log} ("tenant_id", "type_key", "entry_id", "collection", "first_seen_seq", "content_hash", "activity_at")
           VALUES ${rowsOf(chunk.length, 7)} ON CONFLICT ("tenant_id", "type_key", "entry_id") DO NOTHING`,
          chunk.flatMap((e): SqlParam[] => [
            tenantId,
            typeKey,
            e.entryId,
            e.collection,
            seq,
            e.contentHash,
            e.lookup?.activityAt ?? null,
          ]),
        );
      }
      // References first, then the check of reused blobs (see `stage`).
      await this.requireReusedBlobs(
        tx,
        entries.map((e) => e.contentHash),
        blobs,
      );
      await this.insertBlobs(tx, blobs, at);
      await insertSummaries(tx, { summary: t.summary, ref: t.summaryRef }, summaries);
      await this.insertLogTargets(
        tx,
        tenantId,
        typeKey,
        entries.flatMap((e) =>
          (e.lookup?.targetIds ?? []).map((targetId) => ({
            entryId: e.entryId,
            targetId,
            activityAt: e.lookup!.activityAt,
          })),
        ),
      );
      return stored;
    });
  }

  /** Lookup rows of log entries by target id (idempotent). */
  async insertLogTargets(
    tx: SqlExecutor,
    tenantId: string,
    typeKey: string,
    rows: ReadonlyArray<{ entryId: string; targetId: string; activityAt: string }>,
  ): Promise<void> {
    for (const chunk of chunks(rows, BACKUP_SQL_BATCH_ROWS)) {
      await tx.run(
        `INSERT INTO ${this.t.logTarget} ("tenant_id", "type_key", "target_id", "activity_at", "entry_id")
         VALUES ${rowsOf(chunk.length, 5)}
         ON CONFLICT ("tenant_id", "type_key", "target_id", "activity_at", "entry_id") DO NOTHING`,
        chunk.flatMap((r): SqlParam[] => [tenantId, typeKey, r.targetId, r.activityAt, r.entryId]),
      );
    }
  }

  /**
   * One page of the versions visible at snapshot `seq`, in (collection, object id) order after
   * `after`, with their payloads.
   */
  async versionsAt(query: {
    readonly tenantId: string;
    readonly seq: number;
    readonly typeKey: string;
    readonly collection?: string;
    readonly objectId?: string;
    readonly after?: { readonly collection: string; readonly objectId: string };
    readonly limit: number;
  }): Promise<StoredVersion[]> {
    const t = this.t;
    const params: SqlParam[] = [query.tenantId, query.typeKey, query.seq, query.seq];
    let filter = '';
    if (query.collection !== undefined) {
      filter += ' AND v."collection" = ?';
      params.push(query.collection);
    }
    if (query.objectId !== undefined) {
      filter += ' AND v."object_id" = ?';
      params.push(query.objectId);
    }
    if (query.after !== undefined) {
      // A row-value comparison lets both engines seek the primary key instead of rescanning
      // from the start on every page (an OR of comparisons made paging quadratic on SQLite).
      filter += ' AND (v."collection", v."object_id") > (?, ?)';
      params.push(query.after.collection, query.after.objectId);
    }
    params.push(query.limit);
    const rows = await this.sql.rows<VersionRow>(
      `SELECT v."type_key", v."collection", v."object_id", v."content_hash", v."valid_from_seq", v."valid_to_seq",
              b."payload"
       FROM ${t.version} v LEFT JOIN ${t.blob} b ON b."hash" = v."content_hash"
       WHERE v."tenant_id" = ? AND v."type_key" = ?
         AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)${filter}
       ORDER BY v."collection", v."object_id" LIMIT ?`,
      params,
    );
    return rows.map(toVersion);
  }

  /** The ids of a collection's objects as of snapshot `seq` (no payloads). */
  async objectIdsAt(tenantId: string, seq: number, typeKey: string, collection: string): Promise<string[]> {
    const t = this.t;
    const rows = await this.sql.rows<{ object_id: string }>(
      `SELECT v."object_id" FROM ${t.version} v
       WHERE v."tenant_id" = ? AND v."type_key" = ? AND v."collection" = ?
         AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)`,
      [tenantId, typeKey, collection, seq, seq],
    );
    return rows.map((r) => r.object_id);
  }

  /** Which of `objectIds` one collection holds as of snapshot `seq`. */
  async presentIdsAt(
    tenantId: string,
    seq: number,
    typeKey: string,
    collection: string,
    objectIds: readonly string[],
  ): Promise<string[]> {
    const t = this.t;
    const out: string[] = [];
    for (let start = 0; start < objectIds.length; start += REFERENCE_CHUNK) {
      const ids = objectIds.slice(start, start + REFERENCE_CHUNK);
      const rows = await this.sql.rows<{ object_id: string }>(
        `SELECT v."object_id" FROM ${t.version} v
         WHERE v."tenant_id" = ? AND v."type_key" = ? AND v."collection" = ?
           AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)
           AND v."object_id" IN (${ids.map(() => '?').join(', ')})`,
        [tenantId, typeKey, collection, seq, seq, ...ids],
      );
      out.push(...rows.map((r) => r.object_id));
    }
    return out;
  }

  /**
   * Objects visible in snapshot `seq` whose stored relationships name one of `targets` (members,
   * owners, manager, assignees: the browse index's reference rows), from the index alone.
   */
  async referrersAt(tenantId: string, seq: number, targets: readonly string[]): Promise<Referrer[]> {
    const t = this.t;
    const out: Referrer[] = [];
    for (let start = 0; start < targets.length; start += REFERENCE_CHUNK) {
      const ids = targets.slice(start, start + REFERENCE_CHUNK);
      const rows = await this.sql.rows<ReferrerRow>(
        `SELECT DISTINCT r."target", v."type_key", v."collection", v."object_id"
         FROM ${t.summaryRef} r
         JOIN ${t.version} v ON v."tenant_id" = ? AND v."type_key" = r."type_key"
           AND v."collection" = r."collection" AND v."content_hash" = r."hash"
         WHERE r."target" IN (${ids.map(() => '?').join(', ')})
           AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)`,
        [tenantId, ...ids, seq, seq],
      );
      out.push(...rows.map((r) => ({ ...toObjectKey(r), target: r.target })));
    }
    return out;
  }

  /**
   * Objects visible in snapshot `seq` of which some version up to `seq` named one of `targets`:
   * what a principal belonged to before it was deleted, to re-read when it is restored.
   */
  async formerReferrersAt(tenantId: string, seq: number, targets: readonly string[]): Promise<Referrer[]> {
    const t = this.t;
    const out: Referrer[] = [];
    for (let start = 0; start < targets.length; start += REFERENCE_CHUNK) {
      const ids = targets.slice(start, start + REFERENCE_CHUNK);
      const rows = await this.sql.rows<ReferrerRow>(
        `SELECT DISTINCT r."target", v."type_key", v."collection", v."object_id"
         FROM ${t.summaryRef} r
         JOIN ${t.version} o ON o."tenant_id" = ? AND o."type_key" = r."type_key"
           AND o."collection" = r."collection" AND o."content_hash" = r."hash" AND o."valid_from_seq" <= ?
         JOIN ${t.version} v ON v."tenant_id" = o."tenant_id" AND v."type_key" = o."type_key"
           AND v."collection" = o."collection" AND v."object_id" = o."object_id"
         WHERE r."target" IN (${ids.map(() => '?').join(', ')})
           AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)`,
        [tenantId, seq, ...ids, seq, seq],
      );
      out.push(...rows.map((r) => ({ ...toObjectKey(r), target: r.target })));
    }
    return out;
  }

  /** The versions of the given objects of one collection as of snapshot `seq` (absent ones omitted). */
  async versionsByIds(query: {
    readonly tenantId: string;
    readonly seq: number;
    readonly typeKey: string;
    readonly collection: string;
    readonly objectIds: readonly string[];
  }): Promise<StoredVersion[]> {
    const t = this.t;
    const out: StoredVersion[] = [];
    // Chunks keep the statement far below both engines' bound-parameter limits.
    for (let start = 0; start < query.objectIds.length; start += 500) {
      const ids = query.objectIds.slice(start, start + 500);
      const rows = await this.sql.rows<VersionRow>(
        `SELECT v."type_key", v."collection", v."object_id", v."content_hash", v."valid_from_seq", v."valid_to_seq",
                b."payload"
         FROM ${t.version} v LEFT JOIN ${t.blob} b ON b."hash" = v."content_hash"
         WHERE v."tenant_id" = ? AND v."type_key" = ? AND v."collection" = ?
           AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)
           AND v."object_id" IN (${ids.map(() => '?').join(', ')})`,
        [query.tenantId, query.typeKey, query.collection, query.seq, query.seq, ...ids],
      );
      out.push(...rows.map(toVersion));
    }
    return out;
  }

  /** Object counts per type and collection as of snapshot `seq`. */
  async countsAt(
    tenantId: string,
    seq: number,
  ): Promise<Array<{ typeKey: string; collection: string; objects: number; storedBytes: number }>> {
    const t = this.t;
    const rows = await this.sql.rows<{ type_key: string; collection: string; n: unknown; bytes: unknown }>(
      `SELECT v."type_key", v."collection", COUNT(*) AS "n", SUM(b."stored_size") AS "bytes"
       FROM ${t.version} v LEFT JOIN ${t.blob} b ON b."hash" = v."content_hash"
       WHERE v."tenant_id" = ? AND v."valid_from_seq" <= ? AND (v."valid_to_seq" IS NULL OR v."valid_to_seq" > ?)
       GROUP BY v."type_key", v."collection"`,
      [tenantId, seq, seq],
    );
    return rows.map((r) => ({
      typeKey: r.type_key,
      collection: r.collection,
      objects: toNumber(r.n),
      storedBytes: toNumber(r.bytes),
    }));
  }

  /** Log entry counts per type and collection as of snapshot `seq`. */
  async logCountsAt(
    tenantId: string,
    seq: number,
  ): Promise<Array<{ typeKey: string; collection: string; entries: number; storedBytes: number }>> {
    const t = this.t;
    const rows = await this.sql.rows<{ type_key: string; collection: string; n: unknown; bytes: unknown }>(
      `SELECT l."type_key", l."collection", COUNT(*) AS "n", SUM(b."stored_size") AS "bytes"
       FROM ${t.log} l LEFT JOIN ${t.blob} b ON b."hash" = l."content_hash"
       WHERE l."tenant_id" = ? AND l."first_seen_seq" <= ?
       GROUP BY l."type_key", l."collection"`,
      [tenantId, seq],
    );
    return rows.map((r) => ({
      typeKey: r.type_key,
      collection: r.collection,
      entries: toNumber(r.n),
      storedBytes: toNumber(r.bytes),
    }));
  }

  /** One page of the log entries of a type visible at snapshot `seq`, by entry id. */
  async logsAt(query: {
    readonly tenantId: string;
    readonly seq: number;
    readonly typeKey: string;
    readonly afterEntryId?: string;
    readonly limit: number;
  }): Promise<StoredLogEntry[]> {
    const t = this.t;
    const params: SqlParam[] = [query.tenantId, query.typeKey, query.seq];
    if (query.afterEntryId !== undefined) params.push(query.afterEntryId);
    params.push(query.limit);
    const rows = await this.sql.rows<LogRow>(
      `SELECT l."type_key", l."collection", l."entry_id", l."first_seen_seq", l."content_hash", b."payload"
       FROM ${t.log} l LEFT JOIN ${t.blob} b ON b."hash" = l."content_hash"
       WHERE l."tenant_id" = ? AND l."type_key" = ? AND l."first_seen_seq" <= ?
         ${query.afterEntryId === undefined ? '' : 'AND l."entry_id" > ?'}
       ORDER BY l."entry_id" LIMIT ?`,
      params,
    );
    return rows.map(toLog);
  }

  /** Log entries of a type first seen after `fromSeq`, up to `toSeq`, with payloads, by entry id. */
  async logsAddedBetween(query: {
    readonly tenantId: string;
    readonly typeKey: string;
    readonly fromSeq: number;
    readonly toSeq: number;
    readonly afterEntryId?: string;
    readonly limit: number;
  }): Promise<StoredLogEntry[]> {
    const t = this.t;
    const params: SqlParam[] = [query.tenantId, query.typeKey, query.toSeq, query.fromSeq];
    if (query.afterEntryId !== undefined) params.push(query.afterEntryId);
    params.push(query.limit);
    const rows = await this.sql.rows<LogRow>(
      `SELECT l."type_key", l."collection", l."entry_id", l."first_seen_seq", l."content_hash", b."payload"
       FROM ${t.log} l LEFT JOIN ${t.blob} b ON b."hash" = l."content_hash"
       WHERE l."tenant_id" = ? AND l."type_key" = ? AND l."first_seen_seq" <= ? AND l."first_seen_seq" > ?
         ${query.afterEntryId === undefined ? '' : 'AND l."entry_id" > ?'}
       ORDER BY l."entry_id" LIMIT ?`,
      params,
    );
    return rows.map(toLog);
  }

  /** Every version of the tenant (any snapshot), in key order, one page at a time: for verify. */
  async allVersions(
    tenantId: string,
    after: VersionKeyCursor | undefined,
    limit: number,
  ): Promise<StoredVersion[]> {
    const t = this.t;
    const params: SqlParam[] = [tenantId];
    let filter = '';
    if (after !== undefined) {
      filter = 'AND (v."type_key", v."collection", v."object_id", v."valid_from_seq") > (?, ?, ?, ?)';
      params.push(after.typeKey, after.collection, after.objectId, after.validFromSeq);
    }
    params.push(limit);
    const rows = await this.sql.rows<VersionRow>(
      `SELECT v."type_key", v."collection", v."object_id", v."content_hash", v."valid_from_seq", v."valid_to_seq",
              b."payload"
       FROM ${t.version} v LEFT JOIN ${t.blob} b ON b."hash" = v."content_hash"
       WHERE v."tenant_id" = ? ${filter}
       ORDER BY v."type_key", v."collection", v."object_id", v."valid_from_seq" LIMIT ?`,
      params,
    );
    return rows.map(toVersion);
  }

  /** Every log entry of the tenant, in key order, one page at a time: for verify. */
  async allLogs(
    tenantId: string,
    after: { readonly typeKey: string; readonly entryId: string } | undefined,
    limit: number,
  ): Promise<StoredLogEntry[]> {
    const t = this.t;
    const params: SqlParam[] = [tenantId];
    if (after !== undefined) params.push(after.typeKey, after.entryId);
    params.push(limit);
    const rows = await this.sql.rows<LogRow>(
      `SELECT l."type_key", l."collection", l."entry_id", l."first_seen_seq", l."content_hash", b."payload"
       FROM ${t.log} l LEFT JOIN ${t.blob} b ON b."hash" = l."content_hash"
       WHERE l."tenant_id" = ?
         ${after === undefined ? '' : 'AND (l."type_key", l."entry_id") > (?, ?)'}
       ORDER BY l."type_key", l."entry_id" LIMIT ?`,
      params,
    );
    return rows.map(toLog);
  }

  /** Objects visible at `fromSeq` but not at `toSeq` ("removed" going from one to the other). */
  async onlyAt(tenantId: string, fromSeq: number, toSeq: number): Promise<DiffEntry[]> {
    const t = this.t;
    const rows = await this.sql.rows<{ type_key: string; collection: string; object_id: string }>(
      `SELECT a."type_key", a."collection", a."object_id" FROM ${t.version} a
       WHERE a."tenant_id" = ? AND ${visible('a')}
         AND NOT EXISTS (SELECT 1 FROM ${t.version} b
                         WHERE b."tenant_id" = a."tenant_id" AND b."type_key" = a."type_key"
                           AND b."collection" = a."collection" AND b."object_id" = a."object_id" AND ${visible('b')})
       ORDER BY a."type_key", a."collection", a."object_id"`,
      [tenantId, fromSeq, fromSeq, toSeq, toSeq],
    );
    return rows.map((r) => ({ typeKey: r.type_key, collection: r.collection, objectId: r.object_id }));
  }

  /** Objects visible at both snapshots with different content. */
  async changedBetween(tenantId: string, seqA: number, seqB: number): Promise<ChangedEntry[]> {
    const t = this.t;
    const rows = await this.sql.rows<{
      type_key: string;
      collection: string;
      object_id: string;
      hash_a: string;
      hash_b: string;
    }>(
      `SELECT a."type_key", a."collection", a."object_id", a."content_hash" AS "hash_a", b."content_hash" AS "hash_b"
       FROM ${t.version} a JOIN ${t.version} b
         ON b."tenant_id" = a."tenant_id" AND b."type_key" = a."type_key"
        AND b."collection" = a."collection" AND b."object_id" = a."object_id"
       WHERE a."tenant_id" = ? AND ${visible('a')} AND ${visible('b')} AND a."content_hash" <> b."content_hash"
       ORDER BY a."type_key", a."collection", a."object_id"`,
      [tenantId, seqA, seqA, seqB, seqB],
    );
    return rows.map((r) => ({
      typeKey: r.type_key,
      collection: r.collection,
      objectId: r.object_id,
      hashA: r.hash_a,
      hashB: r.hash_b,
    }));
  }

  /** Log entries visible at `toSeq` but not at `fromSeq`. */
  async logsOnlyAt(tenantId: string, toSeq: number, fromSeq: number): Promise<DiffEntry[]> {
    const rows = await this.sql.rows<{ type_key: string; collection: string; entry_id: string }>(
      `SELECT "type_key", "collection", "entry_id" FROM ${this.t.log}
       WHERE "tenant_id" = ? AND "first_seen_seq" <= ? AND "first_seen_seq" > ?
       ORDER BY "type_key", "collection", "entry_id"`,
      [tenantId, toSeq, fromSeq],
    );
    return rows.map((r) => ({ typeKey: r.type_key, collection: r.collection, objectId: r.entry_id }));
  }

  /** Payloads by hash (missing hashes are absent from the map). */
  async blobs(hashes: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    for (const chunk of chunks(hashes, BACKUP_SQL_BATCH_ROWS)) {
      const rows = await this.sql.rows<{ hash: string; payload: Buffer }>(
        `SELECT "hash", "payload" FROM ${this.t.blob} WHERE "hash" IN (${marks(chunk.length)})`,
        chunk,
      );
      for (const row of rows) found.set(row.hash, Buffer.from(row.payload));
    }
    return found;
  }

  async deltaLinks(
    tenantId: string,
    typeKey: string,
  ): Promise<Array<{ collection: string; sealedLink: Buffer; createdAt: Date; snapshotSeq: number }>> {
    const rows = await this.sql.rows<{
      collection: string;
      sealed_link: Buffer;
      created_at: string;
      snapshot_seq: unknown;
    }>(
      `SELECT "collection", "sealed_link", "created_at", "snapshot_seq" FROM ${this.t.delta}
       WHERE "tenant_id" = ? AND "type_key" = ? ORDER BY "collection"`,
      [tenantId, typeKey],
    );
    return rows.map((r) => ({
      collection: r.collection,
      sealedLink: Buffer.from(r.sealed_link),
      createdAt: new Date(r.created_at),
      snapshotSeq: toNumber(r.snapshot_seq),
    }));
  }

  async watermark(tenantId: string, typeKey: string): Promise<string | null> {
    const rows = await this.sql.rows<{ watermark: string }>(
      `SELECT "watermark" FROM ${this.t.watermark} WHERE "tenant_id" = ? AND "type_key" = ?`,
      [tenantId, typeKey],
    );
    return rows[0]?.watermark ?? null;
  }
}

function visible(alias: string): string {
  return `${alias}."valid_from_seq" <= ? AND (${alias}."valid_to_seq" IS NULL OR ${alias}."valid_to_seq" > ?)`;
}

function marks(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

function rowsOf(rows: number, columns: number): string {
  const row = `(${marks(columns)})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

interface VersionRow {
  type_key: string;
  collection: string;
  object_id: string;
  content_hash: string;
  valid_from_seq: unknown;
  valid_to_seq: unknown;
  payload: Buffer | null;
}

interface LogRow {
  type_key: string;
  collection: string;
  entry_id: string;
  first_seen_seq: unknown;
  content_hash: string;
  payload: Buffer | null;
}

function toVersion(row: VersionRow): StoredVersion {
  return {
    typeKey: row.type_key,
    collection: row.collection,
    objectId: row.object_id,
    contentHash: row.content_hash,
    validFromSeq: toNumber(row.valid_from_seq),
    validToSeq: row.valid_to_seq === null ? null : toNumber(row.valid_to_seq),
    payload: row.payload === null ? null : Buffer.from(row.payload),
  };
}

function toLog(row: LogRow): StoredLogEntry {
  return {
    typeKey: row.type_key,
    collection: row.collection,
    entryId: row.entry_id,
    firstSeenSeq: toNumber(row.first_seen_seq),
    contentHash: row.content_hash,
    payload: row.payload === null ? null : Buffer.from(row.payload),
  };
}

function toObjectKey(row: { type_key: string; collection: string; object_id: string }): ObjectKey {
  return { typeKey: row.type_key, collection: row.collection, objectId: row.object_id };
}

/** Ids per reference lookup: far below both engines' bound-parameter limits. */
const REFERENCE_CHUNK = 500;
