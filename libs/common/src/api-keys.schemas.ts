import { z } from 'zod';
import {
  API_KEY_SCOPE_PERMISSIONS,
  API_KEY_SCOPES,
  type ApiKeyScope,
  apiKeyScopeSchema,
  PARTNER_ROLE_PERMISSIONS,
  type PartnerRole,
  type Permission,
  TENANT_ADMIN_PERMISSIONS,
} from './access.schemas';
import { cursorPage, cursorPagedQuery } from './paging';
import { GUID_PATTERN } from './tenant.schemas';

// ---------------------------------------------------------------------------------------------
// API keys (`Authorization: Bearer eb_<prefix>_<secret>`). Routes (under /api and /api/v1):
//   GET|POST tenants/:tenantId/api-keys                      a tenant's own keys
//   POST     tenants/:tenantId/api-keys/:keyId/rotate, DELETE tenants/:tenantId/api-keys/:keyId
//   GET|POST partners/:partnerId/api-keys                    a partner's keys (its customer tenants)
//   POST     partners/:partnerId/api-keys/:keyId/rotate, DELETE partners/:partnerId/api-keys/:keyId
// All need `keys:manage`, which no API key holds: keys never manage keys.
// ---------------------------------------------------------------------------------------------

/** What each scope lets a key do, for the portal's checkboxes and the API description. */
export const API_KEY_SCOPE_LABELS: Readonly<Record<ApiKeyScope, { label: string; description: string }>> = {
  read: {
    label: 'Read',
    description: 'See tenants, settings, runs, snapshots, objects, history, comparisons and restores',
  },
  backup: { label: 'Back up', description: 'Start backups' },
  restore: { label: 'Restore', description: 'Plan and run restores' },
  export: { label: 'Export', description: 'Download exports and reveal secrets such as BitLocker keys' },
  admin: { label: 'Administer', description: 'Change settings (and, for a partner, onboard customers)' },
};

/** The permissions a set of scopes grants. */
export function permissionsOfScopes(scopes: readonly ApiKeyScope[]): Permission[] {
  return [...new Set(scopes.flatMap((scope) => API_KEY_SCOPE_PERMISSIONS[scope]))];
}

/** Whether a signed-in person may manage a tenant's own keys (as its admin) or a partner's (as Owner or Admin). */
export function mayManageApiKeys(
  user: {
    readonly tenantId: string;
    readonly tenantAdmin: boolean;
    readonly partners: readonly { partnerId: string; role: PartnerRole }[];
  },
  owner: { readonly tenantId: string } | { readonly partnerId: string },
): boolean {
  if ('tenantId' in owner) {
    return (
      user.tenantAdmin &&
      user.tenantId.toLowerCase() === owner.tenantId.toLowerCase() &&
      TENANT_ADMIN_PERMISSIONS.includes('keys:manage')
    );
  }
  return user.partners.some(
    (m) => m.partnerId === owner.partnerId && PARTNER_ROLE_PERMISSIONS[m.role].includes('keys:manage'),
  );
}

export const API_KEY_STATUSES = ['active', 'expired', 'revoked'] as const;
export const apiKeyStatusSchema = z.enum(API_KEY_STATUSES);
export type ApiKeyStatus = z.infer<typeof apiKeyStatusSchema>;

export const API_KEY_OWNER_KINDS = ['tenant', 'partner'] as const;
export const apiKeyOwnerKindSchema = z.enum(API_KEY_OWNER_KINDS);
export type ApiKeyOwnerKind = z.infer<typeof apiKeyOwnerKindSchema>;

/** A key as listed: never its secret. */
export const apiKeySchema = z
  .object({
    keyId: z.string(),
    /** The visible part, `eb_<8 characters>`: how people recognise the key. */
    prefix: z.string(),
    name: z.string(),
    scopes: z.array(apiKeyScopeSchema),
    ownerKind: apiKeyOwnerKindSchema,
    /** The tenant (owner kind `tenant`) or the partner (owner kind `partner`). */
    ownerId: z.string(),
    /** A partner key limited to some of its customer tenants; null: all of them (or the owner tenant). */
    tenantIds: z.array(z.string()).nullable(),
    /** Audit actor of whoever created it (`user:<upn>`). */
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    lastUsedAddress: z.string().nullable(),
    revokedAt: z.string().nullable(),
    /** The prefix of the key that replaced this one by rotation. */
    replacedBy: z.string().nullable(),
    status: apiKeyStatusSchema,
  })
  .meta({
    examples: [
      {
        keyId: '0b6f7c1e-8a55-4d0e-9a3c-2f4f1d9b7e21',
        prefix: 'eb_k3x9q2mz',
        name: 'Nightly reporting',
        scopes: ['read', 'backup'],
        ownerKind: 'partner',
        ownerId: '5d1c6c8e-3f7a-4a7e-b1d9-0e2f4a6b8c10',
        tenantIds: null,
        createdBy: 'user:ana@contoso-msp.com',
        createdAt: '2026-03-02T09:15:00.000Z',
        expiresAt: '2026-09-01T00:00:00.000Z',
        lastUsedAt: '2026-03-05T02:00:12.417Z',
        lastUsedAddress: '203.0.113.7',
        revokedAt: null,
        replacedBy: null,
        status: 'active',
      },
    ],
  });
