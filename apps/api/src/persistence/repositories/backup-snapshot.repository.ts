import { Injectable } from '@nestjs/common';
import {
  BackupDeltaStateEntity,
  BackupLogEntryEntity,
  BackupLogTargetEntity,
  BackupLogWatermarkEntity,
  BackupObjectVersionEntity,
  BackupRunEntity,
  BackupRunTypeEntity,
  BackupSecretReadEntity,
  BackupSnapshotEntity,
  BackupStagedObjectEntity,
  ObjectSummaryEntity,
  ObjectSummaryRefEntity,
} from '../entities';
import { BackupSqlRepository, type SqlExecutor, toNumber } from './backup-sql.repository';

export type BackupMode = 'full' | 'incremental';
export type RunStatus = 'running' | 'completed' | 'partial' | 'failed' | 'interrupted';
export type SnapshotStatus = 'writing' | 'complete' | 'partial' | 'failed' | 'interrupted' | 'pruned';
export type TypeStatus = 'succeeded' | 'skipped' | 'failed';

/** Snapshot statuses a reader may see. */
export const VISIBLE_SNAPSHOT_STATUSES: readonly SnapshotStatus[] = ['complete', 'partial'];

export interface SnapshotRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly seq: number;
  readonly runId: string;
  readonly mode: BackupMode;
  readonly status: SnapshotStatus;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

export interface RunRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly mode: BackupMode;
  readonly status: RunStatus;
  readonly types: string[];
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly reason: string | null;
}

/** What the engine reports about a type; counts of objects are computed by storage at commit. */
export interface TypeResultRow {
  readonly typeKey: string;
  readonly status: TypeStatus;
  readonly reason: string | null;
  readonly graphCode: string | null;
  readonly requestId: string | null;
  readonly requests: number;
  readonly retries: number;
  readonly throttledWaits: number;
  readonly throttledWaitMs: number;
  readonly bytesStored: number;
  readonly durationMs: number;
  readonly finishedAt: Date;
}

/** Objects of one collection of a type that a commit added, changed or removed. */
export interface CollectionChanges {
  readonly collection: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export interface TypeResultRecord extends TypeResultRow {
  /** All the type's objects (every collection) or log entries as of the snapshot. */
  readonly objects: number;
  /** Totals over every collection, log entries included. */
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** The object figures per collection (collections with a change only); log entries are not in it. */
  readonly byCollection?: readonly CollectionChanges[];
}

export interface RunningRun {
  readonly runId: string;
  readonly tenantId: string;
  readonly snapshotId: string;
  readonly seq: number;
}

export interface CommitPlan {
  readonly tenantId: string;
  readonly runId: string;
  readonly snapshotId: string;
  readonly seq: number;
  readonly mode: BackupMode;
  readonly runStatus: Extract<RunStatus, 'completed' | 'partial'>;
  readonly finishedAt: Date;
  /** Every type of the run with its outcome; only `succeeded` types change object versions. */
  readonly types: readonly TypeResultRow[];
  readonly deltaLinks: ReadonlyArray<{
    readonly typeKey: string;
    readonly collection: string;
    readonly sealedLink: Buffer;
    readonly createdAt: Date;
  }>;
  readonly watermarks: ReadonlyArray<{ readonly typeKey: string; readonly watermark: string }>;
  /**
   * Collections of succeeded types the run did not read (missing consent): their open versions
   * stay open, also in a full run, so the snapshot holds their previous state.
   */
  readonly carried?: ReadonlyArray<{ readonly typeKey: string; readonly collection: string }>;
  /**
   * Per log type, the entries this run stored that were not stored before (as the inserts
   * counted them); a type that stored none may be left out.
   */
  readonly newLogEntries: ReadonlyArray<{ readonly typeKey: string; readonly entries: number }>;
}

export interface DiscardPlan {
  readonly run: RunningRun;
  readonly status: Extract<RunStatus, 'failed' | 'interrupted'>;
  readonly reason: string;
  readonly finishedAt: Date;
  /** Type outcomes to record (a failed run keeps what each type reported). */
  readonly types?: readonly TypeResultRow[];
}

/**
 * Runs, snapshots and the two transactions that end a run. Crash safety rests on one rule: what
 * a running snapshot writes goes to the staging table (and to `log_entry` rows tagged with its
 * seq), which readers never look at; `object_version`, delta links and watermarks change only in
 * `commit`, in the same transaction that makes the snapshot visible. A process killed before that
 * transaction commits leaves the previous view untouched on both engines (SQLite's WAL and
 * PostgreSQL's write-ahead log either apply a whole transaction or none of it), and the leftovers
 * of the dead run are removed by `discard` when it is found `running` on the next start.
 */
@Injectable()
export class BackupSnapshotRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  private get t() {
    return {
      run: this.sql.table(BackupRunEntity),
      runType: this.sql.table(BackupRunTypeEntity),
      snapshot: this.sql.table(BackupSnapshotEntity),
      version: this.sql.table(BackupObjectVersionEntity),
      staged: this.sql.table(BackupStagedObjectEntity),
      log: this.sql.table(BackupLogEntryEntity),
      logTarget: this.sql.table(BackupLogTargetEntity),
      watermark: this.sql.table(BackupLogWatermarkEntity),
      delta: this.sql.table(BackupDeltaStateEntity),
      summary: this.sql.table(ObjectSummaryEntity),
      summaryRef: this.sql.table(ObjectSummaryRefEntity),
      secretRead: this.sql.table(BackupSecretReadEntity),
    };
  }

