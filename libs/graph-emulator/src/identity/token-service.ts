import { createHash, randomBytes } from 'node:crypto';
import type { DirectoryUserSummary } from '../shared/graph-context';
import type { EmulatorClock } from '../shared/world-port';
import { JwtFormatError, type JwtClaims } from './jwt';
import type { TokenSigner } from './token-signer';

/** Microsoft Graph's application id; access tokens name it (or its URI) as audience. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
/** Role template id of Global Administrator. https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference */
export const GLOBAL_ADMINISTRATOR_TEMPLATE_ID = '62e90394-69f5-4237-9190-012177145e10';
/** Scopes that shape the id token / refresh token rather than naming Graph permissions. */
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** Access and id tokens are valid for about an hour; the token response says 3599 seconds. */
export const TOKEN_LIFETIME_S = 3599;

export interface AppTokenInput {
  tenantId: string;
  clientId: string;
  appDisplayName: string;
  roles: string[];
  /** 1 = client secret, 2 = certificate (`appidacr`). */
  credentialType: '1' | '2';
}

export interface UserTokenInput {
  tenantId: string;
  clientId: string;
  appDisplayName: string;
  user: DirectoryUserSummary;
  scopes: string[];
  nonce?: string;
}

export type GraphTokenCheck = { ok: true; claims: JwtClaims } | { ok: false; message: string };

/** Issues and checks the RS256 tokens of the emulated identity platform; times come from the emulator clock. */
export class TokenService {
  constructor(
    private readonly signer: TokenSigner,
    private readonly clock: EmulatorClock,
    private readonly baseUrl: string,
  ) {}

  /** v2.0 issuer, used in id tokens and in the OIDC discovery document. */
  issuerV2(tenantId: string): string {
    return `${this.baseUrl}/${tenantId}/v2.0`;
  }

  /** Graph access tokens are v1.0 tokens issued by `https://sts.windows.net/{tid}/` in the real cloud; here by our origin. */
  issuerV1(tenantId: string): string {
    return `${this.baseUrl}/${tenantId}/`;
  }

  appAccessToken(input: AppTokenInput): string {
    const times = this.times();
    const servicePrincipalId = deterministicGuid(`${input.tenantId}:${input.clientId}`);
    return this.signer.sign({
      aud: GRAPH_RESOURCE,
      iss: this.issuerV1(input.tenantId),
      ...times,
      app_displayname: input.appDisplayName,
      appid: input.clientId,
      appidacr: input.credentialType,
      idp: this.issuerV1(input.tenantId),
      idtyp: 'app',
      oid: servicePrincipalId,
      // Entra omits `roles` entirely when the app holds no application permission.
      ...(input.roles.length > 0 ? { roles: [...input.roles].sort() } : {}),
      sub: servicePrincipalId,
      tenant_region_scope: 'EU',
      tid: input.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    });
  }

  userAccessToken(input: UserTokenInput): string {
    const times = this.times();
    const graphScopes = input.scopes.filter((s) => !OIDC_SCOPES.has(s));
    // A request for OIDC scopes only still yields a Graph token for User.Read plus the OIDC scopes.
    const scp = [
      ...new Set([
        ...(graphScopes.length > 0 ? graphScopes : ['User.Read']),
        ...input.scopes.filter((s) => OIDC_SCOPES.has(s) && s !== 'offline_access'),
      ]),
    ];
    return this.signer.sign({
      aud: GRAPH_RESOURCE,
      iss: this.issuerV1(input.tenantId),
      ...times,
      acct: 0,
      acr: '1',
      amr: ['pwd'],
      app_displayname: input.appDisplayName,
      appid: input.clientId,
      appidacr: '1',
      idtyp: 'user',
      name: input.user.displayName,
      oid: input.user.id,
      scp: scp.join(' '),
      sub: pairwiseSubject(input.user.id, GRAPH_APP_ID),
      tid: input.tenantId,
      unique_name: input.user.userPrincipalName,
      upn: input.user.userPrincipalName,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
      wids: [...input.user.roleTemplateIds],
    });
  }

  idToken(input: UserTokenInput): string {
    const times = this.times();
    return this.signer.sign({
      aud: input.clientId,
      iss: this.issuerV2(input.tenantId),
      ...times,
      name: input.user.displayName,
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
      oid: input.user.id,
      preferred_username: input.user.userPrincipalName,
      ...(input.scopes.includes('email') ? { email: input.user.userPrincipalName } : {}),
      sub: pairwiseSubject(input.user.id, input.clientId),
      tid: input.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
      wids: [...input.user.roleTemplateIds],
    });
  }

  /**
   * Validates a bearer token sent to Graph: our signature, lifetime by the emulator clock, Graph as audience.
   * The messages are those Graph returns with `InvalidAuthenticationToken`.
   */
  checkGraphToken(token: string): GraphTokenCheck {
    if (!token) return { ok: false, message: 'Access token is empty.' };
    if (!token.includes('.'))
      return { ok: false, message: 'IDX14100: JWT is not well formed, there are no dots (.).' };
    let decoded;
    try {
      decoded = this.signer.verify(token);
    } catch (err) {
      if (err instanceof JwtFormatError)
        return { ok: false, message: 'Invalid JWT token. Token format not valid.' };
      throw err;
    }
    if (!decoded) return { ok: false, message: 'Access token validation failure. Invalid signature.' };
    const claims = decoded.payload;
    const aud = claims['aud'];
    if (aud !== GRAPH_RESOURCE && aud !== GRAPH_APP_ID && aud !== `${GRAPH_RESOURCE}/`) {
      return { ok: false, message: 'Access token validation failure. Invalid audience.' };
    }
    const nowS = Math.floor(this.clock.now() / 1000);
    const exp = claims['exp'];
    const nbf = claims['nbf'];
    if (typeof exp !== 'number' || nowS >= exp)
      return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
    if (typeof nbf === 'number' && nowS < nbf)
      return { ok: false, message: 'Lifetime validation failed, the token is not yet valid.' };
    if (typeof claims['tid'] !== 'string' || claims['iss'] !== this.issuerV1(claims['tid'])) {
      return { ok: false, message: 'Access token validation failure. Invalid issuer.' };
    }
    return { ok: true, claims };
  }

  private times(): { iat: number; nbf: number; exp: number } {
    const iat = Math.floor(this.clock.now() / 1000);
    return { iat, nbf: iat, exp: iat + TOKEN_LIFETIME_S };
  }
}

/** Entra's `sub` is pairwise: the same user has a different subject per application. */
export function pairwiseSubject(userId: string, clientId: string): string {
  return createHash('sha256').update(`${userId}|${clientId}`).digest('base64url').slice(0, 43);
}

/** A stable GUID-shaped id derived from a name (for the app's service principal object id in tokens). */
export function deterministicGuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
