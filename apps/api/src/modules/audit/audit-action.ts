/** What an audit event records. Values are stored; never rename one, only add. */
export enum AuditAction {
  TENANT_CREATED = 'tenant.created',
  TENANT_RENAMED = 'tenant.renamed',
  SETTINGS_UPDATED = 'settings.updated',
  SIGNED_IN = 'auth.signed-in',
  SIGN_IN_REFUSED = 'auth.sign-in-refused',
  SIGNED_OUT = 'auth.signed-out',
  CONSENT_REQUESTED = 'consent.requested',
  CONSENT_GRANTED = 'consent.granted',
  CONSENT_FAILED = 'consent.failed',
  BACKUP_RUN = 'backup.run',
  RESTORE_PLANNED = 'restore.planned',
  RESTORE_RUN = 'restore.run',
  RESTORE_CREDENTIALS_TAKEN = 'restore.credentials-taken',
  SNAPSHOT_EXPORTED_WITH_SECRETS = 'export.secrets-included',
  BITLOCKER_KEY_REVEALED = 'bitlocker.key-revealed',
  // Partners (resellers). Partner-level events have no tenant; every one names its partner(s)
  // in `details.partnerIds`, so a partner's view of the trail can find them.
  PARTNER_CREATED = 'partner.created',
  PARTNER_STAFF_ADDED = 'partner.staff-added',
  PARTNER_STAFF_CHANGED = 'partner.staff-changed',
  PARTNER_STAFF_REMOVED = 'partner.staff-removed',
  ONBOARDING_LINK_CREATED = 'partner.onboarding-link-created',
  ONBOARDING_LINK_REVOKED = 'partner.onboarding-link-revoked',
  ONBOARDING_ACCEPTED = 'partner.onboarding-accepted',
  TENANT_HANDED_OVER = 'partner.tenant-handed-over',
  TENANT_RELEASED = 'partner.tenant-released',
  /** The tenant's own admins ended the partner's management of their tenant. */
  PARTNER_LINK_REVOKED = 'partner.link-revoked',
  API_KEY_CREATED = 'api-key.created',
  API_KEY_ROTATED = 'api-key.rotated',
  API_KEY_REVOKED = 'api-key.revoked',
}

/**
 * Who did it: `api` for REST calls until sign-in exists, `cli:<os user>` for the command line.
 * Later, the signed-in operator.
 */
export type Actor = string;

export const API_ACTOR: Actor = 'api';

/** The signed-in portal user, by sign-in name. */
export function userActor(upn: string): Actor {
  return `user:${upn}`;
}

export function cliActor(osUser: string): Actor {
  return `cli:${osUser}`;
}
