import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorClock } from '../shared/world-port';

export interface AuthorizationCodeGrant {
  clientId: string;
  tenantId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  expiresAt: number;
}

export interface RefreshTokenGrant {
  clientId: string;
  tenantId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
}

/** Authorization codes live about 10 minutes and can be redeemed once. */
export const AUTHORIZATION_CODE_LIFETIME_MS = 10 * 60 * 1000;
/** Refresh tokens for web apps are valid for 90 days (inactivity-based). */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;

export type RedeemResult =
  | { kind: 'ok'; grant: AuthorizationCodeGrant }
  | { kind: 'unknown' }
  | { kind: 'expired' }
  | { kind: 'redeemed' };

/** Authorization codes and refresh tokens, opaque to clients as in the real service. */
export class GrantStore {
  private readonly codes = new Map<string, AuthorizationCodeGrant & { redeemed: boolean }>();
  private readonly refreshTokens = new Map<string, RefreshTokenGrant>();

  constructor(private readonly clock: EmulatorClock) {}

  issueCode(grant: Omit<AuthorizationCodeGrant, 'expiresAt'>): string {
    const code = `1.${randomBytes(48).toString('base64url')}`;
    this.codes.set(code, {
      ...grant,
      expiresAt: this.clock.now() + AUTHORIZATION_CODE_LIFETIME_MS,
      redeemed: false,
    });
    return code;
  }

  redeemCode(code: string): RedeemResult {
    const entry = this.codes.get(code);
    if (!entry) return { kind: 'unknown' };
    if (entry.redeemed) return { kind: 'redeemed' };
    if (this.clock.now() >= entry.expiresAt) return { kind: 'expired' };
    entry.redeemed = true;
    const { redeemed: _redeemed, ...grant } = entry;
    return { kind: 'ok', grant };
  }

  issueRefreshToken(grant: Omit<RefreshTokenGrant, 'expiresAt'>): string {
    const token = `1.${randomBytes(64).toString('base64url')}`;
    this.refreshTokens.set(token, { ...grant, expiresAt: this.clock.now() + REFRESH_TOKEN_LIFETIME_MS });
    return token;
  }

  /** Refresh tokens are single-use here: each redemption returns a new one, as MSAL expects. */
  takeRefreshToken(token: string): RefreshTokenGrant | 'expired' | undefined {
    const grant = this.refreshTokens.get(token);
    if (!grant) return undefined;
    this.refreshTokens.delete(token);
    if (this.clock.now() >= grant.expiresAt) return 'expired';
    return grant;
  }

  clear(): void {
    this.codes.clear();
    this.refreshTokens.clear();
  }
}

/** PKCE check (RFC 7636 §4.6). */
export function pkceMatches(verifier: string, challenge: string, method: 'S256' | 'plain'): boolean {
  const computed = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return computed === challenge;
}
