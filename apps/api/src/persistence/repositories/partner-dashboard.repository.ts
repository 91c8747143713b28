import { Injectable } from '@nestjs/common';
import {
  BackupRunEntity,
  BackupRunReportEntity,
  BackupRunTypeEntity,
  ConsentGrantEntity,
  ScheduleStateEntity,
  TenantEntity,
  TenantSettingEntity,
} from '../entities';
import { BackupSqlRepository, toNumber } from './backup-sql.repository';

/** A run as the dashboard shows it. */
export interface DashboardRun {
  readonly runId: string;
  readonly status: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  /** Why the run failed as a whole, if it did. */
  readonly reason: string | null;
}

/** One customer tenant of a partner with what the dashboard needs to judge its health. */
export interface DashboardTenantRecord {
  readonly tenantId: string;
  readonly displayName: string;
  readonly linkedAt: Date | null;
  /** The recorded admin consent, if any. */
  readonly grant: { readonly grantedRoles: readonly string[]; readonly verifiedAt: Date } | null;
  /** The scheduler's next automatic backup (null: no type switched on, or not scheduled yet). */
  readonly nextRunAt: Date | null;
  /** The latest run, whatever its state. */
  readonly lastRun: DashboardRun | null;
  /** The latest run that has ended. */
  readonly lastFinishedRun: DashboardRun | null;
  /** When the latest completed or partial run finished. */
  readonly lastGoodFinishedAt: Date | null;
}

/** A type that failed in a run. */
export interface DashboardTypeFailure {
  readonly typeKey: string;
  readonly reason: string | null;
  readonly graphCode: string | null;
}

/** Run ids per statement: far below both engines' bound-parameter limits. */
const CHUNK = 500;

/**
 * The partner dashboard's read model: set-based statements whose number does not grow with the
 * tenants (no query per tenant; id lists in chunks of 500). The overview is one statement over
 * the partner's tenants whose per-tenant parts are index seeks (`idx_backup_run_report_tenant_started`,
 * `idx_backup_run_report_tenant_status_finished`, primary keys), then the runs it names by key.
 */
