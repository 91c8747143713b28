import { HttpClient, httpResource } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type ApiKey,
  type ApiKeyPage,
  type CreatedApiKey,
  type CreatePartnerApiKeyRequest,
  type PartnerTenantPage,
  type RotateApiKeyRequest,
  apiKeyPageSchema,
  apiKeySchema,
  createdApiKeySchema,
  partnerTenantPageSchema,
} from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

/** Whose keys: a tenant's own, or a partner's (over its customer tenants). */
export type ApiKeyOwner = { readonly kind: 'tenant' | 'partner'; readonly id: string };

/** Keys listed on one page; the page lists all of an owner's keys up to this many. */
export const KEY_PAGE_SIZE = 200;

export function apiKeysUrl(owner: ApiKeyOwner): string {
  const base = owner.kind === 'tenant' ? 'tenants' : 'partners';
  return `/api/${base}/${encodeURIComponent(owner.id)}/api-keys`;
}

export function apiKeyUrl(owner: ApiKeyOwner, keyId: string): string {
  return `${apiKeysUrl(owner)}/${encodeURIComponent(keyId)}`;
}

export function partnerTenantsUrl(partnerId: string): string {
  return `/api/partners/${encodeURIComponent(partnerId)}/tenants`;
}

/** The owner's keys, newest first (never their secrets); idle while the owner is unknown. */
export function apiKeyPageResource(owner: Signal<ApiKeyOwner | undefined>) {
  return httpResource<ApiKeyPage | undefined>(
    () => {
      const current = owner();
      return current === undefined
        ? undefined
        : { url: apiKeysUrl(current), params: { pageSize: KEY_PAGE_SIZE } };
    },
    { parse: (raw) => apiKeyPageSchema.parse(raw) },
  );
}

/** A partner's customer tenants, for limiting a key to some of them. */
export function partnerTenantsResource(partnerId: Signal<string | undefined>) {
  return httpResource<PartnerTenantPage | undefined>(
    () => {
      const id = partnerId();
      return id === undefined ? undefined : { url: partnerTenantsUrl(id), params: { limit: 200 } };
    },
    { parse: (raw) => partnerTenantPageSchema.parse(raw) },
  );
}

/** Writes of the API keys page. The CSRF header is added by the session interceptor. */
@Injectable({ providedIn: 'root' })
export class ApiKeysApi {
  private readonly http = inject(HttpClient);

  /** Creates a key; the answer carries its secret, this once. */
  createKey(owner: ApiKeyOwner, request: CreatePartnerApiKeyRequest): Observable<CreatedApiKey> {
    return this.http
      .post<unknown>(apiKeysUrl(owner), request)
      .pipe(map((raw) => createdApiKeySchema.parse(raw)));
  }

  /** A new secret for the key (shown once); the old one stops working, or after the grace period. */
  rotateKey(owner: ApiKeyOwner, keyId: string, request: RotateApiKeyRequest): Observable<CreatedApiKey> {
    return this.http
      .post<unknown>(`${apiKeyUrl(owner, keyId)}/rotate`, request)
      .pipe(map((raw) => createdApiKeySchema.parse(raw)));
  }

  revokeKey(owner: ApiKeyOwner, keyId: string): Observable<ApiKey> {
    return this.http.delete<unknown>(apiKeyUrl(owner, keyId)).pipe(map((raw) => apiKeySchema.parse(raw)));
  }
}
