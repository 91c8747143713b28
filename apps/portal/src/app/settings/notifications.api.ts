import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type AlertSettings,
  type CreatedNotificationRecipient,
  type CreateNotificationRecipientRequest,
  type NotificationPage,
  type NotificationRecipientList,
  type TestNotificationResult,
  alertSettingsSchema,
  createdNotificationRecipientSchema,
  notificationPageSchema,
  notificationRecipientListSchema,
  testNotificationResultSchema,
} from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

/** Where a tenant's or a partner's recipients and delivery log live. */
export interface NotificationOwnerUrls {
  readonly recipients: string;
  readonly deliveries: string;
}

export const tenantNotificationUrls = (tenantId: string): NotificationOwnerUrls => ({
  recipients: `/api/tenants/${encodeURIComponent(tenantId)}/notification-recipients`,
  deliveries: `/api/tenants/${encodeURIComponent(tenantId)}/notifications`,
});

export const partnerNotificationUrls = (partnerId: string): NotificationOwnerUrls => ({
  recipients: `/api/partners/${encodeURIComponent(partnerId)}/notification-recipients`,
  deliveries: `/api/partners/${encodeURIComponent(partnerId)}/notifications`,
});

export const alertSettingsUrl = (tenantId: string) =>
  `/api/tenants/${encodeURIComponent(tenantId)}/alert-settings`;

/** Deliveries shown in the log. */
export const DELIVERY_LOG_SIZE = 20;

/** The recipients at a URL of `tenantNotificationUrls` / `partnerNotificationUrls`. */
export function recipientsResource(
  urls: Signal<NotificationOwnerUrls | undefined>,
): HttpResourceRef<NotificationRecipientList | undefined> {
  return httpResource(() => urls()?.recipients, {
    parse: (raw) => notificationRecipientListSchema.parse(raw),
  });
}

/** The latest deliveries with their attempts. */
export function deliveriesResource(
  urls: Signal<NotificationOwnerUrls | undefined>,
): HttpResourceRef<NotificationPage | undefined> {
  return httpResource(
    () => {
      const u = urls();
      return u === undefined
        ? undefined
        : { url: u.deliveries, params: { limit: String(DELIVERY_LOG_SIZE) } };
    },
    { parse: (raw) => notificationPageSchema.parse(raw) },
  );
}

export function alertSettingsResource(
  tenantId: Signal<string | undefined>,
): HttpResourceRef<AlertSettings | undefined> {
  return httpResource(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : alertSettingsUrl(id);
    },
    { parse: (raw) => alertSettingsSchema.parse(raw) },
  );
}

/** Writes of the notifications card and page. The CSRF header is added by the session interceptor. */
@Injectable({ providedIn: 'root' })
export class NotificationsApi {
  private readonly http = inject(HttpClient);

  /** Adds a recipient; a webhook's signing secret is in the answer this once only. */
  addRecipient(
    urls: NotificationOwnerUrls,
    request: CreateNotificationRecipientRequest,
  ): Observable<CreatedNotificationRecipient> {
    return this.http
      .post<unknown>(urls.recipients, request)
      .pipe(map((raw) => createdNotificationRecipientSchema.parse(raw)));
  }

  removeRecipient(urls: NotificationOwnerUrls, recipientId: string): Observable<void> {
    return this.http
      .delete(`${urls.recipients}/${encodeURIComponent(recipientId)}`)
      .pipe(map(() => undefined));
  }

  sendTest(urls: NotificationOwnerUrls, recipientId: string): Observable<TestNotificationResult> {
    return this.http
      .post<unknown>(`${urls.recipients}/${encodeURIComponent(recipientId)}/test`, {})
      .pipe(map((raw) => testNotificationResultSchema.parse(raw)));
  }

  saveAlertSettings(tenantId: string, settings: AlertSettings): Observable<AlertSettings> {
    return this.http
      .put<unknown>(alertSettingsUrl(tenantId), settings)
      .pipe(map((raw) => alertSettingsSchema.parse(raw)));
  }
}
