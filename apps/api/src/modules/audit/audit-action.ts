/** What an audit event records. Values are stored; never rename one, only add. */
export enum AuditAction {
  TENANT_CREATED = 'tenant.created',
  SETTINGS_UPDATED = 'settings.updated',
}

/**
 * Who did it: `api` for REST calls until sign-in exists, `cli:<os user>` for the command line.
 * Later, the signed-in operator.
 */
export type Actor = string;

export const API_ACTOR: Actor = 'api';

export function cliActor(osUser: string): Actor {
  return `cli:${osUser}`;
}
