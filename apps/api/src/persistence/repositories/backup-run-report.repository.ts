import { Injectable } from '@nestjs/common';
import { In, IsNull, Not } from 'typeorm';
import { DatabaseGate } from '../database-gate';
import { BackupRunReportEntity } from '../entities/backup-run-report.entity';

export type RunReportStatus = 'running' | 'completed' | 'partial' | 'failed' | 'interrupted';

export interface RunReportRecord {
  readonly runId: string;
  readonly tenantId: string;
  readonly trigger: string;
  readonly actor: string;
  readonly mode: string;
  readonly types: string[];
  readonly status: RunReportStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly reason: string | null;
  /** Parsed summary JSON, validated by the caller. */
  readonly summary: unknown;
}

/** Reports of backup runs, newest first per tenant. */
@Injectable()
export class BackupRunReportRepository {
  constructor(private readonly gate: DatabaseGate) {}

  async insertRunning(input: {
    readonly runId: string;
    readonly tenantId: string;
    readonly trigger: string;
    readonly actor: string;
    readonly mode: string;
    readonly types: readonly string[];
    readonly startedAt: Date;
  }): Promise<void> {
    await this.gate.run((db) =>
      db.getRepository(BackupRunReportEntity).insert({
        runId: input.runId,
        tenantId: input.tenantId,
        trigger: input.trigger,
        actor: input.actor,
        mode: input.mode,
        types: JSON.stringify(input.types),
        status: 'running',
        startedAt: input.startedAt,
        finishedAt: null,
        reason: null,
        summary: null,
      }),
    );
  }

  /** Ends a running report; returns false when it was no longer running. */
  async finish(
    runId: string,
    outcome: {
      status: Exclude<RunReportStatus, 'running'>;
      finishedAt: Date;
      reason: string | null;
      summary: unknown;
    },
  ): Promise<boolean> {
    const result = await this.gate.run((db) =>
      db.getRepository(BackupRunReportEntity).update(
        { runId, status: 'running' },
        {
          status: outcome.status,
          finishedAt: outcome.finishedAt,
          reason: outcome.reason,
          summary: outcome.summary === null ? null : JSON.stringify(outcome.summary),
        },
      ),
    );
    return (result.affected ?? 0) > 0;
  }

  /** Marks running reports of the given tenants (or all) interrupted, except the listed runs. */
  async markInterrupted(options: {
    readonly tenantIds?: readonly string[];
    readonly exceptRunIds: readonly string[];
    readonly finishedAt: Date;
    readonly reason: string;
  }): Promise<number> {
    const running = await this.gate.run((db) =>
      db.getRepository(BackupRunReportEntity).find({
        where: { status: 'running', ...(options.tenantIds ? { tenantId: In([...options.tenantIds]) } : {}) },
      }),
    );
    let count = 0;
    for (const row of running) {
      if (options.exceptRunIds.includes(row.runId)) continue;
      if (
        await this.finish(row.runId, {
          status: 'interrupted',
          finishedAt: options.finishedAt,
          reason: options.reason,
          summary: null,
        })
      )
        count += 1;
    }
    return count;
  }

  /** Reports still marked running, oldest first. */
  async findRunning(): Promise<RunReportRecord[]> {
    const rows = await this.gate.run((db) =>
      db
        .getRepository(BackupRunReportEntity)
        .find({ where: { status: 'running' }, order: { startedAt: 'ASC' } }),
    );
    return rows.map(toRecord);
  }

  async find(runId: string): Promise<RunReportRecord | null> {
    const row = await this.gate.run((db) =>
      db.getRepository(BackupRunReportEntity).findOne({ where: { runId } }),
    );
    return row === null ? null : toRecord(row);
  }

  async listByTenant(
    tenantId: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: RunReportRecord[]; total: number }> {
    const [rows, total] = await this.gate.run((db) =>
      db.getRepository(BackupRunReportEntity).findAndCount({
        where: { tenantId },
        order: { startedAt: 'DESC', runId: 'DESC' },
        take: page.limit,
        skip: page.offset,
      }),
    );
    return { items: rows.map(toRecord), total };
  }

  /** Reports of the tenant's runs that ended with a summary, oldest first: the backup history. */
  async listSummarized(tenantId: string): Promise<RunReportRecord[]> {
    const rows = await this.gate.run((db) =>
      db.getRepository(BackupRunReportEntity).find({
        where: { tenantId, summary: Not(IsNull()) },
        order: { startedAt: 'ASC', runId: 'ASC' },
      }),
    );
    return rows.map(toRecord);
  }
}

function toRecord(row: BackupRunReportEntity): RunReportRecord {
  return {
    runId: row.runId,
    tenantId: row.tenantId,
    trigger: row.trigger,
    actor: row.actor,
    mode: row.mode,
    types: JSON.parse(row.types) as string[],
    status: row.status as RunReportStatus,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    reason: row.reason,
    summary: row.summary === null ? null : (JSON.parse(row.summary) as unknown),
  };
}
