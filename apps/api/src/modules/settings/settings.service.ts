import { isObjectTypeKey, type ObjectTypeKey, type SettingsResponse } from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../core/clock';
import { TenantSettingsRepository } from '../../persistence/repositories';
import { type Actor, AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { TenantsService } from '../tenants/tenants.service';
import { toSettingsResponse } from './settings.mapper';
import { SettingsException } from './settings.exception';

/** Which object types are backed up for a tenant. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly settings: TenantSettingsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** @throws TenantException TENANT_NOT_FOUND */
  async get(tenantId: string): Promise<SettingsResponse> {
    const tenant = await this.tenants.get(tenantId);
    const rows = await this.settings.findByTenant(tenant.tenantId);
    return toSettingsResponse(tenant.tenantId, rows, tenant.createdAt);
  }

  /**
   * Switches the given types on or off; types not mentioned keep their value. Records one
   * audit event with the switches that actually changed (none: nothing is written).
   * @throws TenantException TENANT_NOT_FOUND
   * @throws SettingsException UNKNOWN_OBJECT_TYPE naming every unknown key
   */
  async update(
    tenantId: string,
    enabledTypes: Readonly<Partial<Record<string, boolean>>>,
    actor: Actor,
  ): Promise<SettingsResponse> {
    const unknown = Object.keys(enabledTypes).filter((key) => !isObjectTypeKey(key));
    if (unknown.length > 0) throw SettingsException.unknownObjectTypes(unknown);

    const current = await this.get(tenantId);
    const changes: Partial<Record<ObjectTypeKey, boolean>> = {};
    for (const [key, enabled] of Object.entries(enabledTypes) as Array<
      [ObjectTypeKey, boolean | undefined]
    >) {
      if (enabled !== undefined && current.enabledTypes[key] !== enabled) changes[key] = enabled;
    }
    if (Object.keys(changes).length === 0) return current;

    await this.settings.saveEnabledTypes(current.tenantId, changes, this.clock.now());
    await this.audit.record({
      actor,
      action: AuditAction.SETTINGS_UPDATED,
      tenantId: current.tenantId,
      details: { enabledTypes: changes },
    });
    return this.get(current.tenantId);
  }
}
