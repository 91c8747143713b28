/**
 * Reads the payload of a JWT without verifying it. Used only on access tokens this process just received
 * from the token endpoint over TLS, to learn the granted app roles and the expiry.
 */
export function decodeJwtClaims(token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return {};
  try {
    const json = Buffer.from(parts[1], 'base64url').toString('utf8');
    const claims: unknown = JSON.parse(json);
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** App-only tokens carry the granted application permissions in `roles`. */
export function rolesOf(claims: Record<string, unknown>): string[] {
  const roles = claims['roles'];
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
}
