import { z } from 'zod';
import { tenantIdSchema } from './tenant.schemas';

// ---------------------------------------------------------------------------------------------
// Emergency mode: break-glass accounts (local user name, password, TOTP) that sign in without
// Microsoft's identity platform, the contacts told of every use, and the notification outbox.
// Routes (under /api):
//   GET|POST tenants/:tenantId/break-glass-accounts, DELETE …/:accountId      (emergency:manage)
//   GET|PUT  tenants/:tenantId/emergency-contacts                             (emergency:manage)
//   GET|PUT  partners/:partnerId/emergency-contacts                           (emergency:manage)
//   GET      tenants/:tenantId/notifications                                  (tenants:read)
//   POST     emergency/sign-in                                                (public)
// ---------------------------------------------------------------------------------------------

/** A break-glass password has at least this many characters. */
export const BREAK_GLASS_PASSWORD_MIN_LENGTH = 14;
/** Consecutive failed sign-ins that lock a break-glass account... */
export const EMERGENCY_MAX_FAILURES = 5;
/** ...for this long. */
export const EMERGENCY_LOCK_MINUTES = 15;

const COMMON_WORDS = new Set([
  'password',
  'passw0rd',
  'qwerty',
  'qwertyuiop',
  'azerty',
  'letmein',
  'welcome',
  'admin',
  'administrator',
  'iloveyou',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'master',
  'shadow',
  'changeme',
  'secret',
  'default',
  'login',
  'trustno',
  'summer',
  'winter',
  'spring',
  'autumn',
  'backup',
  'entrabackup',
  'emergency',
  'breakglass',
  'microsoft',
  'azure',
  'office',
]);

const SEQUENCES = [
  '01234567890123456789',
  '98765432109876543210',
  'abcdefghijklmnopqrstuvwxyz',
  'zyxwvutsrqponmlkjihgfedcba',
  'qwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm',
];

/**
 * Why a break-glass password is too weak, or undefined when it will do. Deliberately simple: a
 * minimum length, and no password that is mostly one common word, one keyboard or alphabet run, a
 * repeated few characters, or the user name itself.
 */
export function weakPasswordReason(password: string, username = ''): string | undefined {
  if (password.length < BREAK_GLASS_PASSWORD_MIN_LENGTH)
    return `the password must have at least ${BREAK_GLASS_PASSWORD_MIN_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 6) return 'the password repeats too few different characters';
  const name = username.trim().toLowerCase();
  if (name.length >= 3 && lower.includes(name)) return 'the password must not contain the user name';
  const letters = lower.replace(/[^a-z]/g, '');
  const digitsAndSigns = lower.replace(/[a-z]/g, '');
  if (COMMON_WORDS.has(letters) || COMMON_WORDS.has(letters.replace(/^(.+?)\1+$/, '$1')))
    return 'the password is a common word with a few digits or signs';
  if (letters.length === 0 && /^\d+$/.test(digitsAndSigns) && new Set(digitsAndSigns).size < 8)
    return 'the password is a simple run of digits';
  if (SEQUENCES.some((run) => run.includes(lower) || run.repeat(2).includes(lower)))
    return 'the password is a keyboard or alphabet sequence';
  return undefined;
}

/** Break-glass user names: letters, digits, dot, dash, underscore (compared case-insensitively). */
export const breakGlassUsernameSchema = z
  .string()
  .trim()
  .min(3, { message: 'the user name has at least 3 characters' })
  .max(64, { message: 'the user name has at most 64 characters' })
  .regex(/^[A-Za-z0-9._-]+$/, {
    message: 'the user name may contain letters, digits, dot, dash and underscore',
  })
  .transform((value) => value.toLowerCase());

export const createBreakGlassAccountRequestSchema = z
  .object({
    username: breakGlassUsernameSchema,
    password: z.string().max(256, { message: 'the password has at most 256 characters' }),
  })
  .strict()
  .superRefine((value, ctx) => {
    const reason = weakPasswordReason(value.password, value.username);
    if (reason !== undefined) ctx.addIssue({ code: 'custom', path: ['password'], message: reason });
  });
export type CreateBreakGlassAccountRequest = z.input<typeof createBreakGlassAccountRequestSchema>;

export const breakGlassAccountSchema = z.object({
  accountId: z.string(),
  tenantId: z.string(),
  username: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
  /** Set while the account is locked after repeated failures. */
  lockedUntil: z.string().nullable(),
});
export type BreakGlassAccount = z.infer<typeof breakGlassAccountSchema>;

export const breakGlassAccountListSchema = z.object({ items: z.array(breakGlassAccountSchema) });
export type BreakGlassAccountList = z.infer<typeof breakGlassAccountListSchema>;

/** The answer that created an account: its TOTP secret, shown this once and never again. */
export const createdBreakGlassAccountSchema = z.object({
  account: breakGlassAccountSchema,
  totp: z.object({
    /** Base32, for typing into an authenticator app. */
    secret: z.string(),
    /** `otpauth://totp/...` */
    otpauthUri: z.string(),
    /** The URI as a QR code image (`data:image/png;base64,...`). */
    qrCodeDataUrl: z.string(),
  }),
});
export type CreatedBreakGlassAccount = z.infer<typeof createdBreakGlassAccountSchema>;