  /**
   * Records sealed secrets a running run has just read (kept if an equal id is already there): they
   * outlive the run, so the next run of an interrupted one reuses them instead of reading again.
   */
  async rememberSecretReads(
    tenantId: string,
    typeKey: string,
    reads: ReadonlyArray<{ readonly objectId: string; readonly sealedValue: string }>,
    readAt: Date,
  ): Promise<void> {
    if (reads.length === 0) return;
    const t = this.t;
    await this.sql.transaction(async (tx) => {
      for (const read of reads) {
        await tx.run(
          `INSERT INTO ${t.secretRead} ("tenant_id", "type_key", "object_id", "sealed_value", "read_at")
           VALUES (?, ?, ?, ?, ?) ON CONFLICT ("tenant_id", "type_key", "object_id") DO NOTHING`,
          [tenantId, typeKey, read.objectId, read.sealedValue, readAt.toISOString()],
        );
      }
    });
  }

  /** Sealed secrets of a type read by runs whose snapshot did not commit the type. */
  async secretReads(
    tenantId: string,
    typeKey: string,
  ): Promise<Array<{ readonly objectId: string; readonly sealedValue: string }>> {
    const rows = await this.sql.rows<{ object_id: string; sealed_value: string }>(
      `SELECT "object_id", "sealed_value" FROM ${this.t.secretRead} WHERE "tenant_id" = ? AND "type_key" = ?`,
      [tenantId, typeKey],
    );
    return rows.map((row) => ({ objectId: row.object_id, sealedValue: row.sealed_value }));
  }

