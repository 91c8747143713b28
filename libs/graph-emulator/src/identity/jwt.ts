import {
  constants,
  createHash,
  createPublicKey,
  createSign,
  createVerify,
  type KeyObject,
  verify,
} from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

export class JwtFormatError extends Error {}

export function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Splits and parses a compact JWS without verifying it. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3)
    throw new JwtFormatError('JWT is not well formed: it must have three dot-separated parts.');
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload))
      throw new JwtFormatError('JWT header and payload must be JSON objects.');
    return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch (err) {
    if (err instanceof JwtFormatError) throw err;
    throw new JwtFormatError('JWT is not well formed: header or payload is not base64url-encoded JSON.');
  }
}

export function signRs256(
  header: Record<string, unknown>,
  payload: JwtClaims,
  privateKey: KeyObject,
): string {
  const signingInput = `${base64UrlJson({ ...header, alg: 'RS256', typ: 'JWT' })}.${base64UrlJson(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

export function verifyRs256(decoded: DecodedJwt, publicKey: KeyObject): boolean {
  if (decoded.header['alg'] !== 'RS256') return false;
  return createVerify('RSA-SHA256').update(decoded.signingInput).verify(publicKey, decoded.signature);
}

/** The signature algorithms Microsoft Entra accepts for certificate client assertions. */
export const CLIENT_ASSERTION_ALGORITHMS = ['PS256', 'RS256'] as const;

/**
 * Verifies a certificate client assertion's signature. Microsoft Entra documents PS256
 * (RSASSA-PSS with SHA-256, what msal-node signs with when given a SHA-256 thumbprint) and still
 * accepts RS256 (RSASSA-PKCS1-v1_5), the older format with a SHA-1 `x5t`:
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 * PS256's salt is as long as the digest (RFC 7518 §3.5), so other salt lengths fail. Any other
 * `alg` (`none`, HS256 keyed with the public certificate, ...) fails whatever the signature.
 */
export function verifyClientAssertionSignature(decoded: DecodedJwt, publicKey: KeyObject): boolean {
  switch (decoded.header['alg']) {
    case 'RS256':
      return verifyRs256(decoded, publicKey);
    case 'PS256':
      return verify(
        'sha256',
        Buffer.from(decoded.signingInput),
        { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: SHA256_BYTES },
        decoded.signature,
      );
    default:
      return false;
  }
}

const SHA256_BYTES = 32;

/** RFC 7638 JWK thumbprint of an RSA public key, used as the emulator's `kid`. */
export function rsaJwkThumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Certificate thumbprints as Entra expects them in `x5t` (SHA-1) and `x5t#S256` (SHA-256) of a client assertion. */
export function certificateThumbprints(certPem: string): {
  x5t: string;
  x5tS256: string;
  publicKey: KeyObject;
} {
  const der = pemToDer(certPem);
  return {
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
    publicKey: createPublicKey(certPem),
  };
}

function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
