import { Injectable } from '@nestjs/common';
import type { PruneFigures, PruneStatus, PruneTrigger, RetentionPolicy } from '@entra-backup/common';
import { DatabaseGate } from '../database-gate';
import { PruneRunEntity, RetentionPolicyEntity } from '../entities';

export interface StoredRetentionPolicy {
  readonly tenantId: string;
  readonly policy: RetentionPolicy;
  readonly legalHold: boolean;
  readonly legalHoldReason: string | null;
  readonly updatedAt: Date;
  readonly updatedBy: string;
}

export interface PruneRunRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly trigger: PruneTrigger;
  readonly status: PruneStatus;
  readonly actor: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly freed: PruneFigures;
  readonly reason: string | null;
}

const NOTHING: PruneFigures = { snapshots: 0, objectVersions: 0, logEntries: 0, blobs: 0, bytes: 0 };

/** The retention policy and legal hold of each tenant, and the record of its prunes. */
@Injectable()
export class RetentionPolicyRepository {
  constructor(private readonly gate: DatabaseGate) {}

  async find(tenantId: string): Promise<StoredRetentionPolicy | null> {
    const row = await this.gate.run((db) => db.getRepository(RetentionPolicyEntity).findOneBy({ tenantId }));
    return row === null ? null : toPolicy(row);
  }

  async save(stored: StoredRetentionPolicy): Promise<void> {
    const { policy } = stored;
    await this.gate.run((db) =>
      db.getRepository(RetentionPolicyEntity).upsert(
        {
          tenantId: stored.tenantId,
          keepAllDays: policy.keepAllDays,
          dailyDays: policy.dailyDays,
          weeklyWeeks: policy.weeklyWeeks,
          monthlyMonths: policy.monthlyMonths,
          logDays: policy.logDays,
          legalHold: stored.legalHold,
          legalHoldReason: stored.legalHoldReason,
          updatedAt: stored.updatedAt,
          updatedBy: stored.updatedBy,
        },
        ['tenantId'],
      ),
    );
  }

  async insertRun(run: PruneRunRecord): Promise<void> {
    await this.gate.run((db) => db.getRepository(PruneRunEntity).insert(toRow(run)));
  }

  async finishRun(run: PruneRunRecord): Promise<void> {
    await this.gate.run((db) => db.getRepository(PruneRunEntity).update({ id: run.id }, toRow(run)));
  }

  /**
   * Marks the tenant's prunes still `running` as failed: a prune that was killed. Called under the
   * tenant's lease, so none of them is alive. Returns them.
   */
  async failAbandonedRuns(tenantId: string, at: Date): Promise<PruneRunRecord[]> {
    return this.gate.transaction(async (db) => {
      const repo = db.getRepository(PruneRunEntity);
      const rows = await repo.findBy({ tenantId, status: 'running' });
      const reason =
        'The prune stopped before it finished (process ended); the next prune completed its work';
      for (const row of rows) await repo.update({ id: row.id }, { status: 'failed', finishedAt: at, reason });
      return rows.map((row) => ({ ...toRun(row), status: 'failed' as const, finishedAt: at, reason }));
    });
  }

  async latestRun(tenantId: string): Promise<PruneRunRecord | null> {
    const row = await this.gate.run((db) =>
      db
        .getRepository(PruneRunEntity)
        .findOne({ where: { tenantId }, order: { startedAt: 'DESC', id: 'DESC' } }),
    );
    return row === null ? null : toRun(row);
  }

  /** When each tenant's last prune that did its work (completed or held) started. */
  async lastFinishedAt(): Promise<Map<string, Date>> {
    const rows = await this.gate.run((db) =>
      db
        .getRepository(PruneRunEntity)
        .createQueryBuilder('r')
        .select('r.tenantId', 'tenantId')
        .addSelect('MAX(r.startedAt)', 'startedAt')
        .where('r.status IN (:...statuses)', { statuses: ['completed', 'held'] })
        .groupBy('r.tenantId')
        .getRawMany<{ tenantId: string; startedAt: string }>(),
    );
    return new Map(rows.map((r) => [r.tenantId, new Date(r.startedAt)]));
  }
}

export function emptyFigures(): PruneFigures {
  return { ...NOTHING };
}

function toPolicy(row: RetentionPolicyEntity): StoredRetentionPolicy {
  return {
    tenantId: row.tenantId,
    policy: {
      keepAllDays: row.keepAllDays,
      dailyDays: row.dailyDays,
      weeklyWeeks: row.weeklyWeeks,
      monthlyMonths: row.monthlyMonths,
      logDays: row.logDays,
    },
    legalHold: Boolean(row.legalHold),
    legalHoldReason: row.legalHoldReason,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

function toRow(run: PruneRunRecord): PruneRunEntity {
  return {
    id: run.id,
    tenantId: run.tenantId,
    trigger: run.trigger,
    status: run.status,
    actor: run.actor,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    snapshots: run.freed.snapshots,
    objectVersions: run.freed.objectVersions,
    logEntries: run.freed.logEntries,
    blobs: run.freed.blobs,
    bytes: String(run.freed.bytes),
    reason: run.reason,
  };
}

function toRun(row: PruneRunEntity): PruneRunRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    trigger: row.trigger as PruneTrigger,
    status: row.status as PruneStatus,
    actor: row.actor,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    freed: {
      snapshots: row.snapshots,
      objectVersions: row.objectVersions,
      logEntries: row.logEntries,
      blobs: row.blobs,
      bytes: Number(row.bytes),
    },
    reason: row.reason,
  };
}
