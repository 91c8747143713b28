import type { TenantResponse } from '@entra-backup/common';
import type { TenantEntity } from '../../persistence/entities';

export function toTenantResponse(tenant: TenantEntity): TenantResponse {
  return {
    tenantId: tenant.id,
    displayName: tenant.displayName,
    createdAt: tenant.createdAt.toISOString(),
    updatedAt: tenant.updatedAt.toISOString(),
  };
}
