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
 * The partner dashboard's read model: a fixed number of set-based statements per page whatever
 * the number of tenants (no query per tenant). The overview is one statement over the partner's
 * tenants whose per-tenant parts are index seeks (`idx_backup_run_report_tenant_started`,
 * `idx_backup_run_report_tenant_status_finished`, primary keys).
 */
@Injectable()
export class PartnerDashboardRepository {
  constructor(private readonly sql: BackupSqlRepository) {}

  async overview(partnerId: string): Promise<DashboardTenantRecord[]> {
    const tenant = this.sql.table(TenantEntity);
    const grant = this.sql.table(ConsentGrantEntity);
    const schedule = this.sql.table(ScheduleStateEntity);
    const report = this.sql.table(BackupRunReportEntity);
    const latest = (condition: string) =>
      `(SELECT r."run_id" FROM ${report} r WHERE r."tenant_id" = t."id"${condition}
        ORDER BY r."started_at" DESC, r."run_id" DESC LIMIT 1)`;
    const lastAt = (status: string) =>
      `(SELECT MAX(r."finished_at") FROM ${report} r WHERE r."tenant_id" = t."id" AND r."status" = '${status}')`;
    const rows = await this.sql.rows<OverviewRow>(
      `SELECT t."id" AS "tenant_id", t."display_name", t."partner_linked_at",
              g."granted_roles", g."verified_at" AS "grant_verified_at",
              s."next_run_at",
              lr."run_id" AS "lr_id", lr."status" AS "lr_status", lr."started_at" AS "lr_started_at",
              lr."finished_at" AS "lr_finished_at", lr."reason" AS "lr_reason",
              lf."run_id" AS "lf_id", lf."status" AS "lf_status", lf."started_at" AS "lf_started_at",
              lf."finished_at" AS "lf_finished_at", lf."reason" AS "lf_reason",
              ${lastAt('completed')} AS "last_completed_at",
              ${lastAt('partial')} AS "last_partial_at"
       FROM ${tenant} t
       LEFT JOIN ${grant} g ON g."tenant_id" = t."id"
       LEFT JOIN ${schedule} s ON s."tenant_id" = t."id"
       LEFT JOIN ${report} lr ON lr."run_id" = ${latest('')}
       LEFT JOIN ${report} lf ON lf."run_id" = ${latest(` AND r."status" <> 'running'`)}
       WHERE t."partner_id" = ?`,
      [partnerId],
    );
    return rows.map(toOverview);
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
  lr_id: string | null;
  lr_status: string | null;
  lr_started_at: string | null;
  lr_finished_at: string | null;
  lr_reason: string | null;
  lf_id: string | null;
  lf_status: string | null;
  lf_started_at: string | null;
  lf_finished_at: string | null;
  lf_reason: string | null;
  last_completed_at: string | null;
  last_partial_at: string | null;
}

function toOverview(row: OverviewRow): DashboardTenantRecord {
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
    lastRun: runOf(row.lr_id, row.lr_status, row.lr_started_at, row.lr_finished_at, row.lr_reason),
    lastFinishedRun: runOf(row.lf_id, row.lf_status, row.lf_started_at, row.lf_finished_at, row.lf_reason),
    lastGoodFinishedAt: dateOrNull(good.at(-1) ?? null),
  };
}

function runOf(
  runId: string | null,
  status: string | null,
  startedAt: string | null,
  finishedAt: string | null,
  reason: string | null,
): DashboardRun | null {
  if (runId === null || status === null || startedAt === null) return null;
  return { runId, status, startedAt: new Date(startedAt), finishedAt: dateOrNull(finishedAt), reason };
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
