import { Injectable } from '@nestjs/common';
import type { PruneFigures } from '@entra-backup/common';
import {
  BackupBlobEntity,
  BackupLogEntryEntity,
  BackupLogTargetEntity,
  BackupObjectVersionEntity,
  BackupSnapshotEntity,
  BackupStagedObjectEntity,
  ObjectSummaryEntity,
  ObjectSummaryRefEntity,
  RestorePlanEntity,
  RestoreRunEntity,
} from '../entities';
import { BACKUP_SQL_BATCH_ROWS } from './backup-object.repository';
import { BackupSqlRepository, type SqlExecutor, type SqlParam, toNumber } from './backup-sql.repository';

/** A visible snapshot as retention sees it. */
export interface PrunableSnapshot {
  readonly id: string;
  readonly seq: number;
  readonly createdAt: Date;
}

/** What one garbage-collecting transaction removed. */
export interface CollectedBatch {
  /** Object versions or log entries deleted. */
  readonly rows: number;
  readonly blobs: number;
  readonly bytes: number;
}

export interface CollectOptions {
  /** Rows per transaction; default `BACKUP_SQL_BATCH_ROWS`. */
  readonly batchRows?: number;
  /** Runs inside the transaction, after its deletes: a throw rolls the whole batch back. */
  readonly beforeCommit?: () => void;
}

/**
 * The SQL of retention: which snapshots exist and which are pinned, what a prune frees, and the
 * bounded transactions that delete it. Crash safety rests on three rules:
 * - a snapshot is made invisible (status `pruned`) before anything it holds is deleted, in one
 *   transaction, so it is never shown half-deleted;
 * - an object version is deleted only when no kept snapshot lies in its range (kept: `complete`,
 *   `partial`, or `writing`, i.e. a run that may still commit), and a log entry only once it is
 *   past the log retention; neither is ever needed by a kept snapshot;
 * - a blob (with its browse-index rows) is deleted in the same transaction as the last reference
 *   to it, and only when no object version, log entry or staged row of any tenant (blobs are
 *   shared) refers to it.
 * Each transaction is bounded (`BACKUP_SQL_BATCH_ROWS` rows) and idempotent: a prune killed at
 * any point leaves every kept snapshot complete, and the next prune carries on where it stopped.
 *
 * Racing writers (PostgreSQL): a backup of another tenant may reuse a blob this prune is about
 * to delete. Its staging and log-append transactions write their references first and check the
 * blobs exist afterwards (`BackupObjectRepository.stage`); the collecting transaction takes a
 * SHARE ROW EXCLUSIVE lock on the staging and log tables, so the two are serialized: either the
 * collector sees the new reference, or the writer sees the blob gone and stores it again. SQLite
 * serializes every write transaction anyway (`BEGIN IMMEDIATE`).
 */
