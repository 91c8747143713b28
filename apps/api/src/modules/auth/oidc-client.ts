import { createHash, randomBytes } from 'node:crypto';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  type AuthorizationCodeRequest,
  type AuthorizationUrlRequest,
} from '@azure/msal-node';
import { Injectable, Logger } from '@nestjs/common';
import {
  createLocalJWKSet,
  errors as joseErrors,
  type JSONWebKeySet,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import { GUID_PATTERN } from '@entra-backup/common';
import { type ClientCredential, msalCredentialOptions, msalLoggerOptions } from '@entra-backup/graph';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../core/clock';
import { IdentityHttp } from './identity-http';

/*
 * Library choice. passport-azure-ad, which the design card names, is deprecated by Microsoft
 * ("no longer supported", unmaintained since 2023). openid-client v6 is certified and ships a
 * Passport strategy, but it is ESM-only and validates `iss` strictly against the discovered
 * issuer, while Microsoft's multi-tenant (`/organizations`) metadata publishes the template
 * `https://login.microsoftonline.com/{tenantid}/v2.0`, so every work-account sign-in would need
 * the library's checks worked around. We therefore use Microsoft's maintained @azure/msal-node
 * for the authorization code flow with PKCE (its documented web-app sign-in path) and `jose`
 * (standards-complete JOSE/JWT, maintained) to validate the ID token ourselves: signature against
 * the published JWKS, audience = our client id, the per-tenant issuer filled in from the `tid`
 * claim, expiry and the nonce we sent. Our own Passport strategy (`entra-oidc.strategy.ts`) wraps
 * both for @nestjs/passport.
 */

/** What the sign-in round trip keeps in the session between the redirect and the callback. */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
  /** Epoch ms; a pending sign-in older than 10 minutes is refused. */
  readonly createdAt: number;
}

/** The validated claims of a signed-in user. */
export interface VerifiedIdentity {
  readonly tenantId: string;
  readonly objectId: string;
  readonly name: string;
  readonly upn: string;
  /** Role template ids of the user's tenant-wide directory roles (`wids`), a hint only. */
  readonly wids: readonly string[];
}

export const PENDING_SIGN_IN_TTL_MS = 10 * 60_000;
const SIGN_IN_SCOPES = ['openid', 'profile', 'email'];
const CLOCK_TOLERANCE_S = 300;
const JWKS_REFRESH_MIN_INTERVAL_MS = 60_000;

interface OpenIdMetadata {
  readonly issuer: string;
  readonly jwks_uri: string;
}

export class IdTokenError extends Error {
  override readonly name = 'IdTokenError';
}

/**
 * The OpenID Connect client of the portal's "Sign in with Microsoft 365": any work account
 * (`<LOGIN_BASE_URL>/organizations`), authorization code flow with PKCE.
 */
@Injectable()
export class OidcClient {
  private msal: ConfidentialClientApplication | undefined;
  private metadata: Promise<OpenIdMetadata> | undefined;
  private jwks: { set: ReturnType<typeof createLocalJWKSet>; fetchedAt: number } | undefined;
  private readonly crypto = new CryptoProvider();
  private readonly logger = new Logger('SignIn');

  constructor(
    private readonly config: AppConfig,
    private readonly http: IdentityHttp,
    private readonly clock: Clock,
  ) {}

  get configured(): boolean {
    return this.config.hasAppCredentials;
  }

  get redirectUri(): string {
    return `${this.config.auth.publicUrl}/api/auth/callback`;
  }

  /** The Microsoft sign-in URL and what the callback will need to check the answer. */
  async authorizationUrl(returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
    const { verifier, challenge } = await this.crypto.generatePkceCodes();
    const pending: PendingSignIn = {
      state: randomToken(),
      nonce: randomToken(),
      codeVerifier: verifier,
      returnTo,
      createdAt: this.clock.now().getTime(),
    };
    const request: AuthorizationUrlRequest = {
      scopes: SIGN_IN_SCOPES,
      redirectUri: this.redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      responseMode: 'query',
      prompt: 'select_account',
    };
    return { url: await this.app().getAuthCodeUrl(request), pending };
  }

  /** Redeems the authorization code (with the PKCE verifier) and validates the ID token. */
  async redeem(code: string, pending: PendingSignIn): Promise<VerifiedIdentity> {
    const request: AuthorizationCodeRequest = {
      code,
      scopes: SIGN_IN_SCOPES,
      redirectUri: this.redirectUri,
      codeVerifier: pending.codeVerifier,
      // msal compares the ID token's nonce with this one as well.
      nonce: pending.nonce,
    };
    const result = await this.app().acquireTokenByCode(request);
    if (!result?.idToken) throw new IdTokenError('the identity platform returned no ID token');
    return this.validateIdToken(result.idToken, pending.nonce);
  }

