import { httpResource, type HttpResourceRef } from '@angular/common/http';
import type { Signal } from '@angular/core';
import { type TenantResponse, tenantSchema } from '@entra-backup/common';

export const TENANTS_URL = '/api/tenants';

/**
 * The signed-in admin's tenant record (name and dates), validated against the shared contract;
 * idle while the id is undefined. Tenants are registered at sign-in or with the command line.
 */
export function tenantResource(
  tenantId: Signal<string | undefined>,
): HttpResourceRef<TenantResponse | undefined> {
  return httpResource(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : `${TENANTS_URL}/${encodeURIComponent(id)}`;
    },
    { parse: (raw) => tenantSchema.parse(raw) },
  );
}