export type ApiKey = z.infer<typeof apiKeySchema>;

export const listApiKeysQuerySchema = cursorPagedQuery(
  z
    .object({
      status: apiKeyStatusSchema.optional(),
      page: z.coerce.number().int().positive().default(1),
      pageSize: z.coerce.number().int().min(1).max(200).default(100),
    })
    .strict(),
);
export type ListApiKeysQuery = z.infer<typeof listApiKeysQuerySchema>;

export const apiKeyPageSchema = cursorPage(
  z.object({
    items: z.array(apiKeySchema),
    total: z.number().int().nonnegative(),
    page: z.number().int().positive(),
    pageSize: z.number().int().positive(),
  }),
);
export type ApiKeyPage = z.infer<typeof apiKeyPageSchema>;

const scopesSchema = z
  .array(apiKeyScopeSchema)
  .min(1, { message: 'choose at least one scope' })
  .max(API_KEY_SCOPES.length)
  .refine((scopes) => new Set(scopes).size === scopes.length, { message: 'scopes must not repeat' });

/** `POST tenants/:tenantId/api-keys` */
export const createTenantApiKeyRequestSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, { message: 'name the key' })
      .max(128, { message: 'name is at most 128 characters' }),
    scopes: scopesSchema,
    /** When the key stops working (ISO 8601, in the future); none: until revoked. */
    expiresAt: z.iso
      .datetime({ offset: true, message: 'expiresAt must be an ISO 8601 date-time' })
      .optional(),
  })
  .strict()
  .meta({ examples: [{ name: 'Nightly reporting', scopes: ['read'], expiresAt: '2026-09-01T00:00:00Z' }] });
export type CreateTenantApiKeyRequest = z.input<typeof createTenantApiKeyRequestSchema>;

/** `POST partners/:partnerId/api-keys`: optionally limited to some of the partner's tenants. */
export const createPartnerApiKeyRequestSchema = createTenantApiKeyRequestSchema
  .extend({
    tenantIds: z
      .array(z.string().regex(GUID_PATTERN, { message: 'tenantIds must be tenant id GUIDs' }))
      .min(1, { message: 'choose at least one tenant, or leave tenantIds out for all of them' })
      .max(500)
      .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
      .optional(),
  })
  .strict()
  .meta({
    examples: [
      {
        name: 'Backup automation',
        scopes: ['read', 'backup'],
        tenantIds: ['72f988bf-86f1-41af-91ab-2d7cd011db47'],
      },
    ],
  });
export type CreatePartnerApiKeyRequest = z.input<typeof createPartnerApiKeyRequestSchema>;

/** The answer of a create or rotate: the key with its full secret, shown this once. */
export const createdApiKeySchema = apiKeySchema
  .extend({
    /** `eb_<prefix>_<secret>`: send as `Authorization: Bearer <key>`. It cannot be shown again. */
    key: z.string(),
  })
  .meta({
    examples: [
      {
        keyId: '0b6f7c1e-8a55-4d0e-9a3c-2f4f1d9b7e21',
        prefix: 'eb_k3x9q2mz',
        key: 'eb_k3x9q2mz_8bV0a1qY3m0s9dLz2Xw6fQe4R7tU1iO5pA9sD3fG2hJ',
        name: 'Nightly reporting',
        scopes: ['read'],
        ownerKind: 'tenant',
        ownerId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        tenantIds: null,
        createdBy: 'user:admin@contoso.com',
        createdAt: '2026-03-02T09:15:00.000Z',
        expiresAt: null,
        lastUsedAt: null,
        lastUsedAddress: null,
        revokedAt: null,
        replacedBy: null,
        status: 'active',
      },
    ],
  });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

/** Longest overlap a rotation may give the old key. */
export const MAX_ROTATION_GRACE_MINUTES = 24 * 60;

/** `POST …/api-keys/:keyId/rotate` (body optional). */
export const rotateApiKeyRequestSchema = z
  .object({
    /**
     * Minutes the old key keeps working, so running jobs can switch over (at most a day);
     * 0 (default): it is refused from the next request on.
     */
    graceMinutes: z.number().int().min(0).max(MAX_ROTATION_GRACE_MINUTES).default(0),
  })
  .strict();
export type RotateApiKeyRequest = z.input<typeof rotateApiKeyRequestSchema>;

/** Path parameter `:keyId`. */
export const apiKeyIdSchema = z.string().uuid({ message: 'keyId must be the id of an API key (a UUID)' });

/**
 * Request header that makes a trigger or restore safe to retry: a repeat of the key (same caller,
 * route and body) within a day gets the first answer back, marked with `Idempotent-Replayed: true`.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_REPLAYED_HEADER = 'Idempotent-Replayed';
