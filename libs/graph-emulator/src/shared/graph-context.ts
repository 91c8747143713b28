/**
 * The seam between the emulator's platform layer (HTTPS server, identity platform,
 * token validation, throttling, faults) and its Graph layer (tenant data, OData,
 * delta, batch, writes).
 *
 * The platform layer validates the bearer token of every `/v1.0` and `/beta` request
 * and attaches a `GraphRequestContext` to `res.locals.graph` before the Graph router runs.
 */
export interface GraphRequestContext {
  /** Tenant the token was issued for (`tid`). */
  tenantId: string;
  /** Client id of the calling application (`appid` / `azp`). */
  appId: string;
  /** `app` for client-credentials tokens, `delegated` for user tokens. */
  kind: 'app' | 'delegated';
  /** Application permissions (`roles` claim) for app tokens. */
  roles: string[];
  /** Delegated scopes (`scp` claim, split on spaces) for user tokens. */
  scopes: string[];
  /** Signed-in user's object id for delegated tokens. */
  userId?: string;
  /** Per-request id echoed as `request-id` and in `error.innerError`. */
  requestId: string;
  /** `client-request-id` sent by the caller, if any. */
  clientRequestId?: string;
  /** Graph version from the path. */
  version: 'v1.0' | 'beta';
}

/** Minimal view of a tenant the identity platform needs from the Graph layer. */
export interface DirectoryUserSummary {
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** Role template ids of the user's active tenant-wide directory role assignments (for `wids`). */
  roleTemplateIds: string[];
}

export interface EmulatedTenantSummary {
  tenantId: string;
  displayName: string;
  /** Initial domain, e.g. `contoso.onmicrosoft.com`. */
  defaultDomain: string;
  /** Entra ID P1/P2: without it sign-in logs answer 403. */
  premium: boolean;
}
