import { z } from 'zod';
import { partnerRoleSchema } from './access.schemas';
import { backupRunStatusSchema } from './backup.schemas';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from './object-types';

// ---------------------------------------------------------------------------------------------
// Partners (resellers): their staff, their customer tenants, onboarding links.
// Routes (under /api, and /api/v1):
//   GET    partners/:partnerId                               the partner and the caller's role
//   GET    partners/:partnerId/tenants                       dashboard rows (cursor, filter, sort)
//   POST   partners/:partnerId/bulk/backups                  back up now, several tenants
//   POST   partners/:partnerId/bulk/settings                 switch types on, several tenants
//   GET|POST partners/:partnerId/staff, PATCH|DELETE partners/:partnerId/staff/:upn
//   GET|POST partners/:partnerId/onboarding-links, DELETE …/onboarding-links/:linkId
//   POST   partners/:partnerId/tenants/:tenantId/hand-over   to another partner
//   DELETE partners/:partnerId/tenants/:tenantId             release the tenant
//   GET    onboarding/:token (public), POST onboarding/:token/accept (signed-in tenant admin)
//   GET|DELETE tenants/:tenantId/partner-link                the tenant admin's view and revoke
// ---------------------------------------------------------------------------------------------

const objectTypeKeySchema = z.enum(OBJECT_TYPE_KEYS as [ObjectTypeKey, ...ObjectTypeKey[]]);

export const partnerSchema = z.object({
  partnerId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  /** The caller's role at the partner (absent for an API key or an installation operator). */
  role: partnerRoleSchema.optional(),
});
export type PartnerResponse = z.infer<typeof partnerSchema>;

/**
 * Filters of the partner dashboard: `failing` — the last finished run failed or some of its types
 * did; `stale` — no completed (or partial) backup within STALE_BACKUP_HOURS, or none ever;
 * `no-consent` — admin consent never granted or withdrawn (state `none` or `revoked`).
 */
export const PARTNER_TENANT_FILTERS = ['failing', 'stale', 'no-consent'] as const;
export const partnerTenantFilterSchema = z.enum(PARTNER_TENANT_FILTERS);
export type PartnerTenantFilter = z.infer<typeof partnerTenantFilterSchema>;

/** A backup older than this is stale (the dashboard's `stale` filter). */
export const STALE_BACKUP_HOURS = 24;

export const consentHealthSchema = z.object({
  /** `ok`: every permission granted; `missing`: some not granted; `revoked`: consent was withdrawn; `none`: never granted. */
  state: z.enum(['ok', 'missing', 'revoked', 'none']),
  /** Graph application permissions the backup or restore needs but does not have. */
  missing: z.array(z.string()),
});
export type ConsentHealth = z.infer<typeof consentHealthSchema>;

export const partnerTenantRowSchema = z.object({
  tenantId: z.string(),
  displayName: z.string(),
  linkedAt: z.string().nullable(),
  consent: consentHealthSchema,
  lastBackup: z
    .object({
      runId: z.string(),
      status: backupRunStatusSchema,
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      /** Hours since the last completed (or partial) backup finished. */
      ageHours: z.number().nullable(),
    })
    .nullable(),
  nextBackupAt: z.string().nullable(),
  /** Types that failed in the last run. */
  failingTypes: z.array(objectTypeKeySchema),
  enabledTypes: z.array(objectTypeKeySchema),
  /** Bytes of stored backup data of the tenant. */
  storageBytes: z.number().int().nonnegative(),
});
export type PartnerTenantRow = z.infer<typeof partnerTenantRowSchema>;