@Injectable()
export class PartnerDashboardRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  async overview(partnerId: string): Promise<DashboardTenantRecord[]> {
    const report = this.sql.table(BackupRunReportEntity);
    const latest = (condition: string) =>
      `(SELECT r."run_id" FROM ${report} r WHERE r."tenant_id" = t."id"${condition}
        ORDER BY r."started_at" DESC, r."run_id" DESC LIMIT 1)`;
    const lastAt = (status: string) =>
      `(SELECT MAX(r."finished_at") FROM ${report} r WHERE r."tenant_id" = t."id" AND r."status" = '${status}')`;
    // The latest runs are picked by id here and read by primary key below: joining on the
    // subqueries instead makes PostgreSQL hash the whole report table.
    const rows = await this.sql.rows<OverviewRow>(
      `SELECT t."id" AS "tenant_id", t."display_name", t."partner_linked_at",
              g."granted_roles", g."verified_at" AS "grant_verified_at",
              s."next_run_at",
              ${latest('')} AS "last_run_id",
              ${latest(` AND r."status" <> 'running'`)} AS "last_finished_run_id",
              ${lastAt('completed')} AS "last_completed_at",
              ${lastAt('partial')} AS "last_partial_at"
       FROM ${this.sql.table(TenantEntity)} t
       LEFT JOIN ${this.sql.table(ConsentGrantEntity)} g ON g."tenant_id" = t."id"
       LEFT JOIN ${this.sql.table(ScheduleStateEntity)} s ON s."tenant_id" = t."id"
       WHERE t."partner_id" = ?`,
      [partnerId],
    );
    const runs = await this.runsByIds([
      ...new Set(rows.flatMap((r) => [r.last_run_id, r.last_finished_run_id]).filter((id) => id !== null)),
    ]);
    return rows.map((row) => toOverview(row, runs));
  }

  private async runsByIds(runIds: readonly string[]): Promise<Map<string, DashboardRun>> {
    const runs = new Map<string, DashboardRun>();
    for (let start = 0; start < runIds.length; start += CHUNK) {
      const ids = runIds.slice(start, start + CHUNK);
      const rows = await this.sql.rows<RunRow>(
        `SELECT "run_id", "status", "started_at", "finished_at", "reason"
         FROM ${this.sql.table(BackupRunReportEntity)}
         WHERE "run_id" IN (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      for (const row of rows) {
        runs.set(row.run_id, {
          runId: row.run_id,
          status: row.status,
          startedAt: new Date(row.started_at),
          finishedAt: dateOrNull(row.finished_at),
          reason: row.reason,
        });
      }
    }
    return runs;
  }

  /** The switched-on object types of each of the partner's tenants. */
  async enabledTypes(partnerId: string): Promise<Map<string, string[]>> {
    const rows = await this.sql.rows<{ tenant_id: string; object_type: string }>(
      `SELECT s."tenant_id", s."object_type"
       FROM ${this.sql.table(TenantSettingEntity)} s
       JOIN ${this.sql.table(TenantEntity)} t ON t."id" = s."tenant_id"
       WHERE t."partner_id" = ? AND s."enabled"
       ORDER BY s."tenant_id", s."object_type"`,
      [partnerId],
    );
    const byTenant = new Map<string, string[]>();
    for (const row of rows) {
      const types = byTenant.get(row.tenant_id) ?? [];
      types.push(row.object_type);
      byTenant.set(row.tenant_id, types);
    }
    return byTenant;
  }

  /** The failed types of each of the given runs. */
  async failedTypes(runIds: readonly string[]): Promise<Map<string, DashboardTypeFailure[]>> {
    const byRun = new Map<string, DashboardTypeFailure[]>();
    for (let start = 0; start < runIds.length; start += CHUNK) {
      const ids = runIds.slice(start, start + CHUNK);
      const rows = await this.sql.rows<{
        run_id: string;
        type_key: string;
        reason: string | null;
        graph_code: string | null;
      }>(
        `SELECT "run_id", "type_key", "reason", "graph_code" FROM ${this.sql.table(BackupRunTypeEntity)}
         WHERE "status" = 'failed' AND "run_id" IN (${ids.map(() => '?').join(', ')})
         ORDER BY "run_id", "type_key"`,
        ids,
      );
      for (const row of rows) {
        const failures = byRun.get(row.run_id) ?? [];
        failures.push({ typeKey: row.type_key, reason: row.reason, graphCode: row.graph_code });
        byRun.set(row.run_id, failures);
      }
    }
    return byRun;
  }

  /**
   * Bytes of backup data each tenant's runs stored: every payload is stored once, by the run
   * that first saw it, which records its stored (compressed, encrypted) size per type. Summing
   * the run figures reads a few rows per run instead of every object version of the tenant.
   */
  async storageBytes(
    scope: { partnerId: string } | { tenantIds: readonly string[] },
  ): Promise<Map<string, number>> {
    const run = this.sql.table(BackupRunEntity);
    const runType = this.sql.table(BackupRunTypeEntity);
    const bytes = new Map<string, number>();
    const collect = (rows: Array<{ tenant_id: string; bytes: unknown }>) => {
      for (const row of rows) bytes.set(row.tenant_id, toNumber(row.bytes));
    };
    if ('partnerId' in scope) {
      collect(
        await this.sql.rows(
          `SELECT r."tenant_id", SUM(rt."bytes_stored") AS "bytes"
           FROM ${run} r
           JOIN ${this.sql.table(TenantEntity)} t ON t."id" = r."tenant_id"
           JOIN ${runType} rt ON rt."run_id" = r."id"
           WHERE t."partner_id" = ?
           GROUP BY r."tenant_id"`,
          [scope.partnerId],
        ),
      );
      return bytes;
    }
    for (let start = 0; start < scope.tenantIds.length; start += CHUNK) {
      const ids = scope.tenantIds.slice(start, start + CHUNK);
      collect(
        await this.sql.rows(
          `SELECT r."tenant_id", SUM(rt."bytes_stored") AS "bytes"
           FROM ${run} r JOIN ${runType} rt ON rt."run_id" = r."id"
           WHERE r."tenant_id" IN (${ids.map(() => '?').join(', ')})
           GROUP BY r."tenant_id"`,
          ids,
        ),
      );
    }
    return bytes;
  }
}

interface OverviewRow {
  tenant_id: string;
  display_name: string;
  partner_linked_at: string | null;
  granted_roles: string | null;
  grant_verified_at: string | null;
  next_run_at: string | null;
  last_run_id: string | null;
  last_finished_run_id: string | null;
  last_completed_at: string | null;
  last_partial_at: string | null;
}

interface RunRow {
  run_id: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  reason: string | null;
}

function toOverview(row: OverviewRow, runs: ReadonlyMap<string, DashboardRun>): DashboardTenantRecord {
  const good = [row.last_completed_at, row.last_partial_at].filter((v): v is string => v !== null).sort();
  return {
    tenantId: row.tenant_id,
    displayName: row.display_name,
    linkedAt: dateOrNull(row.partner_linked_at),
    grant:
      row.granted_roles === null || row.grant_verified_at === null
        ? null
        : { grantedRoles: parseRoles(row.granted_roles), verifiedAt: new Date(row.grant_verified_at) },
    nextRunAt: dateOrNull(row.next_run_at),
    lastRun: (row.last_run_id === null ? undefined : runs.get(row.last_run_id)) ?? null,
    lastFinishedRun:
      (row.last_finished_run_id === null ? undefined : runs.get(row.last_finished_run_id)) ?? null,
    lastGoodFinishedAt: dateOrNull(good.at(-1) ?? null),
  };
}

function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

function parseRoles(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
