import { Injectable } from '@nestjs/common';
import type { AlertSettings } from '@entra-backup/common';
import { Clock } from '../../core/clock';
import { AlertConfigRepository, TenantRepository } from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import type { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { TenantException } from '../tenants/tenants.exception';
import { AlertsService } from './alerts.service';

/** A tenant's alert thresholds and digest choice, as Settings shows and changes them. */
@Injectable()
export class AlertSettingsService {
  constructor(
    private readonly config: AlertConfigRepository,
    private readonly tenants: TenantRepository,
    private readonly alerts: AlertsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** @throws TenantException TENANT_NOT_FOUND */
  async get(tenantId: string): Promise<AlertSettings> {
    return this.alerts.settingsOf(await this.tenantIdOf(tenantId));
  }

  /** @throws TenantException TENANT_NOT_FOUND */
  async update(tenantId: string, settings: AlertSettings, by: AuditContext): Promise<AlertSettings> {
    const id = await this.tenantIdOf(tenantId);
    const before = await this.alerts.settingsOf(id);
    const now = this.clock.now();
    // The first digest goes out a day after it was asked for, then daily.
    if (settings.dailyDigest && !before.dailyDigest)
      await this.config.saveState({ tenantId: id, checkKey: 'digest', fingerprint: null, checkedAt: now });
    await this.config.saveSettings({
      tenantId: id,
      ...settings,
      updatedAt: this.clock.now(),
      updatedBy: by.actor,
    });
    await this.audit.record({
      actor: by,
      action: AuditAction.ALERT_SETTINGS_UPDATED,
      tenantId: id,
      details: settings,
    });
    return this.alerts.settingsOf(id);
  }

  private async tenantIdOf(tenantId: string): Promise<string> {
    const id = tenantId.toLowerCase();
    if ((await this.tenants.findById(id)) === null) throw TenantException.notFound(id);
    return id;
  }
}
