import type { Permission } from '@entra-backup/common';
import { Injectable } from '@nestjs/common';
import { TenantRepository } from '../../persistence/repositories';
import { allowsOnTenant, tenantFilter } from './access-policy';
import type { Principal, TenantRef } from './principal';

/** `permission × tenant` for a principal, with the tenant's partner read from the database. */
@Injectable()
export class TenantAccess {
  constructor(private readonly tenants: TenantRepository) {}

  async tenantRef(tenantId: string): Promise<TenantRef> {
    const id = tenantId.toLowerCase();
    const tenant = await this.tenants.findById(id);
    return { id, partnerId: tenant?.partnerId ?? null };
  }

  async allows(principal: Principal, permission: Permission, tenantId: string): Promise<boolean> {
    return allowsOnTenant(principal, permission, await this.tenantRef(tenantId));
  }

  /** The registered tenants on which the principal holds the permission, by display name. */
  async visibleTenants(principal: Principal, permission: Permission) {
    const allowed = tenantFilter(principal, permission);
    return (await this.tenants.listAll()).filter((t) => allowed({ id: t.id, partnerId: t.partnerId }));
  }
}