  /** Records a running run and its (invisible) snapshot with the tenant's next sequence number. */
  async begin(input: {
    readonly runId: string;
    readonly snapshotId: string;
    readonly tenantId: string;
    readonly mode: BackupMode;
    readonly types: readonly string[];
    readonly startedAt: Date;
  }): Promise<{ readonly seq: number }> {
    const t = this.t;
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.rows<{ seq: unknown }>(
        `SELECT MAX("seq") AS "seq" FROM ${t.snapshot} WHERE "tenant_id" = ?`,
        [input.tenantId],
      );
      const seq = toNumber(row?.seq) + 1;
      const at = input.startedAt.toISOString();
      await tx.run(
        `INSERT INTO ${t.run} ("id", "tenant_id", "mode", "status", "types", "started_at", "finished_at", "reason")
         VALUES (?, ?, ?, 'running', ?, ?, NULL, NULL)`,
        [input.runId, input.tenantId, input.mode, JSON.stringify(input.types), at],
      );
      await tx.run(
        `INSERT INTO ${t.snapshot} ("id", "tenant_id", "seq", "run_id", "mode", "status", "created_at", "completed_at")
         VALUES (?, ?, ?, ?, ?, 'writing', ?, NULL)`,
        [input.snapshotId, input.tenantId, seq, input.runId, input.mode, at],
      );
      return { seq };
    });
  }

  /** Records (or replaces) a type's outcome while the run is still going, for progress views. */
  async saveTypeResult(runId: string, result: TypeResultRow): Promise<void> {
    await upsertTypeResult(this.sql, this.t.runType, runId, {
      ...result,
      objects: 0,
      added: 0,
      changed: 0,
      removed: 0,
    });
  }

  /**
   * Applies the staged rows of every succeeded type, stores delta links and watermarks of those
   * types, records the figures, and makes the snapshot visible — all in one transaction. Fails
   * (and changes nothing) if the run is no longer `running`, e.g. because a recovery found
   * the run dead in the meantime.
   */
  async commit(plan: CommitPlan): Promise<TypeResultRecord[]> {
    const t = this.t;
    return this.sql.transaction(async (tx) => {
      // Both `commit` and `discard` claim the run row first, so on PostgreSQL a recovery racing
      // with a commit waits on that one row lock (no deadlock) and exactly one of them wins.
      const claimed = await tx.run(
        `UPDATE ${t.run} SET "status" = ?, "finished_at" = ? WHERE "id" = ? AND "status" = 'running'`,
        [plan.runStatus, plan.finishedAt.toISOString(), plan.runId],
      );
      if (claimed !== 1) {
        throw new Error(`Snapshot ${plan.snapshotId} is no longer being written; it cannot be committed`);
      }
      await tx.run(`UPDATE ${t.snapshot} SET "status" = ?, "completed_at" = ? WHERE "id" = ?`, [
        plan.runStatus === 'completed' ? 'complete' : 'partial',
        plan.finishedAt.toISOString(),
        plan.snapshotId,
      ]);

      const large = await this.refreshPlannerStatistics(tx, plan.snapshotId);
      const results: TypeResultRecord[] = [];
      for (const type of plan.types) {
        const changes =
          type.status === 'succeeded'
            ? await this.applyType(tx, plan, type.typeKey)
            : { added: 0, changed: 0, removed: 0, byCollection: [] };
        // Log entries are not staged: they are in this snapshot from the moment they were
        // appended, also when their type failed later, so their count holds whatever the status.
        // A log type never changes or removes an entry.
        const newLogEntries = plan.newLogEntries.find((e) => e.typeKey === type.typeKey)?.entries ?? 0;
        // A type keeps either object versions or log entries; its objects are what it holds as
        // of this snapshot, counted as the snapshot's per-collection counts count them.
        const [count] = await tx.rows<{ n: unknown }>(
          `SELECT (SELECT COUNT(*) FROM ${t.version}
                   WHERE "tenant_id" = ? AND "type_key" = ? AND "valid_to_seq" IS NULL)
                + (SELECT COUNT(*) FROM ${t.log}
                   WHERE "tenant_id" = ? AND "type_key" = ? AND "first_seen_seq" <= ?) AS "n"`,
          [plan.tenantId, type.typeKey, plan.tenantId, type.typeKey, plan.seq],
        );
        const record: TypeResultRecord = {
          ...type,
          ...changes,
          added: changes.added + newLogEntries,
          objects: toNumber(count?.n),
        };
        await upsertTypeResult(tx, t.runType, plan.runId, record);
        results.push(record);
      }

      for (const link of plan.deltaLinks) {
        await tx.run(
          `INSERT INTO ${t.delta} ("tenant_id", "type_key", "collection", "sealed_link", "snapshot_seq", "created_at")
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT ("tenant_id", "type_key", "collection") DO UPDATE SET
             "sealed_link" = excluded."sealed_link", "snapshot_seq" = excluded."snapshot_seq",
             "created_at" = excluded."created_at"`,
          [
            plan.tenantId,
            link.typeKey,
            link.collection,
            link.sealedLink,
            plan.seq,
            link.createdAt.toISOString(),
          ],
        );
      }
      for (const mark of plan.watermarks) {
        await tx.run(
          `INSERT INTO ${t.watermark} ("tenant_id", "type_key", "watermark", "snapshot_seq", "updated_at")
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT ("tenant_id", "type_key") DO UPDATE SET
             "watermark" = excluded."watermark", "snapshot_seq" = excluded."snapshot_seq",
             "updated_at" = excluded."updated_at"`,
          [plan.tenantId, mark.typeKey, mark.watermark, plan.seq, plan.finishedAt.toISOString()],
        );
      }

      // Secrets read for a type are in the snapshot now (or no longer in the tenant).
      for (const type of plan.types) {
        if (type.status !== 'succeeded') continue;
        await tx.run(`DELETE FROM ${t.secretRead} WHERE "tenant_id" = ? AND "type_key" = ?`, [
          plan.tenantId,
          type.typeKey,
        ]);
      }
      await tx.run(`DELETE FROM ${t.staged} WHERE "snapshot_id" = ?`, [plan.snapshotId]);
      // The next (small, incremental) commit must see the versions this one wrote: with the
      // table's statistics still those of before (an empty table), the planner would probe
      // `idx_object_version_open` per staged row instead of the primary key. The browse index's
      // rows were written with the run's blobs: with an empty table's statistics, an object page
      // (references, names) would walk a whole collection's sort index instead of its keys.
      if (large) {
        await tx.run(`ANALYZE ${t.version}`);
        await tx.run(`ANALYZE ${t.summary}`);
        await tx.run(`ANALYZE ${t.summaryRef}`);
      }
      return results;
    });
  }

  /**
   * PostgreSQL plans the commit's joins of staged rows and versions from table statistics, and
   * autovacuum refreshes them only a minute or more after a bulk change: the staging table fills
   * and empties with every run, and `object_version` is empty before a first full backup. With
   * such statistics the planner takes a nested loop that, for each staged row, walks every open
   * version of the type, or the whole table including the rows the statement itself inserts
   * (quadratic: a first full backup of 100,000 users never ends). A commit of many staged rows
   * therefore analyzes both tables (a sample of bounded size, well under a second at 100,000
   * rows) and turns nested loops off for its transaction, so its joins are hash joins, linear
   * whatever the statistics; small commits keep nested loops, which then probe by primary key.
   * SQLite plans by rules and keeps the primary key without statistics. Returns whether the
   * commit is large.
   */
  private async refreshPlannerStatistics(tx: SqlExecutor, snapshotId: string): Promise<boolean> {
    if (this.sql.engine !== 'postgres') return false;
    const t = this.t;
    const [staged] = await tx.rows<{ n: unknown }>(
      `SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM ${t.staged} WHERE "snapshot_id" = ? LIMIT ?) "rows"`,
      [snapshotId, LARGE_COMMIT_ROWS],
    );
    if (toNumber(staged?.n) < LARGE_COMMIT_ROWS) return false;
    await tx.run(`ANALYZE ${t.staged}`);
    await tx.run(`ANALYZE ${t.version}`);
    await tx.run(`SET LOCAL enable_nestloop = off`);
    return true;
  }

  /**
   * Ends a run without a visible snapshot: its staged rows and the log entries it added are
   * deleted, and run and snapshot are marked `failed` or `interrupted`. Returns false (and
   * changes nothing) when the run was no longer running.
   */
  async discard(plan: DiscardPlan): Promise<boolean> {
    const t = this.t;
    const { run } = plan;
    return this.sql.transaction(async (tx) => {
      const claimed = await tx.run(
        `UPDATE ${t.run} SET "status" = ?, "finished_at" = ?, "reason" = ? WHERE "id" = ? AND "status" = 'running'`,
        [plan.status, plan.finishedAt.toISOString(), plan.reason, run.runId],
      );
      if (claimed !== 1) return false;
      await tx.run(`UPDATE ${t.snapshot} SET "status" = ? WHERE "id" = ?`, [plan.status, run.snapshotId]);
      await tx.run(`DELETE FROM ${t.staged} WHERE "snapshot_id" = ?`, [run.snapshotId]);
      await tx.run(
        `DELETE FROM ${t.logTarget} WHERE "tenant_id" = ? AND EXISTS (
           SELECT 1 FROM ${t.log} l WHERE l."tenant_id" = ${t.logTarget}."tenant_id"
             AND l."type_key" = ${t.logTarget}."type_key" AND l."entry_id" = ${t.logTarget}."entry_id"
             AND l."first_seen_seq" = ?)`,
        [run.tenantId, run.seq],
      );
      await tx.run(`DELETE FROM ${t.log} WHERE "tenant_id" = ? AND "first_seen_seq" = ?`, [
        run.tenantId,
        run.seq,
      ]);
      for (const type of plan.types ?? []) {
        await upsertTypeResult(tx, t.runType, run.runId, {
          ...type,
          objects: 0,
          added: 0,
          changed: 0,
          removed: 0,
        });
      }
      return true;
    });
  }

  /** Runs still marked `running`, oldest first; optionally of one tenant. */
  async findRunning(tenantId?: string): Promise<RunningRun[]> {
    const t = this.t;
    const rows = await this.sql.rows<{
      run_id: string;
      tenant_id: string;
      snapshot_id: string;
      seq: unknown;
    }>(
      `SELECT r."id" AS "run_id", r."tenant_id", s."id" AS "snapshot_id", s."seq"
       FROM ${t.run} r JOIN ${t.snapshot} s ON s."run_id" = r."id"
       WHERE r."status" = 'running' ${tenantId === undefined ? '' : 'AND r."tenant_id" = ?'}
       ORDER BY r."started_at", r."id"`,
      tenantId === undefined ? [] : [tenantId],
    );
    return rows.map((r) => ({
      runId: r.run_id,
      tenantId: r.tenant_id,
      snapshotId: r.snapshot_id,
      seq: toNumber(r.seq),
    }));
  }

  /** Visible snapshots, newest first, and how many there are in all. */
  async listVisible(
    tenantId: string,
    page: { readonly limit: number; readonly offset: number },
  ): Promise<{ items: SnapshotRecord[]; total: number }> {
    const t = this.t;
    const [count] = await this.sql.rows<{ n: unknown }>(
      `SELECT COUNT(*) AS "n" FROM ${t.snapshot} WHERE "tenant_id" = ? AND "status" IN ('complete', 'partial')`,
      [tenantId],
    );
    const rows = await this.sql.rows<SnapshotRow>(
      `SELECT * FROM ${t.snapshot} WHERE "tenant_id" = ? AND "status" IN ('complete', 'partial')
       ORDER BY "seq" DESC LIMIT ? OFFSET ?`,
      [tenantId, page.limit, page.offset],
    );
    return { items: rows.map(toSnapshot), total: toNumber(count?.n) };
  }

  /** A visible snapshot of the tenant by id, or null. */
  async findVisible(tenantId: string, snapshotId: string): Promise<SnapshotRecord | null> {
    const rows = await this.sql.rows<SnapshotRow>(
      `SELECT * FROM ${this.t.snapshot} WHERE "tenant_id" = ? AND "id" = ? AND "status" IN ('complete', 'partial')`,
      [tenantId, snapshotId],
    );
    return rows[0] === undefined ? null : toSnapshot(rows[0]);
  }

  /** A visible snapshot by its per-tenant sequence number (what `snapshots` lists as `#seq`). */
  async findVisibleBySeq(tenantId: string, seq: number): Promise<SnapshotRecord | null> {
    const rows = await this.sql.rows<SnapshotRow>(
      `SELECT * FROM ${this.t.snapshot} WHERE "tenant_id" = ? AND "seq" = ? AND "status" IN ('complete', 'partial')`,
      [tenantId, seq],
    );
    return rows[0] === undefined ? null : toSnapshot(rows[0]);
  }

  async findLatestVisible(tenantId: string): Promise<SnapshotRecord | null> {
    const rows = await this.sql.rows<SnapshotRow>(
      `SELECT * FROM ${this.t.snapshot} WHERE "tenant_id" = ? AND "status" IN ('complete', 'partial')
       ORDER BY "seq" DESC LIMIT 1`,
      [tenantId],
    );
    return rows[0] === undefined ? null : toSnapshot(rows[0]);
  }

  /** Any snapshot (visible or not) of the tenant; for run status views. */
  async findByRun(runId: string): Promise<SnapshotRecord | null> {
    const rows = await this.sql.rows<SnapshotRow>(`SELECT * FROM ${this.t.snapshot} WHERE "run_id" = ?`, [
      runId,
    ]);
    return rows[0] === undefined ? null : toSnapshot(rows[0]);
  }

  async findRun(runId: string): Promise<RunRecord | null> {
    const rows = await this.sql.rows<RunRow>(`SELECT * FROM ${this.t.run} WHERE "id" = ?`, [runId]);
    return rows[0] === undefined ? null : toRun(rows[0]);
  }

  async typeResults(runId: string): Promise<TypeResultRecord[]> {
    const rows = await this.sql.rows<TypeResultDbRow>(
      `SELECT * FROM ${this.t.runType} WHERE "run_id" = ? ORDER BY "type_key"`,
      [runId],
    );
    return rows.map(toTypeResult);
  }

  /**
   * Moves one succeeded type's open versions to this snapshot's state. Full run: every open
   * version not seen with the same content is closed (changed or gone), then seen objects without
   * an open version get one. Incremental run: only objects the delta reported are touched.
   */
  private async applyType(
    tx: SqlExecutor,
    plan: CommitPlan,
    typeKey: string,
  ): Promise<{ added: number; changed: number; removed: number; byCollection: CollectionChanges[] }> {
    const t = this.t;
    const sameObject = `s."type_key" = v."type_key" AND s."collection" = v."collection" AND s."object_id" = v."object_id"`;
    // Collections not read carry over: a full run must not close their versions as unseen.
    const carried = (plan.carried ?? []).filter((c) => c.typeKey === typeKey).map((c) => c.collection);
    const notCarried =
      carried.length === 0 ? '' : ` AND v."collection" NOT IN (${carried.map(() => '?').join(', ')})`;
    const openVersionOf = `v."tenant_id" = ? AND ${sameObject} AND v."valid_to_seq" IS NULL`;

    // Counted per collection, so a type's primary objects are told apart from its other
    // collections (role definitions from role assignments).
    const added = await tx.rows<CollectionCount>(
      `SELECT s."collection" AS "collection", COUNT(*) AS "n" FROM ${t.staged} s
       WHERE s."snapshot_id" = ? AND s."type_key" = ? AND s."content_hash" IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM ${t.version} v WHERE ${openVersionOf})
       GROUP BY s."collection"`,
      [plan.snapshotId, typeKey, plan.tenantId],
    );
    const changed = await tx.rows<CollectionCount>(
      `SELECT s."collection" AS "collection", COUNT(*) AS "n" FROM ${t.staged} s JOIN ${t.version} v ON ${openVersionOf}
       WHERE s."snapshot_id" = ? AND s."type_key" = ? AND s."content_hash" IS NOT NULL
         AND s."content_hash" <> v."content_hash"
       GROUP BY s."collection"`,
      [plan.tenantId, plan.snapshotId, typeKey],
    );
    const removed =
      plan.mode === 'full'
        ? await tx.rows<CollectionCount>(
            `SELECT v."collection" AS "collection", COUNT(*) AS "n" FROM ${t.version} v
             WHERE v."tenant_id" = ? AND v."type_key" = ? AND v."valid_to_seq" IS NULL${notCarried}
               AND NOT EXISTS (SELECT 1 FROM ${t.staged} s
                               WHERE s."snapshot_id" = ? AND ${sameObject} AND s."content_hash" IS NOT NULL)
             GROUP BY v."collection"`,
            [plan.tenantId, typeKey, ...carried, plan.snapshotId],
          )
        : await tx.rows<CollectionCount>(
            `SELECT s."collection" AS "collection", COUNT(*) AS "n" FROM ${t.staged} s JOIN ${t.version} v ON ${openVersionOf}
             WHERE s."snapshot_id" = ? AND s."type_key" = ? AND s."content_hash" IS NULL
             GROUP BY s."collection"`,
            [plan.tenantId, plan.snapshotId, typeKey],
          );
    const byCollection = collectionChanges(added, changed, removed);

    if (plan.mode === 'full') {
      await tx.run(
        `UPDATE ${t.version} AS v SET "valid_to_seq" = ?
         WHERE v."tenant_id" = ? AND v."type_key" = ? AND v."valid_to_seq" IS NULL${notCarried}
           AND NOT EXISTS (SELECT 1 FROM ${t.staged} s
                           WHERE s."snapshot_id" = ? AND ${sameObject} AND s."content_hash" = v."content_hash")`,
        [plan.seq, plan.tenantId, typeKey, ...carried, plan.snapshotId],
      );
    } else {
      await tx.run(
        `UPDATE ${t.version} AS v SET "valid_to_seq" = ?
         WHERE v."tenant_id" = ? AND v."type_key" = ? AND v."valid_to_seq" IS NULL
           AND EXISTS (SELECT 1 FROM ${t.staged} s
                       WHERE s."snapshot_id" = ? AND ${sameObject}
                         AND (s."content_hash" IS NULL OR s."content_hash" <> v."content_hash"))`,
        [plan.seq, plan.tenantId, typeKey, plan.snapshotId],
      );
    }
    // CASTs type the parameters in the SELECT list, which PostgreSQL cannot infer on its own.
    await tx.run(
      `INSERT INTO ${t.version}
         ("tenant_id", "type_key", "collection", "object_id", "valid_from_seq", "valid_to_seq", "content_hash")
       SELECT CAST(? AS VARCHAR(36)), s."type_key", s."collection", s."object_id", CAST(? AS INTEGER), NULL, s."content_hash"
       FROM ${t.staged} s
       WHERE s."snapshot_id" = ? AND s."type_key" = ? AND s."content_hash" IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM ${t.version} v WHERE ${openVersionOf})`,
      [plan.tenantId, plan.seq, plan.snapshotId, typeKey, plan.tenantId],
    );
    return {
      added: sum(byCollection.map((c) => c.added)),
      changed: sum(byCollection.map((c) => c.changed)),
      removed: sum(byCollection.map((c) => c.removed)),
      byCollection,
    };
  }
}

