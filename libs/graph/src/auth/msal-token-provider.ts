import {
  AuthError,
  AuthenticationResult,
  ClientCredentialRequest,
  ConfidentialClientApplication,
  Configuration,
  INetworkModule,
} from '@azure/msal-node';
import { GraphAuthenticationError } from '../errors';
import { GraphLogger } from '../logger';
import { ClientCredential } from '../options';
import { Clock } from '../resilience/clock';
import { isTransientNetworkError } from '../resilience/retry-policy';
import { AccessTokenProvider } from './access-token-provider';
import { decodeJwtClaims, rolesOf } from './jwt-claims';
import { msalCredentialOptions } from './msal-credential';
import { msalLoggerOptions } from './msal-logger';

/** The part of msal's ConfidentialClientApplication we use (a seam for unit tests). */
export interface ClientCredentialApp {
  acquireTokenByClientCredential(request: ClientCredentialRequest): Promise<AuthenticationResult | null>;
}

export interface MsalTokenProviderOptions {
  clientId: string;
  credential: ClientCredential;
  loginBaseUrl: string;
  scope: string;
  networkClient: INetworkModule;
  clock: Clock;
  refreshMarginMs: number;
  logger: GraphLogger;
  createApp?: (configuration: Configuration) => ClientCredentialApp;
}

interface CachedToken {
  accessToken: string;
  expiresAtMs: number;
  refreshAtMs: number;
  roles: string[];
}

/**
 * App-only tokens by the client-credentials grant with msal-node, one ConfidentialClientApplication per
 * tenant (authority `<loginBaseUrl>/<tenantId>`).
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 *
 * Refresh timing follows the injected clock: a token is reused until `refreshMarginMs` (at most half its
 * lifetime) before it expires, then msal is asked for a new one with `skipCache`. Concurrent callers share
 * one in-flight request per tenant.
 */
export class MsalAccessTokenProvider extends AccessTokenProvider {
  private readonly apps = new Map<string, ClientCredentialApp>();
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();
  private readonly createApp: (configuration: Configuration) => ClientCredentialApp;

  constructor(private readonly options: MsalTokenProviderOptions) {
    super();
    this.createApp =
      options.createApp ?? ((configuration) => new ConfidentialClientApplication(configuration));
  }

  async getAccessToken(tenantId: string, options?: { forceRefresh?: boolean }): Promise<string> {
    return (await this.token(tenantId, options?.forceRefresh ?? false)).accessToken;
  }

  async getGrantedAppRoles(tenantId: string): Promise<string[]> {
    // Always a new token: roles granted by a consent given a moment ago are not in an older token.
    return [...(await this.token(tenantId, true)).roles];
  }

  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private token(tenantId: string, forceRefresh: boolean): Promise<CachedToken> {
    const cached = this.cache.get(tenantId);
    if (!forceRefresh && cached && this.options.clock.now() < cached.refreshAtMs)
      return Promise.resolve(cached);
    const pending = this.inFlight.get(tenantId);
    if (pending) return pending;
    const request = this.acquire(tenantId).finally(() => this.inFlight.delete(tenantId));
    this.inFlight.set(tenantId, request);
    return request;
  }

  private async acquire(tenantId: string): Promise<CachedToken> {
    let result: AuthenticationResult | null;
    try {
      result = await this.app(tenantId).acquireTokenByClientCredential({
        scopes: [this.options.scope],
        // Our cache decides when to refresh; msal's would hand back the token we just decided to replace.
        skipCache: true,
      });
    } catch (error) {
      throw this.authenticationError(tenantId, error);
    }
    if (!result?.accessToken) {
      throw new GraphAuthenticationError(
        `No access token returned for tenant ${tenantId}`,
        tenantId,
        undefined,
        false,
      );
    }
    const now = this.options.clock.now();
    const claims = decodeJwtClaims(result.accessToken);
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] * 1000 : undefined;
    const expiresAtMs = exp ?? result.expiresOn?.getTime() ?? now + 3_600_000;
    const lifetime = Math.max(0, expiresAtMs - now);
    const token: CachedToken = {
      accessToken: result.accessToken,
      expiresAtMs,
      refreshAtMs: expiresAtMs - Math.min(this.options.refreshMarginMs, lifetime / 2),
      roles: rolesOf(claims),
    };
    this.cache.set(tenantId, token);
    this.options.logger.debug('Acquired Graph access token', {
      tenantId,
      expiresAt: new Date(expiresAtMs).toISOString(),
      roles: token.roles.length,
    });
    return token;
  }

  private app(tenantId: string): ClientCredentialApp {
    let app = this.apps.get(tenantId);
    if (!app) {
      app = this.createApp(this.configuration(tenantId));
      this.apps.set(tenantId, app);
    }
    return app;
  }

  private configuration(tenantId: string): Configuration {
    const { credential, loginBaseUrl } = this.options;
    return {
      auth: {
        clientId: this.options.clientId,
        authority: `${loginBaseUrl}/${tenantId}`,
        // Listing the login host as a known authority makes msal trust it without the Microsoft instance
        // discovery call (documented for sovereign clouds, B2C and other non-default authorities); it then
        // reads the tenant's OpenID configuration from the authority itself. For login.microsoftonline.com
        // msal uses its built-in metadata, so the same configuration serves the public cloud.
        // https://learn.microsoft.com/entra/msal/javascript/node/configuration
        knownAuthorities: [loginBaseUrl],
        ...msalCredentialOptions(credential),
      },
      system: {
        networkClient: this.options.networkClient,
        loggerOptions: msalLoggerOptions(this.options.logger),
      },
    };
  }

  private authenticationError(tenantId: string, error: unknown): GraphAuthenticationError {
    const code = error instanceof AuthError ? error.errorCode : undefined;
    const transient = isTransientNetworkError(error) || code === 'network_error';
    // msal error messages carry AADSTS codes and trace ids, never the secret or the assertion.
    const detail = error instanceof Error ? error.message : String(error);
    return new GraphAuthenticationError(
      `Token acquisition for tenant ${tenantId} failed: ${detail}`,
      tenantId,
      code,
      transient,
      { cause: error },
    );
  }
}