@Injectable()
export class BackupPruneRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  private get t() {
    return {
      snapshot: this.sql.table(BackupSnapshotEntity),
      version: this.sql.table(BackupObjectVersionEntity),
      log: this.sql.table(BackupLogEntryEntity),
      logTarget: this.sql.table(BackupLogTargetEntity),
      blob: this.sql.table(BackupBlobEntity),
      staged: this.sql.table(BackupStagedObjectEntity),
      summary: this.sql.table(ObjectSummaryEntity),
      summaryRef: this.sql.table(ObjectSummaryRefEntity),
      plan: this.sql.table(RestorePlanEntity),
      restoreRun: this.sql.table(RestoreRunEntity),
    };
  }

  /** The tenant's visible snapshots, oldest first. */
  async visibleSnapshots(tenantId: string): Promise<PrunableSnapshot[]> {
    const rows = await this.sql.rows<{ id: string; seq: unknown; created_at: string }>(
      `SELECT "id", "seq", "created_at" FROM ${this.t.snapshot}
       WHERE "tenant_id" = ? AND "status" IN ('complete', 'partial') ORDER BY "seq"`,
      [tenantId],
    );
    return rows.map((r) => ({ id: r.id, seq: toNumber(r.seq), createdAt: new Date(r.created_at) }));
  }

  /**
   * Snapshots of the tenant that an unfinished restore needs: the source and the compared live
   * backup of plans not yet executed, and the snapshots of restore runs still running or
   * interrupted (to be resumed), with their pre-restore snapshots.
   */
  async pinnedSnapshotIds(tenantId: string): Promise<Set<string>> {
    const t = this.t;
    const rows = await this.sql.rows<{ id: string | null }>(
      `SELECT "snapshot_id" AS "id" FROM ${t.plan} WHERE "tenant_id" = ? AND "status" IN ('ready', 'executing')
       UNION SELECT "live_snapshot_id" AS "id" FROM ${t.plan}
         WHERE "target_tenant_id" = ? AND "status" IN ('ready', 'executing')
       UNION SELECT "snapshot_id" AS "id" FROM ${t.restoreRun}
         WHERE "tenant_id" = ? AND "status" IN ('running', 'interrupted')
       UNION SELECT "pre_restore_snapshot_id" AS "id" FROM ${t.restoreRun}
         WHERE "target_tenant_id" = ? AND "status" IN ('running', 'interrupted')`,
      [tenantId, tenantId, tenantId, tenantId],
    );
    return new Set(rows.flatMap((r) => (r.id === null ? [] : [r.id])));
  }

  /**
   * What pruning `prunedSeqs` and the log entries older than `logCutoff` frees: object versions
   * no other kept snapshot holds, expired log entries, and the blobs only they reference. The
   * same predicates drive the deletes, so a prune frees exactly what this measured (when nothing
   * else changed meanwhile).
   */
  async measure(
    tenantId: string,
    prunedSeqs: readonly number[],
    logCutoff: Date,
  ): Promise<Omit<PruneFigures, 'snapshots'>> {
    const t = this.t;
    const doomedVersion = this.doomedVersion('v', prunedSeqs);
    const doomedVersion2 = this.doomedVersion('v2', prunedSeqs);
    const expiredLog = this.expiredLog('l');
    const expiredLog2 = this.expiredLog('l2');
    const cutoff = logCutoff.toISOString();
    const [versions] = await this.sql.rows<{ n: unknown }>(
      `SELECT COUNT(*) AS "n" FROM ${t.version} v WHERE ${doomedVersion.sql}`,
      [tenantId, ...doomedVersion.params],
    );
    const [logs] = await this.sql.rows<{ n: unknown }>(
      `SELECT COUNT(*) AS "n" FROM ${t.log} l WHERE ${expiredLog}`,
      [tenantId, cutoff],
    );
    const [blobs] = await this.sql.rows<{ n: unknown; bytes: unknown }>(
      `SELECT COUNT(*) AS "n", SUM(b."stored_size") AS "bytes" FROM ${t.blob} b
       WHERE b."hash" IN (SELECT v."content_hash" FROM ${t.version} v WHERE ${doomedVersion.sql}
                          UNION SELECT l."content_hash" FROM ${t.log} l WHERE ${expiredLog})
         AND NOT EXISTS (SELECT 1 FROM ${t.version} v2 WHERE v2."content_hash" = b."hash" AND NOT (${doomedVersion2.sql}))
         AND NOT EXISTS (SELECT 1 FROM ${t.log} l2 WHERE l2."content_hash" = b."hash" AND NOT (${expiredLog2}))
         AND NOT EXISTS (SELECT 1 FROM ${t.staged} s WHERE s."content_hash" = b."hash")`,
      [
        tenantId,
        ...doomedVersion.params,
        tenantId,
        cutoff,
        tenantId,
        ...doomedVersion.params,
        tenantId,
        cutoff,
      ],
    );
    return {
      objectVersions: toNumber(versions?.n),
      logEntries: toNumber(logs?.n),
      blobs: toNumber(blobs?.n),
      bytes: toNumber(blobs?.bytes),
    };
  }

  /** Makes the given snapshots invisible (status `pruned`), in one transaction; returns how many changed. */
  async markPruned(tenantId: string, snapshotIds: readonly string[]): Promise<number> {
    if (snapshotIds.length === 0) return 0;
    return this.sql.transaction(async (tx) => {
      let changed = 0;
      for (const chunk of chunks(snapshotIds, BACKUP_SQL_BATCH_ROWS)) {
        changed += await tx.run(
          `UPDATE ${this.t.snapshot} SET "status" = 'pruned'
           WHERE "tenant_id" = ? AND "status" IN ('complete', 'partial') AND "id" IN (${marks(chunk.length)})`,
          [tenantId, ...chunk],
        );
      }
      return changed;
    });
  }

  /**
   * One transaction: deletes up to a batch of object versions that no kept snapshot holds, then
   * the blobs (and browse-index rows) nothing references any more. `rows` is 0 when none is left.
   */
  async collectVersions(tenantId: string, options: CollectOptions = {}): Promise<CollectedBatch> {
    const t = this.t;
    const doomed = this.doomedVersion('v', []);
    return this.sql.transaction(async (tx) => {
      await this.lockReferences(tx);
      const rows = await tx.rows<{
        type_key: string;
        collection: string;
        object_id: string;
        valid_from_seq: unknown;
        content_hash: string;
      }>(
        `SELECT v."type_key", v."collection", v."object_id", v."valid_from_seq", v."content_hash"
         FROM ${t.version} v WHERE ${doomed.sql} LIMIT ?`,
        [tenantId, ...doomed.params, options.batchRows ?? BACKUP_SQL_BATCH_ROWS],
      );
      if (rows.length === 0) return { rows: 0, blobs: 0, bytes: 0 };
      await tx.run(
        `DELETE FROM ${t.version} WHERE ("tenant_id", "type_key", "collection", "object_id", "valid_from_seq")
         IN (VALUES ${versionKeys(rows.length)})`,
        rows.flatMap((r): SqlParam[] => [
          tenantId,
          r.type_key,
          r.collection,
          r.object_id,
          toNumber(r.valid_from_seq),
        ]),
      );
      const freed = await this.deleteOrphanBlobs(tx, [...new Set(rows.map((r) => r.content_hash))]);
      options.beforeCommit?.();
      return { rows: rows.length, ...freed };
    });
  }

  /**
   * One transaction: deletes up to a batch of log entries older than `cutoff` (with their target
   * lookup rows), then the blobs nothing references any more.
   */
  async collectLogs(tenantId: string, cutoff: Date, options: CollectOptions = {}): Promise<CollectedBatch> {
    const t = this.t;
    return this.sql.transaction(async (tx) => {
      await this.lockReferences(tx);
      const rows = await tx.rows<{ type_key: string; entry_id: string; content_hash: string }>(
        `SELECT l."type_key", l."entry_id", l."content_hash" FROM ${t.log} l WHERE ${this.expiredLog('l')} LIMIT ?`,
        [tenantId, cutoff.toISOString(), options.batchRows ?? BACKUP_SQL_BATCH_ROWS],
      );
      if (rows.length === 0) return { rows: 0, blobs: 0, bytes: 0 };
      const keys = rows.flatMap((r): SqlParam[] => [tenantId, r.type_key, r.entry_id]);
      await tx.run(
        `DELETE FROM ${t.logTarget} WHERE ("tenant_id", "type_key", "entry_id") IN (VALUES ${rowsOf(rows.length, 3)})`,
        keys,
      );
      await tx.run(
        `DELETE FROM ${t.log} WHERE ("tenant_id", "type_key", "entry_id") IN (VALUES ${rowsOf(rows.length, 3)})`,
        keys,
      );
      const freed = await this.deleteOrphanBlobs(tx, [...new Set(rows.map((r) => r.content_hash))]);
      options.beforeCommit?.();
      return { rows: rows.length, ...freed };
    });
  }

  /** See the class comment: serializes this transaction with writers that add references. */
  private async lockReferences(tx: SqlExecutor): Promise<void> {
    if (this.sql.engine !== 'postgres') return;
    const t = this.t;
    await tx.run(`LOCK TABLE ${t.staged}, ${t.log} IN SHARE ROW EXCLUSIVE MODE`);
  }

  /** Deletes those of `hashes` no version, log entry or staged row refers to, with their index rows. */
  private async deleteOrphanBlobs(
    tx: SqlExecutor,
    hashes: readonly string[],
  ): Promise<{ blobs: number; bytes: number }> {
    const t = this.t;
    let blobs = 0;
    let bytes = 0;
    for (const chunk of chunks(hashes, BACKUP_SQL_BATCH_ROWS)) {
      const orphans = await tx.rows<{ hash: string; stored_size: unknown }>(
        `SELECT b."hash", b."stored_size" FROM ${t.blob} b
         WHERE b."hash" IN (${marks(chunk.length)})
           AND NOT EXISTS (SELECT 1 FROM ${t.version} v WHERE v."content_hash" = b."hash")
           AND NOT EXISTS (SELECT 1 FROM ${t.log} l WHERE l."content_hash" = b."hash")
           AND NOT EXISTS (SELECT 1 FROM ${t.staged} s WHERE s."content_hash" = b."hash")`,
        chunk,
      );
      if (orphans.length === 0) continue;
      const ids = orphans.map((o) => o.hash);
      await tx.run(`DELETE FROM ${t.summaryRef} WHERE "hash" IN (${marks(ids.length)})`, ids);
      await tx.run(`DELETE FROM ${t.summary} WHERE "hash" IN (${marks(ids.length)})`, ids);
      await tx.run(`DELETE FROM ${t.blob} WHERE "hash" IN (${marks(ids.length)})`, ids);
      blobs += orphans.length;
      bytes += orphans.reduce((n, o) => n + toNumber(o.stored_size), 0);
    }
    return { blobs, bytes };
  }

  /**
   * Versions of the tenant (first parameter) that no kept snapshot lies in: closed versions
   * (an open one is the tenant's current state) without a `complete`, `partial` or `writing`
   * snapshot in their range, leaving out the snapshots about to be pruned (`prunedSeqs`).
   */
  private doomedVersion(alias: string, prunedSeqs: readonly number[]): { sql: string; params: SqlParam[] } {
    const except = prunedSeqs.length === 0 ? '' : ` AND s."seq" NOT IN (${marks(prunedSeqs.length)})`;
    return {
      sql: `${alias}."tenant_id" = ? AND ${alias}."valid_to_seq" IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM ${this.t.snapshot} s WHERE s."tenant_id" = ${alias}."tenant_id"
                AND s."seq" >= ${alias}."valid_from_seq" AND s."seq" < ${alias}."valid_to_seq"
                AND s."status" IN ('complete', 'partial', 'writing')${except})`,
      params: [...prunedSeqs],
    };
  }

  /**
   * Log entries of the tenant (first parameter) older than the cutoff (second): by their own
   * time, or, for entries without one, by the time of the snapshot that first stored them. An
   * entry with neither never expires.
   */
  private expiredLog(alias: string): string {
    return `${alias}."tenant_id" = ? AND COALESCE(NULLIF(${alias}."activity_at", ''),
              (SELECT s."created_at" FROM ${this.t.snapshot} s
               WHERE s."tenant_id" = ${alias}."tenant_id" AND s."seq" = ${alias}."first_seen_seq"), '9999') < ?`;
  }
}

function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function rowsOf(rows: number, columns: number): string {
  const row = `(${marks(columns)})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

/** Row values of version keys; PostgreSQL cannot infer the seq parameter's type inside VALUES. */
function versionKeys(rows: number): string {
  const row = '(?, ?, ?, ?, CAST(? AS INTEGER))';
  return Array.from({ length: rows }, () => row).join(', ');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
