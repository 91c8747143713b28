import {
  isObjectTypeKey,
  type ObjectTypeKey,
  type SettingsResponse,
  type SettingsStatusResponse,
} from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import { GraphClientFactory } from '@entra-backup/graph';
import { Clock } from '../../core/clock';
import { TenantSettingsRepository } from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import { actorOf, type AuditedBy } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ConsentException } from '../consent/consent.exception';
import { ConsentGrantsService } from '../consent/consent-grants.service';
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
    private readonly consent: ConsentGrantsService,
    private readonly graph: GraphClientFactory,
  ) {}

  /**
   * The settings with, per type, the read permissions it needs and whether the recorded admin
   * consent grants them, and whether consent is granted at all.
   * @throws TenantException TENANT_NOT_FOUND
   */
  async getStatus(tenantId: string): Promise<SettingsStatusResponse> {
    const settings = await this.get(tenantId);
    const grant = await this.consent.find(settings.tenantId);
    return {
      ...settings,
      consentGranted: grant !== null,
      types: this.consent.typeStatuses(grant, settings.enabledTypes),
    };
  }

  /**
   * The portal's update: `update`, answered with the permission status.
   * @throws ConsentException CONSENT_REQUIRED
   */
  async updateWithStatus(
    tenantId: string,
    enabledTypes: Readonly<Partial<Record<string, boolean>>>,
    actor: AuditedBy,
  ): Promise<SettingsStatusResponse> {
    await this.update(tenantId, enabledTypes, actor);
    return this.getStatus(tenantId);
  }

  /**
   * For the CLI, where there is no consent callback: reads the application permissions granted
   * in the tenant (the roles of a fresh app-only token) and records them as the tenant's admin
   * consent, as the portal's callback does after Microsoft's consent page.
   * @throws TenantException TENANT_NOT_FOUND
   * @throws ConsentException CONSENT_REQUIRED when no permission is granted (or no token is issued)
   */
  async recordGrantedConsent(tenantId: string, actor: AuditedBy): Promise<SettingsStatusResponse> {
    const { tenantId: id } = await this.get(tenantId);
    let roles: string[];
    try {
      roles = await this.graph.getGrantedAppRoles(id);
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split(/\r?\n/)[0] ?? '') : String(error);
      throw ConsentException.notVerified(id, reason);
    }
    if (roles.length === 0) throw ConsentException.notVerified(id, 'no application permission is granted');
    const now = this.clock.now();
    await this.consent.save({
      tenantId: id,
      grantedRoles: roles,
      grantedBy: actorOf(actor),
      grantedAt: now,
      verifiedAt: now,
    });
    await this.audit.record({
      actor,
      action: AuditAction.CONSENT_GRANTED,
      tenantId: id,
      details: { grantedPermissions: [...roles].sort(), via: 'cli' },
    });
    return this.getStatus(id);
  }

  /** The application permissions the tenant's recorded admin consent grants; null without a record. */
  async grantedPermissions(tenantId: string): Promise<readonly string[] | null> {
    return (await this.consent.find(tenantId))?.grantedRoles ?? null;
  }

  /** @throws TenantException TENANT_NOT_FOUND */
  async get(tenantId: string): Promise<SettingsResponse> {
    const tenant = await this.tenants.get(tenantId);
    const rows = await this.settings.findByTenant(tenant.tenantId);
    return toSettingsResponse(tenant.tenantId, rows, tenant.createdAt);
  }

  /**
   * Switches the given types on or off; types not mentioned keep their value. Records one
   * audit event with the switches that actually changed (none: nothing is written).
   * The one rule for every caller (portal, REST API, CLI): switching a type on needs admin
   * consent first (switching off does not), since a backup without the permissions could only fail.
   * @throws TenantException TENANT_NOT_FOUND
   * @throws SettingsException UNKNOWN_OBJECT_TYPE naming every unknown key
   * @throws ConsentException CONSENT_REQUIRED
   */
  async update(
    tenantId: string,
    enabledTypes: Readonly<Partial<Record<string, boolean>>>,
    actor: AuditedBy,
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
    const switchesOn = Object.values(changes).some((enabled) => enabled);
    if (switchesOn && !(await this.consent.isGranted(current.tenantId)))
      throw ConsentException.required(current.tenantId);

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