/** Who is told of every emergency sign-in: addresses, and optionally a webhook (JSON POST). */
export const emergencyContactsSchema = z.object({
  emails: z.array(z.string()),
  webhookUrl: z.string().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type EmergencyContacts = z.infer<typeof emergencyContactsSchema>;

export const updateEmergencyContactsRequestSchema = z
  .object({
    emails: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .pipe(z.email({ message: 'each contact must be an email address such as soc@contoso.com' })),
      )
      .max(20, { message: 'at most 20 addresses' })
      .transform((emails) => [...new Set(emails)]),
    webhookUrl: z
      .string()
      .trim()
      .max(2048)
      .refine(
        (value) => {
          try {
            return ['https:', 'http:'].includes(new URL(value).protocol);
          } catch {
            return false;
          }
        },
        { message: 'webhookUrl must be an absolute http(s) URL' },
      )
      .nullable()
      .default(null),
  })
  .strict();
export type UpdateEmergencyContactsRequest = z.input<typeof updateEmergencyContactsRequestSchema>;

/** `POST /api/emergency/sign-in` */
export const emergencySignInRequestSchema = z
  .object({
    tenantId: tenantIdSchema,
    username: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .transform((value) => value.toLowerCase()),
    password: z.string().min(1).max(256),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, { message: 'code must be the 6 digits of the authenticator app' }),
  })
  .strict();
export type EmergencySignInRequest = z.input<typeof emergencySignInRequestSchema>;

export const emergencySignInResponseSchema = z.object({
  tenantId: z.string(),
  username: z.string(),
  /** Send as the `x-csrf-token` header on state-changing requests of this session. */
  csrfToken: z.string(),
});
export type EmergencySignInResponse = z.infer<typeof emergencySignInResponseSchema>;

/**
 * `pending`: waiting for its (next) attempt; `held`: kept for the tenant's daily digest;
 * `digested`: sent as part of a digest; `failed`: every attempt failed.
 */
export const NOTIFICATION_STATUSES = ['sent', 'failed', 'recorded', 'pending', 'held', 'digested'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const NOTIFICATION_CHANNELS = ['email', 'webhook', 'none'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * One notification to one recipient. `recorded`: kept here only (no contact, or no mail server
 * configured) or not delivered yet; `sent`: handed to the mail server or accepted by the webhook.
 */
export const notificationSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  partnerId: z.string().nullable(),
  /** What it is about, e.g. `emergency.sign-in`. */
  kind: z.string(),
  subject: z.string(),
  body: z.string(),
  channel: z.enum(NOTIFICATION_CHANNELS),
  /** The address or webhook URL; null for channel `none`. */
  recipient: z.string().nullable(),
  status: z.enum(NOTIFICATION_STATUSES),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** Delivery attempts so far, and when the next one is due (pending only). */
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  /** Every attempt with its outcome (e.g. `HTTP 500`), oldest first. */
  attemptLog: z.array(
    z.object({
      attempt: z.number().int(),
      at: z.string(),
      outcome: z.enum(['sent', 'failed']),
      detail: z.string().nullable(),
    }),
  ),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationPageSchema = z.object({
  items: z.array(notificationSchema),
  nextCursor: z.string().nullable(),
});
export type NotificationPage = z.infer<typeof notificationPageSchema>;

export const notificationQuerySchema = z
  .object({
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type NotificationQuery = z.input<typeof notificationQuerySchema>;
