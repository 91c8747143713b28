import type { CreateTenantRequest, TenantListResponse, TenantResponse } from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../core/clock';
import { TenantRepository } from '../../persistence/repositories';
import { type Actor, AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { toTenantResponse } from './tenant.mapper';
import { TenantException } from './tenants.exception';

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<TenantListResponse> {
    const tenants = await this.tenants.listAll();
    return { items: tenants.map(toTenantResponse) };
  }

  /** @throws TenantException TENANT_NOT_FOUND */
  async get(tenantId: string): Promise<TenantResponse> {
    const tenant = await this.tenants.findById(tenantId.toLowerCase());
    if (tenant === null) throw TenantException.notFound(tenantId.toLowerCase());
    return toTenantResponse(tenant);
  }

  /**
   * Registers a tenant. Callers validate the request with `createTenantSchema` (the HTTP pipe,
   * the CLI); ids are compared lower-case whatever the caller sent.
   * @throws TenantException TENANT_EXISTS
   */
  async create(request: CreateTenantRequest, actor: Actor): Promise<TenantResponse> {
    const tenantId = request.tenantId.toLowerCase();
    const displayName = request.displayName.trim();
    const created = await this.tenants.insertIfAbsent({
      id: tenantId,
      displayName,
      createdAt: this.clock.now(),
    });
    if (created === null) throw TenantException.alreadyExists(tenantId);
    await this.audit.record({
      actor,
      action: AuditAction.TENANT_CREATED,
      tenantId,
      details: { displayName },
    });
    return toTenantResponse(created);
  }

  /**
   * Renames a tenant (sign-in registers it under the user's domain; once consent lets the app read
   * `/organization`, the organization's name replaces it). Audited; no-op when unchanged.
   * @throws TenantException TENANT_NOT_FOUND
   */
  async rename(tenantId: string, displayName: string, actor: Actor): Promise<TenantResponse> {
    const current = await this.get(tenantId);
    const name = displayName.trim();
    if (name === '' || name === current.displayName) return current;
    await this.tenants.updateDisplayName(current.tenantId, name.slice(0, 256), this.clock.now());
    await this.audit.record({
      actor,
      action: AuditAction.TENANT_RENAMED,
      tenantId: current.tenantId,
      details: { from: current.displayName, to: name },
    });
    return this.get(current.tenantId);
  }
}
