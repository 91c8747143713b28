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
