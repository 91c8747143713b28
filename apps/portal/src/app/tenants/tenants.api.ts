import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type CreateTenantRequest,
  type TenantListResponse,
  type TenantResponse,
  tenantListSchema,
  tenantSchema,
} from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

export const TENANTS_URL = '/api/tenants';

/**
 * The registered tenants, validated against the shared contract. Call it in an injection
 * context (a component field): the request is tied to that component's lifetime.
 */
export function tenantListResource(): HttpResourceRef<TenantListResponse | undefined> {
  return httpResource(() => TENANTS_URL, { parse: (raw) => tenantListSchema.parse(raw) });
}

/** Writes to the tenants endpoints. Reads go through {@link tenantListResource}. */
@Injectable({ providedIn: 'root' })
export class TenantsApi {
  private readonly http = inject(HttpClient);

  createTenant(request: CreateTenantRequest): Observable<TenantResponse> {
    return this.http.post<unknown>(TENANTS_URL, request).pipe(map((raw) => tenantSchema.parse(raw)));
  }
}

/** One tenant by id (name and dates); idle while the id is undefined. */
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
