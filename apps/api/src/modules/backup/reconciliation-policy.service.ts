import { Injectable } from '@nestjs/common';
import {
  DEFAULT_RECONCILE_EVERY_DAYS,
  MAX_RECONCILE_EVERY_DAYS,
  type ReconciliationPolicy,
} from '@entra-backup/common';
import { Clock } from '../../core/clock/clock';
import { TenantReconciliationRepository } from '../../persistence/repositories/tenant-reconciliation.repository';
import type { AuditedBy } from '../audit/audit-context';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { SettingsService } from '../settings/settings.service';
import { BackupException } from './backup.exception';

const DAY_MS = 86_400_000;

/**
 * How often a tenant's backups reconcile with a full read (weekly unless the tenant says
 * otherwise). Incremental runs replay Graph's changes and derive what delta does not report; the
 * periodic full read catches whatever remains and reports it as drift.
 */
@Injectable()
export class ReconciliationPolicyService {
  constructor(
    private readonly settings: SettingsService,
    private readonly policies: TenantReconciliationRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** @throws TenantException TENANT_NOT_FOUND */
  async get(tenantId: string): Promise<ReconciliationPolicy> {
    const { tenantId: id } = await this.settings.get(tenantId);
    const row = await this.policies.find(id);
    return {
      tenantId: id,
      everyDays: row?.everyDays ?? DEFAULT_RECONCILE_EVERY_DAYS,
      isDefault: row === null,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  /**
   * @throws TenantException TENANT_NOT_FOUND
   * @throws BackupException INVALID_REQUEST outside 1 to `MAX_RECONCILE_EVERY_DAYS` days
   */
  async update(tenantId: string, everyDays: number, actor: AuditedBy): Promise<ReconciliationPolicy> {
    if (!Number.isInteger(everyDays) || everyDays < 1 || everyDays > MAX_RECONCILE_EVERY_DAYS)
      throw BackupException.invalidRequest(
        `everyDays must be a whole number of days from 1 to ${MAX_RECONCILE_EVERY_DAYS}`,
      );
    const current = await this.get(tenantId);
    if (!current.isDefault && current.everyDays === everyDays) return current;
    await this.policies.save(current.tenantId, everyDays, this.clock.now());
    await this.audit.record({
      actor,
      action: AuditAction.SETTINGS_UPDATED,
      tenantId: current.tenantId,
      details: { reconcileEveryDays: { from: current.everyDays, to: everyDays } },
    });
    return this.get(current.tenantId);
  }

  /** The interval for the backup's full-or-incremental decision (the default for unknown tenants). */
  async intervalMs(tenantId: string): Promise<number> {
    const row = await this.policies.find(tenantId.toLowerCase());
    return (row?.everyDays ?? DEFAULT_RECONCILE_EVERY_DAYS) * DAY_MS;
  }
}
