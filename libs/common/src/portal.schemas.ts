import { z } from 'zod';
import { partnerMembershipSchema } from './access.schemas';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from './object-types';
import { settingsSchema } from './tenant.schemas';

/*
 * The contract of the signed-in portal: session, admin consent, settings with permission
 * status, and the backup schedule. Framework-free so the API and the portal share it.
 */

// ---------------------------------------------------------------------------------------------
// Errors and headers
// ---------------------------------------------------------------------------------------------

/** Error `code`s (in the standard error body) the portal reacts to. */
export const PortalErrorCode = {
  /** 401: no signed-in session; the portal shows the sign-in landing page. */
  AUTHENTICATION_REQUIRED: 'AUTHENTICATION_REQUIRED',
  /** 403: signed in, but neither Global Administrator nor Privileged Role Administrator. */
  NO_ACCESS: 'NO_ACCESS',
  /** 403: the route names a tenant other than the signed-in user's. */
  TENANT_FORBIDDEN: 'TENANT_FORBIDDEN',
  /** 403: state-changing request without a valid `x-csrf-token` header. */
  CSRF_TOKEN_INVALID: 'CSRF_TOKEN_INVALID',
  /** 409: settings cannot be switched on before admin consent is granted. */
  CONSENT_REQUIRED: 'CONSENT_REQUIRED',
  /** 400: the admin-consent callback's `state` is missing, forged, expired or already used. */
  CONSENT_STATE_INVALID: 'CONSENT_STATE_INVALID',
} as const;
export type PortalErrorCode = (typeof PortalErrorCode)[keyof typeof PortalErrorCode];

/**
 * Every state-changing request (POST, PUT, PATCH, DELETE) of a signed-in session carries this
 * header with the `csrfToken` from `GET /api/auth/session`; otherwise 403 CSRF_TOKEN_INVALID.
 */
export const CSRF_HEADER = 'x-csrf-token';

// ---------------------------------------------------------------------------------------------
// Sign-in: GET /api/auth/session, GET /api/auth/login, GET /api/auth/callback, POST /api/auth/logout
// ---------------------------------------------------------------------------------------------

/** Directory roles that may use the portal, by role template id. */
export const PORTAL_ADMIN_ROLES = [
  { templateId: '62e90394-69f5-4237-9190-012177145e10', name: 'Global Administrator' },
  { templateId: 'e8611ab8-c189-46e8-94e1-60213ab1f814', name: 'Privileged Role Administrator' },
] as const;
export type PortalAdminRoleName = (typeof PORTAL_ADMIN_ROLES)[number]['name'];

