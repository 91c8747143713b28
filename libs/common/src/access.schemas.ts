import { z } from 'zod';

/**
 * What a caller may do, checked per tenant by the API's one access guard (`@Requires`). Every
 * principal — a signed-in person, an API key, a break-glass account — holds some of these on some
 * tenants; the roles and key scopes below are named sets of them.
 */
export const PERMISSIONS = [
  /** See the tenant: settings, runs, snapshots, objects, history, comparisons, restores, audit. */
  'tenants:read',
  /** Start a backup now. */
  'backups:start',
  /** Plan, run and undo restores, and take the credentials of users a restore re-created. */
  'restores:run',
  /** Download exports (snapshot archives, comparison and audit downloads). */
  'exports:download',
  /** See secrets: reveal BitLocker keys, export with secrets included. */
  'secrets:reveal',
  /** Change settings (object types, admin consent, retention) of the tenant. */
  'settings:write',
  /** Create, rotate and revoke API keys. */
  'keys:manage',
  /** Add, change and remove a partner's staff. */
  'staff:manage',
  /** Create onboarding links for new customers. */
  'customers:onboard',
  /** Hand a customer tenant over to another partner, or release it. */
  'customers:manage',
  /** See and revoke the link of the tenant to its partner (the tenant's own admins). */
  'partner-link:manage',
  /** Set up break-glass accounts and contacts for emergency sign-in. */
  'emergency:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
export const permissionSchema = z.enum(PERMISSIONS);

/** Roles of a partner's staff inside the product. */
export const PARTNER_ROLES = ['owner', 'admin', 'operator', 'viewer'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];
export const partnerRoleSchema = z.enum(PARTNER_ROLES);

const READ: readonly Permission[] = ['tenants:read'];
const OPERATE: readonly Permission[] = [...READ, 'backups:start', 'restores:run'];
const ADMINISTER: readonly Permission[] = [
  ...OPERATE,
  'exports:download',
  'secrets:reveal',
  'settings:write',
  'keys:manage',
  'customers:onboard',
  'emergency:manage',
];

/**
 * Owner: manages staff, keys and customers; Admin: settings, backups, restores, exports (and keys
 * and onboarding links); Operator: backups and restores; Viewer: read only, no secrets, no export.
 */
export const PARTNER_ROLE_PERMISSIONS: Readonly<Record<PartnerRole, readonly Permission[]>> = {
  owner: [...ADMINISTER, 'staff:manage', 'customers:manage'],
  admin: ADMINISTER.filter((p) => p !== 'emergency:manage'),
  operator: OPERATE,
  viewer: READ,
};

export const PARTNER_ROLE_LABELS: Readonly<Record<PartnerRole, string>> = {
  owner: 'Owner',
  admin: 'Admin',
  operator: 'Operator',
  viewer: 'Viewer',
};

/** A tenant's own Global Administrators and Privileged Role Administrators, on their tenant. */
export const TENANT_ADMIN_PERMISSIONS: readonly Permission[] = [
  ...ADMINISTER.filter((p) => p !== 'customers:onboard'),
  'partner-link:manage',
];

/** A break-glass account: browse and restore its tenant, nothing else. */
export const EMERGENCY_PERMISSIONS: readonly Permission[] = ['tenants:read', 'restores:run'];

/** What an API key may be given. A key never manages keys, staff or customers. */
export const API_KEY_SCOPES = ['read', 'backup', 'restore', 'export', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);

export const API_KEY_SCOPE_PERMISSIONS: Readonly<Record<ApiKeyScope, readonly Permission[]>> = {
  read: ['tenants:read'],
  backup: ['backups:start'],
  restore: ['restores:run'],
  export: ['exports:download', 'secrets:reveal'],
  admin: ['settings:write', 'customers:onboard'],
};

/** The API key of `Authorization: Bearer <key>`: `eb_<prefix>_<secret>`. */
export const API_KEY_PATTERN = /^eb_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

/** A partner the signed-in person works for, and their role there. */
export const partnerMembershipSchema = z.object({
  partnerId: z.string(),
  partnerName: z.string(),
  role: partnerRoleSchema,
});
export type PartnerMembership = z.infer<typeof partnerMembershipSchema>;