  /**
   * Validates an ID token: RS256 signature by a key of the published JWKS, `aud` = our client id,
   * `exp`/`nbf`/`iat` (5 minutes of skew), `iss` = the metadata's issuer with `{tenantid}` replaced
   * by the token's `tid` (Microsoft's documented multi-tenant validation), and our nonce.
   */
  async validateIdToken(idToken: string, expectedNonce: string): Promise<VerifiedIdentity> {
    const metadata = await this.openIdMetadata();
    let payload: JWTPayload;
    try {
      payload = await this.verifySignature(idToken, metadata, false);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw asIdTokenError(error);
      // Microsoft rolls its signing keys; fetch the key set again once for an unknown `kid`.
      payload = await this.verifySignature(idToken, metadata, true).catch((e: unknown) => {
        throw asIdTokenError(e);
      });
    }
    const tid = stringClaim(payload, 'tid');
    if (tid === undefined || !GUID_PATTERN.test(tid))
      throw new IdTokenError('the ID token has no tenant id (tid)');
    const expectedIssuer = metadata.issuer.replace('{tenantid}', tid);
    if (payload.iss !== expectedIssuer) {
      throw new IdTokenError(`the ID token was issued by ${String(payload.iss)}, not by ${expectedIssuer}`);
    }
    if (!constantTimeEqual(stringClaim(payload, 'nonce') ?? '', expectedNonce)) {
      throw new IdTokenError('the ID token nonce does not match this sign-in');
    }
    const objectId = stringClaim(payload, 'oid');
    if (objectId === undefined) throw new IdTokenError('the ID token has no object id (oid)');
    const wids = payload['wids'];
    return {
      tenantId: tid.toLowerCase(),
      objectId,
      name: stringClaim(payload, 'name') ?? stringClaim(payload, 'preferred_username') ?? objectId,
      upn: stringClaim(payload, 'preferred_username') ?? stringClaim(payload, 'upn') ?? objectId,
      wids: Array.isArray(wids) ? wids.filter((w): w is string => typeof w === 'string') : [],
    };
  }

  private async verifySignature(
    idToken: string,
    metadata: OpenIdMetadata,
    refresh: boolean,
  ): Promise<JWTPayload> {
    const jwks = await this.keySet(metadata, refresh);
    const { payload } = await jwtVerify(idToken, jwks, {
      audience: this.clientId(),
      algorithms: ['RS256'],
      currentDate: this.clock.now(),
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'iat', 'iss', 'aud'],
    });
    return payload;
  }

  private async keySet(
    metadata: OpenIdMetadata,
    refresh: boolean,
  ): Promise<ReturnType<typeof createLocalJWKSet>> {
    const now = this.clock.now().getTime();
    const stale =
      this.jwks === undefined || (refresh && now - this.jwks.fetchedAt >= JWKS_REFRESH_MIN_INTERVAL_MS);
    if (stale) {
      const keys = await this.http.getJson<JSONWebKeySet>(metadata.jwks_uri);
      this.jwks = { set: createLocalJWKSet(keys), fetchedAt: now };
    }
    return this.jwks!.set;
  }

  private openIdMetadata(): Promise<OpenIdMetadata> {
    this.metadata ??= this.http
      .getJson<OpenIdMetadata>(
        `${this.config.graph.loginBaseUrl}/organizations/v2.0/.well-known/openid-configuration`,
      )
      .then((doc) => {
        if (typeof doc.issuer !== 'string' || typeof doc.jwks_uri !== 'string') {
          throw new Error('the OpenID configuration lacks issuer or jwks_uri');
        }
        return doc;
      })
      .catch((error: unknown) => {
        this.metadata = undefined;
        throw error;
      });
    return this.metadata;
  }

  private clientId(): string {
    const { clientId } = this.config.graph;
    if (clientId === undefined) throw new IdTokenError('AZURE_CLIENT_ID is not configured');
    return clientId;
  }

  private appCredential(): ClientCredential {
    const credential = this.config.appCredential;
    if (credential === undefined) throw new IdTokenError('no client secret or certificate is configured');
    return credential;
  }

  private app(): ConfidentialClientApplication {
    if (this.msal) return this.msal;
    const { loginBaseUrl } = this.config.graph;
    this.msal = new ConfidentialClientApplication({
      auth: {
        clientId: this.clientId(),
        // The same credential as the app-only Graph calls: the code is redeemed with the client
        // secret or with a client assertion signed by the certificate's private key.
        ...msalCredentialOptions(this.appCredential()),
        authority: `${loginBaseUrl}/organizations`,
        // Trust the configured login host's own metadata instead of Microsoft's instance
        // discovery, so sovereign clouds and the demo emulator work by configuration alone.
        knownAuthorities: [new URL(loginBaseUrl).host],
      },
      system: {
        networkClient: this.http,
        loggerOptions: msalLoggerOptions({
          debug: (message) => this.logger.debug(message),
          warn: (message) => this.logger.warn(message),
        }),
      },
    });
    return this.msal;
  }
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Compares two strings without an early exit (their SHA-256 digests have equal length). */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  let diff = a.length === b.length ? 0 : 1;
  for (let i = 0; i < da.length; i += 1) diff |= da[i]! ^ db[i]!;
  return diff === 0;
}

function asIdTokenError(error: unknown): IdTokenError {
  if (error instanceof IdTokenError) return error;
  if (error instanceof joseErrors.JWTExpired) return new IdTokenError('the ID token has expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new IdTokenError(`the ID token claim ${error.claim} is not valid (${error.reason})`);
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey
  ) {
    return new IdTokenError('the ID token signature is not valid');
  }
  return new IdTokenError(
    `the ID token could not be validated: ${error instanceof Error ? error.message : String(error)}`,
  );
}
