import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type ConsentStartResponse,
  type ConsentStatusResponse,
  type ObjectTypeKey,
  type PartnerLink,
  type PruneRunResponse,
  type RetentionPolicy,
  type RetentionPreviewResponse,
  type RetentionSettingsResponse,
  type UpdateRetentionRequest,
  type ScheduleResponse,
  type SettingsStatusResponse,
  type UpdateSettingsRequest,
  consentStartSchema,
  consentStatusSchema,
  partnerLinkSchema,
  pruneRunSchema,
  retentionPreviewSchema,
  retentionSettingsSchema,
  scheduleSchema,
  settingsStatusSchema,
} from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

function tenantUrl(tenantId: string, path: string): string {
  return `/api/tenants/${encodeURIComponent(tenantId)}/${path}`;
}

export const settingsUrl = (tenantId: string) => tenantUrl(tenantId, 'settings');
export const consentUrl = (tenantId: string) => tenantUrl(tenantId, 'consent');
export const scheduleUrl = (tenantId: string) => tenantUrl(tenantId, 'schedule');
export const partnerLinkUrl = (tenantId: string) => tenantUrl(tenantId, 'partner-link');
export const retentionUrl = (tenantId: string) => tenantUrl(tenantId, 'retention');

/** A read of one tenant's resource, validated by its shared schema; idle while the tenant is undefined. */
function tenantResource<T>(
  tenantId: Signal<string | undefined>,
  url: (tenantId: string) => string,
  parse: (raw: unknown) => T,
): HttpResourceRef<T | undefined> {
  return httpResource(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : url(id);
    },
    { parse },
  );
}

/** The tenant's object types with their permission status and whether consent is granted. */
export function tenantSettingsResource(tenantId: Signal<string | undefined>) {
  return tenantResource<SettingsStatusResponse>(tenantId, settingsUrl, (raw) =>
    settingsStatusSchema.parse(raw),
  );
}

/** The tenant's admin consent: granted or not, and which read and write permissions it covers. */
export function consentStatusResource(tenantId: Signal<string | undefined>) {
  return tenantResource<ConsentStatusResponse>(tenantId, consentUrl, (raw) => consentStatusSchema.parse(raw));
}

/** When the tenant's automatic backups run. */
export function scheduleResource(tenantId: Signal<string | undefined>) {
  return tenantResource<ScheduleResponse>(tenantId, scheduleUrl, (raw) => scheduleSchema.parse(raw));
}

/** The partner managing the tenant, if any, and since when (for the tenant's own admins). */
export function partnerLinkResource(tenantId: Signal<string | undefined>) {
  return tenantResource<PartnerLink>(tenantId, partnerLinkUrl, (raw) => partnerLinkSchema.parse(raw));
}

/** The tenant's retention policy (or the defaults), legal hold and last prune. */
export function retentionResource(tenantId: Signal<string | undefined>) {
  return tenantResource<RetentionSettingsResponse>(tenantId, retentionUrl, (raw) =>
    retentionSettingsSchema.parse(raw),
  );
}

/** Writes of the Settings page. The CSRF header is added by the session interceptor. */
@Injectable({ providedIn: 'root' })
export class SettingsApi {
  private readonly http = inject(HttpClient);

  /** Switches one object type on or off; the server merges it into the stored settings. */
  setObjectType(tenantId: string, key: ObjectTypeKey, enabled: boolean): Observable<SettingsStatusResponse> {
    const body: UpdateSettingsRequest = { enabledTypes: { [key]: enabled } };
    return this.http
      .put<unknown>(settingsUrl(tenantId), body)
      .pipe(map((raw) => settingsStatusSchema.parse(raw)));
  }

  /** Saves the retention policy and/or places or releases the legal hold. */
  updateRetention(tenantId: string, body: UpdateRetentionRequest): Observable<RetentionSettingsResponse> {
    return this.http
      .put<unknown>(retentionUrl(tenantId), body)
      .pipe(map((raw) => retentionSettingsSchema.parse(raw)));
  }

  /** "Calculate effect": what pruning now with `policy` would remove and free (nothing is changed). */
  previewRetention(tenantId: string, policy: RetentionPolicy): Observable<RetentionPreviewResponse> {
    return this.http
      .post<unknown>(`${retentionUrl(tenantId)}/preview`, { policy })
      .pipe(map((raw) => retentionPreviewSchema.parse(raw)));
  }

  /** Prunes now by the saved policy; answers the prune record. */
  pruneNow(tenantId: string): Observable<PruneRunResponse> {
    return this.http
      .post<unknown>(`${retentionUrl(tenantId)}/prune`, {})
      .pipe(map((raw) => pruneRunSchema.parse(raw)));
  }

  /** Ends the partner's access to the tenant (the tenant's own admins). */
  revokePartnerLink(tenantId: string): Observable<void> {
    return this.http.delete<void>(partnerLinkUrl(tenantId));
  }

  /** Where to send the browser to grant admin consent (Microsoft's admin-consent page). */
  startConsent(tenantId: string): Observable<ConsentStartResponse> {
    return this.http
      .post<unknown>(`${consentUrl(tenantId)}/start`, {})
      .pipe(map((raw) => consentStartSchema.parse(raw)));
  }
}
