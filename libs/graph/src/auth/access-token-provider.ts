/** Supplies app-only access tokens for Microsoft Graph, one tenant at a time. */
export abstract class AccessTokenProvider {
  /** A valid token for the tenant, from cache unless it is close to expiry or `forceRefresh` is set. */
  abstract getAccessToken(tenantId: string, options?: { forceRefresh?: boolean }): Promise<string>;
  /** The application permissions (app roles) granted in the tenant, from a freshly issued token's `roles`. */
  abstract getGrantedAppRoles(tenantId: string): Promise<string[]>;
  /** Forgets the tenant's cached token (after Graph rejected it with 401). */
  abstract invalidate(tenantId: string): void;
}
