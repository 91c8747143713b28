import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// The application's audit log (who did what, where, from which address, with what outcome).
// Routes (under /api):
//   GET tenants/:tenantId/audit              one tenant's events, newest first (cursor)
//   GET tenants/:tenantId/audit.csv|.json    the same filters, every matching event, streamed
//   GET partners/:partnerId/audit            the partner's own events and its tenants' events
//   GET partners/:partnerId/audit.csv|.json
// The log is append-only: nothing in the product changes or deletes an event.
// ---------------------------------------------------------------------------------------------

/** How an audited action ended: done, refused (no right, bad credentials), or failed while doing it. */
export const AUDIT_OUTCOMES = ['success', 'refused', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export const auditOutcomeSchema = z.enum(AUDIT_OUTCOMES);

/**
 * Who acted: a signed-in person, an API key, a break-glass account, the command line, the service
 * itself (the schedule), or an unidentified caller (a refused request without credentials).
 */
export const AUDIT_PRINCIPAL_KINDS = [
  'person',
  'api-key',
  'emergency',
  'cli',
  'system',
  'anonymous',
] as const;
export type AuditPrincipalKind = (typeof AUDIT_PRINCIPAL_KINDS)[number];
export const auditPrincipalKindSchema = z.enum(AUDIT_PRINCIPAL_KINDS);

export const AUDIT_PRINCIPAL_KIND_LABELS: Readonly<Record<AuditPrincipalKind, string>> = {
  person: 'Person',
  'api-key': 'API key',
  emergency: 'Break-glass account',
  cli: 'Command line',
  system: 'Service',
  anonymous: 'Unidentified',
};

/**
 * Groups of actions for filtering: an action (`backup.started`) belongs to the category before its
 * first dot. `action=backup.*` selects a category.
 */
export const AUDIT_ACTION_CATEGORIES = [
  { key: 'auth', label: 'Sign-ins' },
  { key: 'access', label: 'Refused access' },
  { key: 'consent', label: 'Admin consent' },
  { key: 'settings', label: 'Settings' },
  { key: 'backup', label: 'Backups' },
  { key: 'restore', label: 'Restores' },
  { key: 'export', label: 'Exports' },
  { key: 'bitlocker', label: 'BitLocker keys' },
  { key: 'emergency', label: 'Emergency access' },
  { key: 'key', label: 'API keys' },
  { key: 'staff', label: 'Partner staff' },
  { key: 'partner', label: 'Partner' },
  { key: 'onboarding', label: 'Onboarding' },
  { key: 'tenant', label: 'Tenant' },
] as const;

/** One action (`auth.signed-in`) or one category (`auth.*`). */
const ACTION_FILTER_ITEM = /^[a-z][a-z0-9-]*(?:\.(?:[a-z0-9-]+|\*))?$/;

export const auditEventSchema = z.object({
  id: z.string(),
  /** ISO 8601. */
  occurredAt: z.string(),
  /** What happened, e.g. `backup.started`, `access.refused`. */
  action: z.string(),
  /** `user:<upn>`, `key:eb_<prefix>`, `emergency:<user name>`, `cli:<os user>`, `schedule`, `anonymous`. */
  actor: z.string(),
  principalKind: auditPrincipalKindSchema,
  tenantId: z.string().nullable(),
  /** Set on partner-level events (staff, keys, onboarding) and on events of a partner's staff. */
  partnerId: z.string().nullable(),
  /** The caller's network address, when the action came over HTTP. */
  address: z.string().nullable(),
  outcome: auditOutcomeSchema,
  /** Facts of the event (run id, changed types, refused permission, ...). Never secrets. */
  details: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditPageSchema = z.object({
  items: z.array(auditEventSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

const isoInstant = (name: string) =>
  z.iso
    .datetime({
      offset: true,
      message: `${name} must be an ISO 8601 date and time, such as 2026-12-01T00:00:00Z`,
    })
    .transform((value) => new Date(value).toISOString());

/** Filters of the audit log and its downloads. */
export const auditFilterSchema = z.object({
  /** Comma-separated actions or categories: `auth.signed-in,backup.*`. */
  action: z
    .string()
    .trim()
    .max(512)
    .refine((value) => value.split(',').every((item) => ACTION_FILTER_ITEM.test(item.trim())), {
      message: 'action must be comma-separated actions (backup.started) or categories (backup.*)',
    })
    .optional(),
  /** Part of the actor, case-insensitive (`ana@contoso.com`, `key:eb_`). */
  actor: z.string().trim().min(1).max(256).optional(),
  outcome: auditOutcomeSchema.optional(),
  /** Events at or after this instant. */
  from: isoInstant('from').optional(),
  /** Events before this instant. */
  to: isoInstant('to').optional(),
});
export type AuditFilter = z.output<typeof auditFilterSchema>;

export const auditQuerySchema = auditFilterSchema
  .extend({
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type AuditQuery = z.input<typeof auditQuerySchema>;

export const auditExportQuerySchema = auditFilterSchema.strict();
export type AuditExportQuery = z.input<typeof auditExportQuerySchema>;

/** Columns of `audit.csv`, in order. */
export const AUDIT_CSV_COLUMNS = [
  'occurredAt',
  'action',
  'outcome',
  'actor',
  'principalKind',
  'address',
  'tenantId',
  'partnerId',
  'details',
] as const;

/** The category of an action: `backup` for `backup.started`. */
export function auditCategoryOf(action: string): string {
  const dot = action.indexOf('.');
  return dot < 0 ? action : action.slice(0, dot);
}
