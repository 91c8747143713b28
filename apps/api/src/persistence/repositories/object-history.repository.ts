import { Injectable } from '@nestjs/common';
import {
  BackupBlobEntity,
  BackupLogEntryEntity,
  BackupLogTargetEntity,
  BackupObjectVersionEntity,
  BackupSnapshotEntity,
} from '../entities';
import { BackupSqlRepository, type SqlParam, toNumber } from './backup-sql.repository';

/** One version of an object: the snapshot range it is valid for and its content address. */
export interface ObjectVersionRange {
  readonly validFromSeq: number;
  readonly validToSeq: number | null;
  readonly contentHash: string;
}

export interface VisibleSnapshotTime {
  readonly id: string;
  readonly seq: number;
  readonly createdAt: Date;
}

export interface LatestVersion {
  readonly objectId: string;
  readonly contentHash: string;
  readonly validFromSeq: number;
}

export interface SealedLogEntry {
  readonly entryId: string;
  readonly contentHash: string;
  readonly payload: Buffer | null;
}

/** Chunk size of `IN (...)` lists: far below both engines' bound-parameter limits. */
const IN_CHUNK = 500;

/**
 * The reads of version history and "who changed it": an object's version ranges (a primary-key
 * prefix seek on `object_version`), payloads of only the versions involved, names of referenced
 * objects, and directory audit entries by target id and time through `log_entry_target`.
 */
