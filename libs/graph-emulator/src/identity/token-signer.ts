import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeJwt, rsaJwkThumbprint, signRs256, verifyRs256, type DecodedJwt, type JwtClaims } from './jwt';

export interface JsonWebKeySet {
  keys: Array<{ kty: 'RSA'; use: 'sig'; alg: 'RS256'; kid: string; n: string; e: string; issuer?: string }>;
}

/**
 * Holds the emulator's token-signing key. The key is kept in the data dir so tokens and cached JWKS
 * stay valid across emulator restarts, as the real service rotates its keys only rarely.
 */
export class TokenSigner {
  readonly kid: string;
  private readonly publicKey: KeyObject;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    this.kid = rsaJwkThumbprint(this.publicKey);
  }

  static generate(): TokenSigner {
    return new TokenSigner(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  }

  /** Loads the key from `keyPath`, creating it (mode 0600) on first use. */
  static loadOrCreate(keyPath: string): TokenSigner {
    if (existsSync(keyPath)) {
      try {
        return new TokenSigner(createPrivateKey(readFileSync(keyPath, 'utf8')));
      } catch (err) {
        throw new Error(
          `The token-signing key at ${keyPath} cannot be read (${(err as Error).message}); delete it to create a new one.`,
        );
      }
    }
    const signer = TokenSigner.generate();
    mkdirSync(dirname(keyPath), { recursive: true });
    writeFileSync(keyPath, signer.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    chmodSync(keyPath, 0o600);
    return signer;
  }

  sign(claims: JwtClaims): string {
    // Entra puts the key id in both `kid` and `x5t`.
    return signRs256({ kid: this.kid, x5t: this.kid }, claims, this.privateKey);
  }

  /** Decodes and checks the signature; returns undefined when the signature is not ours. */
  verify(token: string): DecodedJwt | undefined {
    const decoded = decodeJwt(token);
    if (decoded.header['kid'] !== undefined && decoded.header['kid'] !== this.kid) return undefined;
    return verifyRs256(decoded, this.publicKey) ? decoded : undefined;
  }

  jwks(issuer?: string): JsonWebKeySet {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return {
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          alg: 'RS256',
          kid: this.kid,
          n: String(jwk.n),
          e: String(jwk.e),
          ...(issuer ? { issuer } : {}),
        },
      ],
    };
  }
}
