import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type AddStaffRequest,
  type BulkBackupRequest,
  type BulkResult,
  type BulkSettingsRequest,
  type ChangeStaffRequest,
  type CreateOnboardingLinkRequest,
  type HandOverRequest,
  type ObjectTypeKey,
  type OnboardingLink,
  type OnboardingLinkList,
  type PartnerRole,
  type PartnerTenantFilter,
  type PartnerTenantPage,
  type StaffList,
  bulkResultSchema,
  onboardingLinkListSchema,
  onboardingLinkSchema,
  partnerTenantPageSchema,
  staffListSchema,
} from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

export const partnerUrl = (partnerId: string) => `/api/partners/${encodeURIComponent(partnerId)}`;
export const partnerTenantsUrl = (partnerId: string) => `${partnerUrl(partnerId)}/tenants`;
export const staffUrl = (partnerId: string) => `${partnerUrl(partnerId)}/staff`;
export const staffMemberUrl = (partnerId: string, upn: string) =>
  `${staffUrl(partnerId)}/${encodeURIComponent(upn)}`;
export const onboardingLinksUrl = (partnerId: string) => `${partnerUrl(partnerId)}/onboarding-links`;
export const bulkBackupsUrl = (partnerId: string) => `${partnerUrl(partnerId)}/bulk/backups`;
export const bulkSettingsUrl = (partnerId: string) => `${partnerUrl(partnerId)}/bulk/settings`;

/** Rows per request of the dashboard ("Load more" asks for the next as many). */
export const PARTNER_TENANTS_PAGE_SIZE = 50;

export type PartnerTenantSort = 'name' | 'lastBackup' | 'storage';

/** What the dashboard asks for: its filter, search and sort (the cursor is added per page). */
export interface PartnerTenantListQuery {
  readonly partnerId: string;
  readonly filter?: PartnerTenantFilter;
  readonly search?: string;
  readonly sort: PartnerTenantSort;
}

function tenantListParams(query: PartnerTenantListQuery, cursor?: string): Record<string, string> {
  return {
    sort: query.sort,
    limit: String(PARTNER_TENANTS_PAGE_SIZE),
    ...(query.filter === undefined ? {} : { filter: query.filter }),
    ...(query.search === undefined ? {} : { search: query.search }),
    ...(cursor === undefined ? {} : { cursor }),
  };
}

/** The first page of the partner's customer tenants for the query; idle while it is undefined. */
export function partnerTenantPageResource(
  query: Signal<PartnerTenantListQuery | undefined>,
): HttpResourceRef<PartnerTenantPage | undefined> {
  return httpResource(
    () => {
      const q = query();
      return q === undefined
        ? undefined
        : { url: partnerTenantsUrl(q.partnerId), params: tenantListParams(q) };
    },
    { parse: (raw) => partnerTenantPageSchema.parse(raw) },
  );
}

/** The partner's staff with their roles. */
export function staffResource(partnerId: Signal<string | undefined>): HttpResourceRef<StaffList | undefined> {
  return httpResource(
    () => {
      const id = partnerId();
      return id === undefined ? undefined : staffUrl(id);
    },
    { parse: (raw) => staffListSchema.parse(raw) },
  );
}

/** The partner's onboarding links, with their status. */
export function onboardingLinksResource(
  partnerId: Signal<string | undefined>,
): HttpResourceRef<OnboardingLinkList | undefined> {
  return httpResource(
    () => {
      const id = partnerId();
      return id === undefined ? undefined : onboardingLinksUrl(id);
    },
    { parse: (raw) => onboardingLinkListSchema.parse(raw) },
  );
}

/** Writes of the partner portal, and the dashboard's further pages. The CSRF header is added by the session interceptor. */
@Injectable({ providedIn: 'root' })
export class PartnerApi {
  private readonly http = inject(HttpClient);

  /** The page of customer tenants after `cursor` ("Load more"). */
  tenantPage(query: PartnerTenantListQuery, cursor: string): Observable<PartnerTenantPage> {
    return this.http
      .get<unknown>(partnerTenantsUrl(query.partnerId), { params: tenantListParams(query, cursor) })
      .pipe(map((raw) => partnerTenantPageSchema.parse(raw)));
  }

  /** Starts a backup of each tenant; the answer says, per tenant, whether it started. */
  backUpNow(partnerId: string, tenantIds: readonly string[]): Observable<BulkResult> {
    const body: BulkBackupRequest = { tenantIds: [...tenantIds] };
    return this.http
      .post<unknown>(bulkBackupsUrl(partnerId), body)
      .pipe(map((raw) => bulkResultSchema.parse(raw)));
  }

  /** Switches the types on in each tenant (the others stay as they are). */
  enableTypes(
    partnerId: string,
    tenantIds: readonly string[],
    types: readonly ObjectTypeKey[],
  ): Observable<BulkResult> {
    const body: BulkSettingsRequest = { tenantIds: [...tenantIds], enableTypes: [...types] };
    return this.http
      .post<unknown>(bulkSettingsUrl(partnerId), body)
      .pipe(map((raw) => bulkResultSchema.parse(raw)));
  }

  /** Ends the partner's management of a customer tenant. */
  release(partnerId: string, tenantId: string): Observable<void> {
    return this.http.delete<void>(`${partnerTenantsUrl(partnerId)}/${encodeURIComponent(tenantId)}`);
  }

  /** Hands a customer tenant over to another partner. */
  handOver(partnerId: string, tenantId: string, toPartnerId: string): Observable<unknown> {
    const body: HandOverRequest = { toPartnerId };
    return this.http.post<unknown>(
      `${partnerTenantsUrl(partnerId)}/${encodeURIComponent(tenantId)}/hand-over`,
      body,
    );
  }

  // Staff writes answer with the member; the page reads the list again instead of merging it.
  addStaff(partnerId: string, request: AddStaffRequest): Observable<unknown> {
    return this.http.post<unknown>(staffUrl(partnerId), request);
  }

  changeRole(partnerId: string, upn: string, role: PartnerRole): Observable<unknown> {
    const body: ChangeStaffRequest = { role };
    return this.http.patch<unknown>(staffMemberUrl(partnerId, upn), body);
  }

  removeStaff(partnerId: string, upn: string): Observable<void> {
    return this.http.delete<void>(staffMemberUrl(partnerId, upn));
  }

  /** Creates a link for a new customer; its URL is in this answer only. */
  createOnboardingLink(partnerId: string, request: CreateOnboardingLinkRequest): Observable<OnboardingLink> {
    return this.http
      .post<unknown>(onboardingLinksUrl(partnerId), request)
      .pipe(map((raw) => onboardingLinkSchema.parse(raw)));
  }

  revokeOnboardingLink(partnerId: string, linkId: string): Observable<void> {
    return this.http.delete<void>(`${onboardingLinksUrl(partnerId)}/${encodeURIComponent(linkId)}`);
  }
}