export const sessionUserSchema = z.object({
  /** Display name from the ID token (`name`). */
  name: z.string(),
  /** Sign-in name from the ID token (`preferred_username`). */
  upn: z.string(),
  /** The user's Entra tenant (`tid`), the only tenant the session may see. */
  tenantId: z.string(),
  /** The user's object id (`oid`). */
  objectId: z.string(),
  /** Names of the admin roles (of `PORTAL_ADMIN_ROLES`) the user holds; empty for others. */
  roles: z.array(z.string()),
  /** False: the portal shows its "no access" page; every tenant route answers 403 NO_ACCESS. */
  hasAccess: z.boolean(),
  /** How the person signed in: Microsoft 365, or a break-glass account (emergency sign-in). */
  kind: z.enum(['person', 'emergency']).default('person'),
  /** True when the user administers their own tenant (a Global or Privileged Role Administrator). */
  tenantAdmin: z.boolean().default(false),
  /** The partners the person works for, with their role at each. */
  partners: z.array(partnerMembershipSchema).default([]),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** `GET /api/auth/session`: always 200, signed in or not. */
export const sessionSchema = z.object({
  authenticated: z.boolean(),
  user: sessionUserSchema.optional(),
  /** The service runs against the built-in emulator instead of Microsoft's cloud. */
  demoMode: z.boolean(),
  /** Send as the `x-csrf-token` header on state-changing requests; null when signed out. */
  csrfToken: z.string().nullable(),
});
export type SessionResponse = z.infer<typeof sessionSchema>;

/**
 * `GET /api/auth/login?returnTo=/path` answers 302 to Microsoft's sign-in page. The callback
 * (`GET /api/auth/callback`) then redirects the browser to `returnTo` (a portal path, default
 * `/`), to `/no-access` for users without an admin role, or to `/?signInError=<message>`
 * when sign-in failed. `POST /api/auth/logout` answers 204 and ends the session.
 */
export const loginQuerySchema = z.object({
  returnTo: z
    .string()
    // A path of this site only: no `//host` or `/\\host` (browsers read both as another origin),
    // and no whitespace or control characters, which browsers strip before parsing.
    .regex(/^\/(?![/\\])[^\\\s\x00-\x1f\x7f]*$/, {
      message: 'returnTo must be a path of this site, such as /settings',
    })
    .max(2048)
    .optional(),
});
export type LoginQuery = z.infer<typeof loginQuerySchema>;

/** Portal paths and query parameters the API redirects the browser to. */
export const PORTAL_PATHS = {
  home: '/',
  noAccess: '/no-access',
  /** Query parameter on `/` carrying a readable sign-in failure. */
  signInErrorParam: 'signInError',
  settings: (tenantId: string) => `/settings/${tenantId}`,
  /** Query parameter on the settings page: `granted` or `failed`. */
  consentResultParam: 'consent',
  /** Query parameter on the settings page with a readable consent failure. */
  consentErrorParam: 'consentError',
} as const;

// ---------------------------------------------------------------------------------------------
// Admin consent: GET /api/tenants/:tenantId/consent, POST /api/tenants/:tenantId/consent/start,
// GET /api/consent/callback
// ---------------------------------------------------------------------------------------------

export const permissionStatusSchema = z.object({
  /** Microsoft Graph application permission, e.g. `User.Read.All`. */
  permission: z.string(),
  granted: z.boolean(),
});
export type PermissionStatus = z.infer<typeof permissionStatusSchema>;

/** `GET /api/tenants/:tenantId/consent` */
export const consentStatusSchema = z.object({
  tenantId: z.string(),
  /** Admin consent was verified (an app token for the tenant was issued). */
  granted: z.boolean(),
  /** When consent was last verified (ISO 8601). */
  grantedAt: z.string().optional(),
  /** Who granted it (UPN of the signed-in admin who completed the flow). */
  grantedBy: z.string().optional(),
  /** The read permissions the backup needs, and whether each is granted. */
  readPermissions: z.array(permissionStatusSchema),
  /** The write permissions restores need, and whether each is granted. */
  writePermissions: z.array(permissionStatusSchema),
  /** Required permissions (read and write) not granted. */
  missing: z.array(z.string()),
});
export type ConsentStatusResponse = z.infer<typeof consentStatusSchema>;

/**
 * `POST /api/tenants/:tenantId/consent/start` (with the CSRF header): the URL of Microsoft's
 * admin-consent page; the portal sets `window.location.href` to it. The callback then sends the
 * browser to `/settings/<tenantId>?consent=granted`, or `?consent=failed&consentError=<message>`.
 * A missing, forged, expired or replayed `state` answers 400 CONSENT_STATE_INVALID directly.
 */
export const consentStartSchema = z.object({ redirectUrl: z.string() });
export type ConsentStartResponse = z.infer<typeof consentStartSchema>;

export const CONSENT_RESULTS = ['granted', 'failed'] as const;
export type ConsentResult = (typeof CONSENT_RESULTS)[number];

// ---------------------------------------------------------------------------------------------
// Settings with permission status: GET and PUT /api/tenants/:tenantId/settings
// ---------------------------------------------------------------------------------------------

/**
 * One collection of a type that needs read permissions beyond the type's own (a user's sign-in
 * methods beside the users). Without them the type is still backed up, that collection not.
 */
export const collectionPermissionStatusSchema = z.object({
  /** The Graph collection, e.g. `authenticationMethods`. */
  collection: z.string(),
  /** Its extra read permissions, each with whether the recorded consent grants it. */
  permissions: z.array(permissionStatusSchema),
  /** All of them are granted: the collection is backed up; otherwise it is skipped. */
  granted: z.boolean(),
});
export type CollectionPermissionStatus = z.infer<typeof collectionPermissionStatusSchema>;

export const objectTypeStatusSchema = z.object({
  enabled: z.boolean(),
  /** Every read permission of the type itself is in the recorded consent: it can be backed up. */
  permissionsGranted: z.boolean(),
  /** The read permissions of the type itself. */
  requiredPermissions: z.array(z.string()),
  /** Collections needing more permissions; absent when the type has none. */
  collections: z.array(collectionPermissionStatusSchema).optional(),
});
export type ObjectTypeStatus = z.infer<typeof objectTypeStatusSchema>;

const objectTypeStatuses = z.object(
  Object.fromEntries(OBJECT_TYPE_KEYS.map((k) => [k, objectTypeStatusSchema])) as Record<
    ObjectTypeKey,
    typeof objectTypeStatusSchema
  >,
);

/**
 * The settings response of the API: `settingsSchema` plus, per type, its permission status, and
 * whether consent is granted (until then, switching a type on answers 409 CONSENT_REQUIRED).
 */
export const settingsStatusSchema = settingsSchema.extend({
  consentGranted: z.boolean(),
  types: objectTypeStatuses,
});
export type SettingsStatusResponse = z.infer<typeof settingsStatusSchema>;

// ---------------------------------------------------------------------------------------------
// Schedule: GET /api/tenants/:tenantId/schedule
// ---------------------------------------------------------------------------------------------

export const SCHEDULE_INTERVAL_HOURS = 12;

export const scheduleSchema = z.object({
  tenantId: z.string(),
  /** False until the first object type is switched on, and after all are switched off. */
  active: z.boolean(),
  /** Next automatic backup (ISO 8601); null while inactive. */
  nextRunAt: z.string().nullable(),
  /** Start of the last automatic backup; null before the first. */
  lastRunAt: z.string().nullable(),
  /** Id of the last run the scheduler started; null before the first. */
  lastRunId: z.string().nullable(),
  /** Why the last due run did not start (e.g. admin consent missing); null after a start. */
  lastError: z.string().nullable().optional(),
  intervalHours: z.literal(SCHEDULE_INTERVAL_HOURS),
  /** The tenant's fixed offset within the 12-hour cycle, so tenants spread over the day. */
  offsetMinutes: z
    .number()
    .int()
    .min(0)
    .max(SCHEDULE_INTERVAL_HOURS * 60 - 1),
  /**
   * Deadline of the first full backup (12 h after the first configuration); null before the
   * first configuration and once a full backup exists.
   */
  firstFullBackupDueBy: z.string().nullable(),
  /** Start of the newest full backup, scheduled or manual; null before the first. */
  lastFullBackupAt: z.string().nullable(),
});
export type ScheduleResponse = z.infer<typeof scheduleSchema>;