export const partnerTenantPageSchema = z.object({
  items: z.array(partnerTenantRowSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** Tenants matching the filter (all pages). */
  total: z.number().int().nonnegative(),
});
export type PartnerTenantPage = z.infer<typeof partnerTenantPageSchema>;

export const partnerTenantQuerySchema = z
  .object({
    filter: partnerTenantFilterSchema.optional(),
    search: z.string().max(256).optional(),
    /**
     * `name`: A to Z; `lastBackup`: longest without a good backup first (never backed up first);
     * `storage`: most stored first. Ties are broken by name, then tenant id, so pages are stable.
     */
    sort: z.enum(['name', 'lastBackup', 'storage']).default('name'),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type PartnerTenantQuery = z.input<typeof partnerTenantQuerySchema>;

const tenantIdListSchema = z
  .array(z.string().regex(/^[0-9a-fA-F-]{36}$/, { message: 'tenantIds must be tenant id GUIDs' }))
  .min(1, { message: 'choose at least one tenant' })
  .max(500);

/** `POST partners/:partnerId/bulk/backups` */
export const bulkBackupRequestSchema = z.object({ tenantIds: tenantIdListSchema }).strict();
export type BulkBackupRequest = z.infer<typeof bulkBackupRequestSchema>;

/** `POST partners/:partnerId/bulk/settings`: switch the given types on (others stay as they are). */
export const bulkSettingsRequestSchema = z
  .object({ tenantIds: tenantIdListSchema, enableTypes: z.array(objectTypeKeySchema).min(1) })
  .strict();
export type BulkSettingsRequest = z.infer<typeof bulkSettingsRequestSchema>;

/** One tenant's outcome of a bulk action: its own error body when it failed. */
export const bulkResultSchema = z.object({
  items: z.array(
    z.object({
      tenantId: z.string(),
      ok: z.boolean(),
      /** The backup run started (bulk backups). */
      runId: z.string().optional(),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});
export type BulkResult = z.infer<typeof bulkResultSchema>;

/** A sign-in name (UPN) of a partner's staff, compared lower-case. */
export const staffUpnSchema = z
  .string()
  .trim()
  .toLowerCase()
  .email({ message: 'upn must be a sign-in name such as ana@contoso.com' });

/** The installation operator creates a partner with its first Owner (`entra-backup partner add`). */
export const createPartnerRequestSchema = z
  .object({
    name: z.string().trim().min(1, { message: 'name the partner' }).max(256),
    ownerUpn: staffUpnSchema,
  })
  .strict();
export type CreatePartnerRequest = z.input<typeof createPartnerRequestSchema>;

export const staffMemberSchema = z.object({
  upn: z.string(),
  role: partnerRoleSchema,
  /** Bound on the person's first sign-in; null until then. */
  homeTenantId: z.string().nullable(),
  addedAt: z.string(),
  addedBy: z.string(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;
export const staffListSchema = z.object({ items: z.array(staffMemberSchema) });
export type StaffList = z.infer<typeof staffListSchema>;

export const addStaffRequestSchema = z
  .object({
    upn: staffUpnSchema,
    role: partnerRoleSchema,
  })
  .strict();
export type AddStaffRequest = z.input<typeof addStaffRequestSchema>;
export const changeStaffRequestSchema = z.object({ role: partnerRoleSchema }).strict();
export type ChangeStaffRequest = z.infer<typeof changeStaffRequestSchema>;

export const onboardingLinkSchema = z.object({
  linkId: z.string(),
  customerName: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.string(),
  /** `open` until used, revoked or expired. */
  status: z.enum(['open', 'used', 'expired', 'revoked']),
  usedByTenantId: z.string().nullable(),
  /** The link to send to the customer: only in the answer that created it. */
  url: z.string().optional(),
});
export type OnboardingLink = z.infer<typeof onboardingLinkSchema>;
export const onboardingLinkListSchema = z.object({ items: z.array(onboardingLinkSchema) });
export type OnboardingLinkList = z.infer<typeof onboardingLinkListSchema>;

export const createOnboardingLinkRequestSchema = z
  .object({
    customerName: z.string().trim().min(1, { message: 'name the customer' }).max(256),
    /** Default 72 hours, at most 30 days. */
    expiresInHours: z.number().int().min(1).max(720).default(72),
  })
  .strict();
export type CreateOnboardingLinkRequest = z.input<typeof createOnboardingLinkRequestSchema>;

/** The portal page a customer opens from an onboarding link (`<public url>` + this). */
export function onboardingPortalPath(token: string): string {
  return `/onboard/${encodeURIComponent(token)}`;
}

/** `GET onboarding/:token` (public): what the customer is asked to accept. */
export const onboardingInvitationSchema = z.object({
  partnerName: z.string(),
  customerName: z.string(),
  expiresAt: z.string(),
  status: z.enum(['open', 'used', 'expired', 'revoked']),
});
export type OnboardingInvitation = z.infer<typeof onboardingInvitationSchema>;

/** `POST onboarding/:token/accept`: the tenant is linked; consent follows at `consentUrl` when not yet granted. */
export const onboardingAcceptedSchema = z.object({
  tenantId: z.string(),
  partnerId: z.string(),
  partnerName: z.string(),
  consentUrl: z.string().nullable(),
});
export type OnboardingAccepted = z.infer<typeof onboardingAcceptedSchema>;

export const handOverRequestSchema = z.object({ toPartnerId: z.string().uuid() }).strict();
export type HandOverRequest = z.infer<typeof handOverRequestSchema>;

/** `GET tenants/:tenantId/partner-link` */
export const partnerLinkSchema = z.object({
  partner: z.object({ partnerId: z.string(), name: z.string() }).nullable(),
  linkedAt: z.string().nullable(),
});
export type PartnerLink = z.infer<typeof partnerLinkSchema>;