@Injectable()
export class ObjectHistoryRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  private get t() {
    return {
      version: this.sql.table(BackupObjectVersionEntity),
      snapshot: this.sql.table(BackupSnapshotEntity),
      blob: this.sql.table(BackupBlobEntity),
      log: this.sql.table(BackupLogEntryEntity),
      logTarget: this.sql.table(BackupLogTargetEntity),
    };
  }

  /** Every stored version of one object, oldest first (no payloads). */
  async versionsOf(
    tenantId: string,
    typeKey: string,
    collection: string,
    objectId: string,
  ): Promise<ObjectVersionRange[]> {
    const rows = await this.sql.rows<{
      valid_from_seq: unknown;
      valid_to_seq: unknown;
      content_hash: string;
    }>(
      `SELECT "valid_from_seq", "valid_to_seq", "content_hash" FROM ${this.t.version}
       WHERE "tenant_id" = ? AND "type_key" = ? AND "collection" = ? AND "object_id" = ?
       ORDER BY "valid_from_seq"`,
      [tenantId, typeKey, collection, objectId],
    );
    return rows.map((r) => ({
      validFromSeq: toNumber(r.valid_from_seq),
      validToSeq: r.valid_to_seq === null ? null : toNumber(r.valid_to_seq),
      contentHash: r.content_hash,
    }));
  }

  /** The tenant's visible snapshots (id, seq, time), oldest first. */
  async visibleSnapshots(tenantId: string): Promise<VisibleSnapshotTime[]> {
    const rows = await this.sql.rows<{ id: string; seq: unknown; created_at: string }>(
      `SELECT "id", "seq", "created_at" FROM ${this.t.snapshot}
       WHERE "tenant_id" = ? AND "status" IN ('complete', 'partial') ORDER BY "seq"`,
      [tenantId],
    );
    return rows.map((r) => ({ id: r.id, seq: toNumber(r.seq), createdAt: new Date(r.created_at) }));
  }

  /** Payloads by content hash (missing ones absent). */
  async payloads(hashes: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    const unique = [...new Set(hashes)];
    for (let start = 0; start < unique.length; start += IN_CHUNK) {
      const chunk = unique.slice(start, start + IN_CHUNK);
      const rows = await this.sql.rows<{ hash: string; payload: Buffer }>(
        `SELECT "hash", "payload" FROM ${this.t.blob} WHERE "hash" IN (${marks(chunk.length)})`,
        chunk,
      );
      for (const row of rows) found.set(row.hash, Buffer.from(row.payload));
    }
    return found;
  }

  /**
   * The newest stored version of each of these objects of one collection, whether or not it is
   * still current (a member deleted since keeps the name it last had).
   */
  async latestVersions(
    tenantId: string,
    typeKey: string,
    collection: string,
    objectIds: readonly string[],
  ): Promise<LatestVersion[]> {
    const out: LatestVersion[] = [];
    const unique = [...new Set(objectIds)];
    for (let start = 0; start < unique.length; start += IN_CHUNK) {
      const ids = unique.slice(start, start + IN_CHUNK);
      // Every version of these objects (a primary-key seek each), newest kept: cheaper on both
      // engines than a correlated MAX per id.
      const rows = await this.sql.rows<{ object_id: string; content_hash: string; valid_from_seq: unknown }>(
        `SELECT "object_id", "content_hash", "valid_from_seq" FROM ${this.t.version}
         WHERE "tenant_id" = ? AND "type_key" = ? AND "collection" = ? AND "object_id" IN (${marks(ids.length)})`,
        [tenantId, typeKey, collection, ...ids],
      );
      const newest = new Map<string, LatestVersion>();
      for (const r of rows) {
        const version = {
          objectId: r.object_id,
          contentHash: r.content_hash,
          validFromSeq: toNumber(r.valid_from_seq),
        };
        const known = newest.get(version.objectId);
        if (known === undefined || known.validFromSeq < version.validFromSeq)
          newest.set(version.objectId, version);
      }
      out.push(...newest.values());
    }
    return out;
  }

  /** The (object id, content hash) of every object of a collection as of snapshot `seq`; no payloads. */
  async hashesAt(
    tenantId: string,
    typeKey: string,
    collection: string,
    seq: number,
  ): Promise<Array<{ objectId: string; contentHash: string }>> {
    const rows = await this.sql.rows<{ object_id: string; content_hash: string }>(
      `SELECT "object_id", "content_hash" FROM ${this.t.version}
       WHERE "tenant_id" = ? AND "type_key" = ? AND "collection" = ?
         AND "valid_from_seq" <= ? AND ("valid_to_seq" IS NULL OR "valid_to_seq" > ?)`,
      [tenantId, typeKey, collection, seq, seq],
    );
    return rows.map((r) => ({ objectId: r.object_id, contentHash: r.content_hash }));
  }

  /** Whether any log entry of the type is stored for the tenant. */
  async hasLogEntries(tenantId: string, typeKey: string): Promise<boolean> {
    const rows = await this.sql.rows<{ one: unknown }>(
      `SELECT 1 AS "one" FROM ${this.t.log} WHERE "tenant_id" = ? AND "type_key" = ? LIMIT 1`,
      [tenantId, typeKey],
    );
    return rows.length > 0;
  }

  /**
   * Log entries naming any of `targetIds` with a time in (`after`, `until`], visible at snapshot
   * `maxSeq`, with their payloads: an index range scan per target id.
   */
  async logEntriesTargeting(query: {
    readonly tenantId: string;
    readonly typeKey: string;
    readonly targetIds: readonly string[];
    readonly after: string;
    readonly until: string;
    readonly maxSeq: number;
    readonly limit: number;
  }): Promise<SealedLogEntry[]> {
    const t = this.t;
    const ids = [...new Set(query.targetIds)].slice(0, IN_CHUNK);
    if (ids.length === 0) return [];
    // Two plain seeks instead of one join: the target index gives the entry ids (newest first),
    // then the entries and their payloads are read by primary key.
    const hits = await this.sql.rows<{ entry_id: string; activity_at: string }>(
      `SELECT x."entry_id", MAX(x."activity_at") AS "activity_at" FROM ${t.logTarget} x
       WHERE x."tenant_id" = ? AND x."type_key" = ? AND x."target_id" IN (${marks(ids.length)})
         AND x."activity_at" > ? AND x."activity_at" <= ?
       GROUP BY x."entry_id" ORDER BY MAX(x."activity_at") DESC LIMIT ?`,
      [query.tenantId, query.typeKey, ...ids, query.after, query.until, query.limit],
    );
    if (hits.length === 0) return [];
    const rows = await this.sql.rows<{ entry_id: string; content_hash: string; payload: Buffer | null }>(
      `SELECT l."entry_id", l."content_hash", b."payload" FROM ${t.log} l
       LEFT JOIN ${t.blob} b ON b."hash" = l."content_hash"
       WHERE l."tenant_id" = ? AND l."type_key" = ? AND l."first_seen_seq" <= ?
         AND l."entry_id" IN (${marks(hits.length)})`,
      [query.tenantId, query.typeKey, query.maxSeq, ...hits.map((h) => h.entry_id)],
    );
    const order = new Map(hits.map((h, index) => [h.entry_id, index]));
    return rows
      .sort((a, b) => order.get(a.entry_id)! - order.get(b.entry_id)!)
      .map((r) => ({
        entryId: r.entry_id,
        contentHash: r.content_hash,
        payload: r.payload === null ? null : Buffer.from(r.payload),
      }));
  }

  /** A page of log entries stored before the target index existed (`activity_at` null). */
  async unindexedLogEntries(tenantId: string, typeKey: string, limit: number): Promise<SealedLogEntry[]> {
    const t = this.t;
    const rows = await this.sql.rows<{ entry_id: string; content_hash: string; payload: Buffer | null }>(
      `SELECT l."entry_id", l."content_hash", b."payload" FROM ${t.log} l
       LEFT JOIN ${t.blob} b ON b."hash" = l."content_hash"
       WHERE l."tenant_id" = ? AND l."type_key" = ? AND l."activity_at" IS NULL
       ORDER BY l."entry_id" LIMIT ?`,
      [tenantId, typeKey, limit],
    );
    return rows.map((r) => ({
      entryId: r.entry_id,
      contentHash: r.content_hash,
      payload: r.payload === null ? null : Buffer.from(r.payload),
    }));
  }

  /** Records the lookup of entries stored before the index existed, in one transaction. */
  async indexLogEntries(
    tenantId: string,
    typeKey: string,
    entries: ReadonlyArray<{ entryId: string; activityAt: string; targetIds: readonly string[] }>,
  ): Promise<void> {
    const t = this.t;
    await this.sql.transaction(async (tx) => {
      for (const entry of entries) {
        for (const targetId of entry.targetIds) {
          await tx.run(
            `INSERT INTO ${t.logTarget} ("tenant_id", "type_key", "target_id", "activity_at", "entry_id")
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT ("tenant_id", "type_key", "target_id", "activity_at", "entry_id") DO NOTHING`,
            [tenantId, typeKey, targetId, entry.activityAt, entry.entryId],
          );
        }
        await tx.run(
          `UPDATE ${t.log} SET "activity_at" = ? WHERE "tenant_id" = ? AND "type_key" = ? AND "entry_id" = ?`,
          [entry.activityAt, tenantId, typeKey, entry.entryId] satisfies SqlParam[],
        );
      }
    });
  }
}

function marks(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
