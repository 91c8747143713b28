import { Injectable } from '@nestjs/common';
import { ScheduleStateEntity, TenantSettingEntity } from '../entities';
import { BackupSqlRepository } from './backup-sql.repository';

export interface ScheduleRecord {
  readonly tenantId: string;
  readonly offsetMinutes: number;
  readonly nextRunAt: Date | null;
  readonly firstConfiguredAt: Date | null;
  readonly lastRunAt: Date | null;
  readonly lastRunId: string | null;
  readonly lastError: string | null;
  readonly firstRunStarted: boolean;
  readonly claimedBy: string | null;
  readonly claimedUntil: Date | null;
}

/**
 * The backup schedule per tenant. Claims and their release are single conditional statements,
 * so several processes sharing the database never start the same due run twice.
 */
@Injectable()
export class ScheduleStateRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  async find(tenantId: string): Promise<ScheduleRecord | null> {
    const rows = await this.sql.rows<ScheduleRow>(`SELECT * FROM ${this.table()} WHERE "tenant_id" = ?`, [
      tenantId,
    ]);
    return rows[0] === undefined ? null : toRecord(rows[0]);
  }

  /** Tenants with at least one enabled object type and no active schedule (no row, or next run unset). */
  async findConfiguredWithoutActiveSchedule(): Promise<Array<{ tenantId: string; hasRow: boolean }>> {
    const rows = await this.sql.rows<{ tenant_id: string; has_row: number | string | boolean }>(
      `SELECT DISTINCT s."tenant_id", CASE WHEN b."tenant_id" IS NULL THEN 0 ELSE 1 END AS "has_row"
       FROM ${this.sql.table(TenantSettingEntity)} s
       LEFT JOIN ${this.table()} b ON b."tenant_id" = s."tenant_id"
       WHERE s."enabled" AND (b."tenant_id" IS NULL OR b."next_run_at" IS NULL)`,
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, hasRow: Number(r.has_row) === 1 }));
  }

  /** Creates the schedule of a tenant configured for the first time; false when it already exists. */
  async insertIfAbsent(input: {
    readonly tenantId: string;
    readonly offsetMinutes: number;
    readonly nextRunAt: Date;
    readonly now: Date;
  }): Promise<boolean> {
    const now = input.now.toISOString();
    const inserted = await this.sql.rows<{ tenant_id: string }>(
      `INSERT INTO ${this.table()} ("tenant_id", "offset_minutes", "next_run_at", "first_configured_at",
         "last_run_at", "last_run_id", "last_error", "first_run_started", "claimed_by", "claimed_until", "updated_at")
       VALUES (?, ?, ?, ?, NULL, NULL, NULL, FALSE, NULL, NULL, ?)
       ON CONFLICT ("tenant_id") DO NOTHING
       RETURNING "tenant_id"`,
      [input.tenantId, input.offsetMinutes, input.nextRunAt.toISOString(), now, now],
    );
    return inserted.length === 1;
  }

  /** Sets the next run of an inactive schedule (types switched on again); false when it is active. */
  async reactivate(tenantId: string, nextRunAt: Date, now: Date): Promise<boolean> {
    const affected = await this.sql.run(
      `UPDATE ${this.table()} SET "next_run_at" = ?, "updated_at" = ?
       WHERE "tenant_id" = ? AND "next_run_at" IS NULL`,
      [nextRunAt.toISOString(), now.toISOString(), tenantId],
    );
    return affected === 1;
  }

  /** Active schedules whose first (full) run has not started yet, and that nobody is starting now. */
  async findAwaitingFirstRun(now: Date): Promise<Array<{ tenantId: string; offsetMinutes: number }>> {
    const rows = await this.sql.rows<{ tenant_id: string; offset_minutes: number | string }>(
      `SELECT "tenant_id", "offset_minutes" FROM ${this.table()}
       WHERE "next_run_at" IS NOT NULL AND NOT "first_run_started"
         AND ("claimed_until" IS NULL OR "claimed_until" <= ?)`,
      [now.toISOString()],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, offsetMinutes: Number(r.offset_minutes) }));
  }

  /**
   * A full backup was taken outside the schedule before its first run: that run is not needed any
   * more; the next one is `nextRunAt`. False when the first run was started (or claimed) meanwhile.
   */
  async recordFirstRunTakenElsewhere(tenantId: string, nextRunAt: Date, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const affected = await this.sql.run(
      `UPDATE ${this.table()} SET "first_run_started" = TRUE, "next_run_at" = ?, "updated_at" = ?
       WHERE "tenant_id" = ? AND "next_run_at" IS NOT NULL AND NOT "first_run_started"
         AND ("claimed_until" IS NULL OR "claimed_until" <= ?)`,
      [nextRunAt.toISOString(), at, tenantId, at],
    );
    return affected === 1;
  }

  /** Deactivates the schedules of tenants that no longer have any type switched on. */
  deactivateUnconfigured(now: Date): Promise<number> {
    const table = this.table();
    return this.sql.run(
      `UPDATE ${table} SET "next_run_at" = NULL, "updated_at" = ?
       WHERE "next_run_at" IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM ${this.sql.table(TenantSettingEntity)} s
         WHERE s."tenant_id" = ${table}."tenant_id" AND s."enabled")`,
      [now.toISOString()],
    );
  }

  /** Tenants whose next run is due at `now` and that nobody is starting, oldest first. */
  async findDue(now: Date, limit: number): Promise<string[]> {
    const at = now.toISOString();
    const rows = await this.sql.rows<{ tenant_id: string }>(
      `SELECT "tenant_id" FROM ${this.table()}
       WHERE "next_run_at" IS NOT NULL AND "next_run_at" <= ? AND ("claimed_until" IS NULL OR "claimed_until" <= ?)
       ORDER BY "next_run_at", "tenant_id" LIMIT ?`,
      [at, at, limit],
    );
    return rows.map((r) => r.tenant_id);
  }

  /** Claims a due schedule for `holder` until `until`; false when it is not due or someone else has it. */
  async claim(tenantId: string, holder: string, now: Date, until: Date): Promise<boolean> {
    const at = now.toISOString();
    const affected = await this.sql.run(
      `UPDATE ${this.table()} SET "claimed_by" = ?, "claimed_until" = ?
       WHERE "tenant_id" = ? AND "next_run_at" IS NOT NULL AND "next_run_at" <= ?
         AND ("claimed_until" IS NULL OR "claimed_until" <= ?)`,
      [holder, until.toISOString(), tenantId, at, at],
    );
    return affected === 1;
  }

  /** Records a started run and the next one, and releases the claim. */
  async recordStarted(input: {
    readonly tenantId: string;
    readonly holder: string;
    readonly runId: string;
    readonly startedAt: Date;
    readonly nextRunAt: Date;
  }): Promise<void> {
    await this.sql.run(
      `UPDATE ${this.table()} SET "last_run_at" = ?, "last_run_id" = ?, "next_run_at" = ?, "last_error" = NULL,
         "first_run_started" = TRUE, "claimed_by" = NULL, "claimed_until" = NULL, "updated_at" = ?
       WHERE "tenant_id" = ? AND "claimed_by" = ?`,
      [
        input.startedAt.toISOString(),
        input.runId,
        input.nextRunAt.toISOString(),
        input.startedAt.toISOString(),
        input.tenantId,
        input.holder,
      ],
    );
  }

  /**
   * Releases the claim of a run that did not start, with the reason and the time to try again
   * (unchanged when `nextRunAt` is the current due time: retried on the next tick).
   */
  async recordNotStarted(input: {
    readonly tenantId: string;
    readonly holder: string;
    readonly error: string;
    readonly nextRunAt: Date;
    readonly now: Date;
  }): Promise<void> {
    await this.sql.run(
      `UPDATE ${this.table()} SET "last_error" = ?, "next_run_at" = CASE WHEN "next_run_at" IS NULL THEN NULL ELSE ? END,
         "claimed_by" = NULL, "claimed_until" = NULL, "updated_at" = ?
       WHERE "tenant_id" = ? AND "claimed_by" = ?`,
      [
        input.error.slice(0, 1024),
        input.nextRunAt.toISOString(),
        input.now.toISOString(),
        input.tenantId,
        input.holder,
      ],
    );
  }

  private table(): string {
    return this.sql.table(ScheduleStateEntity);
  }
}

interface ScheduleRow {
  tenant_id: string;
  offset_minutes: number | string;
  next_run_at: string | null;
  first_configured_at: string | null;
  last_run_at: string | null;
  last_run_id: string | null;
  last_error: string | null;
  first_run_started: number | boolean | string;
  claimed_by: string | null;
  claimed_until: string | null;
}

function date(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

function toRecord(row: ScheduleRow): ScheduleRecord {
  return {
    tenantId: row.tenant_id,
    offsetMinutes: Number(row.offset_minutes),
    nextRunAt: date(row.next_run_at),
    firstConfiguredAt: date(row.first_configured_at),
    lastRunAt: date(row.last_run_at),
    lastRunId: row.last_run_id,
    lastError: row.last_error,
    firstRunStarted: row.first_run_started === true || Number(row.first_run_started) === 1,
    claimedBy: row.claimed_by,
    claimedUntil: date(row.claimed_until),
  };
}
