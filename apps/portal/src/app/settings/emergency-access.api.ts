import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type BreakGlassAccountList,
  type CreateBreakGlassAccountRequest,
  type CreatedBreakGlassAccount,
  type EmergencyContacts,
  type NotificationPage,
  type UpdateEmergencyContactsRequest,
  breakGlassAccountListSchema,
  createdBreakGlassAccountSchema,
  emergencyContactsSchema,
  notificationPageSchema,
} from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

export const breakGlassAccountsUrl = (tenantId: string) =>
  `/api/tenants/${encodeURIComponent(tenantId)}/break-glass-accounts`;
export const partnerEmergencyContactsUrl = (partnerId: string) =>
  `/api/partners/${encodeURIComponent(partnerId)}/emergency-contacts`;
export const emergencyContactsUrl = (tenantId: string) =>
  `/api/tenants/${encodeURIComponent(tenantId)}/emergency-contacts`;

/** The tenant's break-glass accounts; idle while the tenant is undefined. */
export function breakGlassAccountsResource(
  tenantId: Signal<string | undefined>,
): HttpResourceRef<BreakGlassAccountList | undefined> {
  return httpResource(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : breakGlassAccountsUrl(id);
    },
    { parse: (raw) => breakGlassAccountListSchema.parse(raw) },
  );
}

export const notificationsUrl = (tenantId: string) =>
  `/api/tenants/${encodeURIComponent(tenantId)}/notifications`;

/** Notifications shown on the card. */
export const RECENT_NOTIFICATIONS = 10;

/** The tenant's latest notifications (emergency sign-ins, ...) with how each was delivered. */
export function recentNotificationsResource(
  tenantId: Signal<string | undefined>,
): HttpResourceRef<NotificationPage | undefined> {
  return httpResource(
    () => {
      const id = tenantId();
      return id === undefined
        ? undefined
        : { url: notificationsUrl(id), params: { limit: String(RECENT_NOTIFICATIONS) } };
    },
    { parse: (raw) => notificationPageSchema.parse(raw) },
  );
}

/** Who is told of emergency sign-ins, at a tenant's or a partner's contacts URL. */
export function emergencyContactsResource(
  url: Signal<string | undefined>,
): HttpResourceRef<EmergencyContacts | undefined> {
  return httpResource(() => url(), { parse: (raw) => emergencyContactsSchema.parse(raw) });
}

/** Writes of the emergency access card. The CSRF header is added by the session interceptor. */
@Injectable({ providedIn: 'root' })
export class EmergencyAccessApi {
  private readonly http = inject(HttpClient);

  /** Creates an account; the answer carries its TOTP secret and QR code, this once only. */
  createAccount(
    tenantId: string,
    request: CreateBreakGlassAccountRequest,
  ): Observable<CreatedBreakGlassAccount> {
    return this.http
      .post<unknown>(breakGlassAccountsUrl(tenantId), request)
      .pipe(map((raw) => createdBreakGlassAccountSchema.parse(raw)));
  }

  deleteAccount(tenantId: string, accountId: string): Observable<void> {
    return this.http
      .delete(`${breakGlassAccountsUrl(tenantId)}/${encodeURIComponent(accountId)}`)
      .pipe(map(() => undefined));
  }

  /** Writes a tenant's or a partner's contacts (`url` as for `emergencyContactsResource`). */
  saveContacts(url: string, request: UpdateEmergencyContactsRequest): Observable<EmergencyContacts> {
    return this.http.put<unknown>(url, request).pipe(map((raw) => emergencyContactsSchema.parse(raw)));
  }
}
