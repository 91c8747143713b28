import type { PendingSignIn } from './oidc-client';
import type { EmergencySessionAccount } from './principal-resolver.service';

/** How the user's admin role was established. */
export type RoleEvidence =
  /** Read from the tenant's role assignments through Graph with the app's token (after consent). */
  | 'directory'
  /**
   * The `wids` claim of the validated ID token: the only evidence before admin consent, when the
   * app has no token for the tenant yet (and the fallback when the role read is refused).
   */
  | 'wids';

/** The signed-in user as the session keeps it. */
export interface SessionPrincipal {
  readonly tenantId: string;
  readonly objectId: string;
  readonly name: string;
  readonly upn: string;
  /** Role template ids of the user's tenant-wide roles from the ID token. */
  readonly wids: readonly string[];
  /** Names of the portal admin roles the user holds. */
  readonly roles: readonly string[];
  readonly evidence: RoleEvidence;
  /** Epoch ms of the last role check. */
  readonly checkedAt: number;
}

declare module 'express-session' {
  interface SessionData {
    user?: SessionPrincipal;
    /** A break-glass account signed in through emergency sign-in (never together with `user`). */
    emergency?: EmergencySessionAccount;
    csrfToken?: string;
    oidc?: PendingSignIn;
  }
}
