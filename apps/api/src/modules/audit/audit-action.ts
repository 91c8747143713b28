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
  /** The access guard refused a request naming a tenant or partner (401/403). */
  ACCESS_REFUSED = 'access.refused',
  /** A backup run was started (manual, bulk, schedule, CLI, ...); `backup.run` records its end. */
  BACKUP_STARTED = 'backup.started',
  /** Any download of data: snapshot zip, comparison, audit log. */
  EXPORT_DOWNLOADED = 'export.downloaded',
  EMERGENCY_SIGNED_IN = 'auth.emergency-signed-in',
  EMERGENCY_SIGN_IN_REFUSED = 'auth.emergency-refused',
  BREAK_GLASS_ACCOUNT_CREATED = 'emergency.account-created',
  BREAK_GLASS_ACCOUNT_DELETED = 'emergency.account-deleted',
  EMERGENCY_CONTACTS_UPDATED = 'emergency.contacts-updated',
  /** The retention policy of a tenant changed (details: before and after). */
  RETENTION_UPDATED = 'retention.updated',
  LEGAL_HOLD_PLACED = 'retention.legal-hold-placed',
  LEGAL_HOLD_RELEASED = 'retention.legal-hold-released',
  /** A prune ended (outcome `failure` when it failed; details: status, what it freed, reason). */
  PRUNE_RUN = 'retention.prune',
  NOTIFICATION_RECIPIENT_ADDED = 'notifications.recipient-added',
  NOTIFICATION_RECIPIENT_REMOVED = 'notifications.recipient-removed',
  ALERT_SETTINGS_UPDATED = 'notifications.alert-settings-updated',
}

/**
 * Who did it, as a string: `user:<upn>`, `key:eb_<prefix>`, `emergency:<user name>`,
 * `cli:<os user>`, `schedule` (the service), `anonymous` (refused requests without credentials).
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
