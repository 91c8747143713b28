import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Alerts and notifications: who is told (mail addresses and signed webhooks, per tenant and per
// partner), of what (backup, consent, restore and prune events, identity alerts computed from each
// backup's diff), with thresholds and a daily digest per tenant. Routes (under /api):
//   GET|POST tenants/:tenantId/notification-recipients, DELETE …/:recipientId   (settings:write)
//   POST     tenants/:tenantId/notification-recipients/:recipientId/test        (settings:write)
//   GET|PUT  tenants/:tenantId/alert-settings                          (tenants:read / settings:write)
//   GET|POST partners/:partnerId/notification-recipients, DELETE, …/test       (settings:write)
//   GET      partners/:partnerId/notifications                                  (settings:write)
//   GET      tenants/:tenantId/notifications (the delivery log)                 (tenants:read)
// ---------------------------------------------------------------------------------------------

/** Every kind of alert the product sends (the `kind` of notifications and webhook documents). */
export const ALERT_KINDS = [
  'backup.failed',
  'backup.partial',
  'backup.stale',
  'consent.revoked',
  'consent.missing',
  'restore.finished',
  'prune.failed',
  'identity.mass-deletion',
  'identity.conditional-access',
  'identity.privileged-role',
  'identity.new-credential',
  'identity.bitlocker-reads',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Mail of several alerts in one, sent once a day when a tenant asks for a digest. */
export const DIGEST_KIND = 'alerts.digest';
/** A message sent on demand to check a recipient. */
export const TEST_KIND = 'notifications.test';

/** Webhook headers: HMAC-SHA256 over `<timestamp>.<raw body>` with the endpoint's secret. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-entrabackup-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-entrabackup-timestamp';
/** The same for every attempt of one delivery, so a receiver can drop repeats. */
export const WEBHOOK_DELIVERY_HEADER = 'x-entrabackup-delivery';

export const RECIPIENT_CHANNELS = ['email', 'webhook'] as const;
export type RecipientChannel = (typeof RECIPIENT_CHANNELS)[number];

export const notificationRecipientSchema = z.object({
  id: z.string(),
  channel: z.enum(RECIPIENT_CHANNELS),
  /** A mail address or a webhook URL. */
  address: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type NotificationRecipient = z.infer<typeof notificationRecipientSchema>;

export const notificationRecipientListSchema = z.object({ items: z.array(notificationRecipientSchema) });
export type NotificationRecipientList = z.infer<typeof notificationRecipientListSchema>;

export const createNotificationRecipientSchema = z
  .object({
    channel: z.enum(RECIPIENT_CHANNELS),
    /** A mail address, or the https:// (or http://) URL of a webhook. */
    address: z.string().trim().min(1).max(2048),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.channel === 'email') {
      if (value.address.length > 254 || !z.string().email().safeParse(value.address).success)
        ctx.addIssue({
          code: 'custom',
          path: ['address'],
          message: 'Enter a mail address, such as soc@contoso.com',
        });
    } else if (!/^https?:\/\//i.test(value.address) || !z.string().url().safeParse(value.address).success) {
      ctx.addIssue({
        code: 'custom',
        path: ['address'],
        message: 'Enter the webhook URL, starting with https:// (or http://)',
      });
    }
  });
export type CreateNotificationRecipientRequest = z.infer<typeof createNotificationRecipientSchema>;

/** A new recipient; a webhook's signing secret is shown here once and never again. */
export const createdNotificationRecipientSchema = notificationRecipientSchema.extend({
  secret: z.string().nullable(),
});
export type CreatedNotificationRecipient = z.infer<typeof createdNotificationRecipientSchema>;

export const DEFAULT_MASS_DELETION_THRESHOLD = 20;
export const DEFAULT_BITLOCKER_READ_THRESHOLD = 10;

export const alertSettingsSchema = z.object({
  /** An alert when more than this many objects of one type are gone since the last snapshot. */
  massDeletionThreshold: z.number().int().min(1).max(1_000_000),
  /** An alert when more than this many BitLocker keys were read since the last snapshot. */
  bitlockerReadThreshold: z.number().int().min(1).max(1_000_000),
  /** One mail a day with every alert instead of one mail per alert. */
  dailyDigest: z.boolean(),
});
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  massDeletionThreshold: DEFAULT_MASS_DELETION_THRESHOLD,
  bitlockerReadThreshold: DEFAULT_BITLOCKER_READ_THRESHOLD,
  dailyDigest: false,
};

export const testNotificationResultSchema = z.object({ notificationId: z.string() });
export type TestNotificationResult = z.infer<typeof testNotificationResultSchema>;