/** Staged rows from which a PostgreSQL commit refreshes the planner's statistics first. */
const LARGE_COMMIT_ROWS = 1_000;

interface CollectionCount {
  collection: unknown;
  n: unknown;
}

/** Per-collection figures from grouped counts, collections in name order. */
function collectionChanges(
  added: readonly CollectionCount[],
  changed: readonly CollectionCount[],
  removed: readonly CollectionCount[],
): CollectionChanges[] {
  const out = new Map<string, { added: number; changed: number; removed: number }>();
  const add = (rows: readonly CollectionCount[], figure: 'added' | 'changed' | 'removed') => {
    for (const row of rows) {
      const name = String(row.collection);
      const entry = out.get(name) ?? { added: 0, changed: 0, removed: 0 };
      entry[figure] += toNumber(row.n);
      out.set(name, entry);
    }
  };
  add(added, 'added');
  add(changed, 'changed');
  add(removed, 'removed');
  return [...out.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([collection, figures]) => ({ collection, ...figures }));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

async function upsertTypeResult(
  executor: SqlExecutor,
  table: string,
  runId: string,
  r: TypeResultRecord,
): Promise<void> {
  await executor.run(
    `INSERT INTO ${table} ("run_id", "type_key", "status", "reason", "graph_code", "request_id", "objects", "added",
       "changed", "removed", "requests", "retries", "throttled_waits", "throttled_wait_ms", "bytes_stored",
       "duration_ms", "finished_at")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("run_id", "type_key") DO UPDATE SET
       "status" = excluded."status", "reason" = excluded."reason", "graph_code" = excluded."graph_code",
       "request_id" = excluded."request_id", "objects" = excluded."objects", "added" = excluded."added",
       "changed" = excluded."changed", "removed" = excluded."removed", "requests" = excluded."requests",
       "retries" = excluded."retries", "throttled_waits" = excluded."throttled_waits",
       "throttled_wait_ms" = excluded."throttled_wait_ms", "bytes_stored" = excluded."bytes_stored",
       "duration_ms" = excluded."duration_ms", "finished_at" = excluded."finished_at"`,
    [
      runId,
      r.typeKey,
      r.status,
      r.reason,
      r.graphCode,
      r.requestId,
      r.objects,
      r.added,
      r.changed,
      r.removed,
      r.requests,
      r.retries,
      r.throttledWaits,
      r.throttledWaitMs,
      r.bytesStored,
      r.durationMs,
      r.finishedAt.toISOString(),
    ],
  );
}

interface SnapshotRow {
  id: string;
  tenant_id: string;
  seq: unknown;
  run_id: string;
  mode: BackupMode;
  status: SnapshotStatus;
  created_at: string;
  completed_at: string | null;
}

interface RunRow {
  id: string;
  tenant_id: string;
  mode: BackupMode;
  status: RunStatus;
  types: string;
  started_at: string;
  finished_at: string | null;
  reason: string | null;
}

interface TypeResultDbRow {
  type_key: string;
  status: TypeStatus;
  reason: string | null;
  graph_code: string | null;
  request_id: string | null;
  objects: unknown;
  added: unknown;
  changed: unknown;
  removed: unknown;
  requests: unknown;
  retries: unknown;
  throttled_waits: unknown;
  throttled_wait_ms: unknown;
  bytes_stored: unknown;
  duration_ms: unknown;
  finished_at: string;
}

function toSnapshot(row: SnapshotRow): SnapshotRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    seq: toNumber(row.seq),
    runId: row.run_id,
    mode: row.mode,
    status: row.status,
    createdAt: new Date(row.created_at),
    completedAt: row.completed_at === null ? null : new Date(row.completed_at),
  };
}

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    mode: row.mode,
    status: row.status,
    types: JSON.parse(row.types) as string[],
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    reason: row.reason,
  };
}

function toTypeResult(row: TypeResultDbRow): TypeResultRecord {
  return {
    typeKey: row.type_key,
    status: row.status,
    reason: row.reason,
    graphCode: row.graph_code,
    requestId: row.request_id,
    objects: toNumber(row.objects),
    added: toNumber(row.added),
    changed: toNumber(row.changed),
    removed: toNumber(row.removed),
    requests: toNumber(row.requests),
    retries: toNumber(row.retries),
    throttledWaits: toNumber(row.throttled_waits),
    throttledWaitMs: toNumber(row.throttled_wait_ms),
    bytesStored: toNumber(row.bytes_stored),
    durationMs: toNumber(row.duration_ms),
    finishedAt: new Date(row.finished_at),
  };
}
