import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import { Clock } from '../../core/clock';

/** RFC 6238 defaults every authenticator app supports: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;

/**
 * TOTP second factor of break-glass accounts (otplib). A code is accepted one step either side of
 * now (clock drift) and only for a time step after the last one accepted, so a code cannot be used
 * twice. The time comes from the injected clock.
 */
@Injectable()
export class Totp {
  constructor(private readonly clock: Clock) {}

  /** A new base32 secret of 20 random bytes (160 bits, as RFC 4226 recommends). */
  newSecret(): string {
    return generateSecret({ length: 20 });
  }

  /** The `otpauth://totp/...` URI authenticator apps scan. */
  uri(secret: string, issuer: string, accountName: string): string {
    return generateURI({ issuer, label: accountName, secret, period: PERIOD_SECONDS, digits: 6 });
  }

  /**
   * The time step the code belongs to, or null when it is wrong, outside ±1 step, or of a step at
   * or before `afterStep` (already used).
   */
  async check(secret: string, code: string, afterStep: number | null): Promise<number | null> {
    const result = await verify({
      secret,
      token: code,
      period: PERIOD_SECONDS,
      epoch: Math.floor(this.clock.now().getTime() / 1000),
      epochTolerance: PERIOD_SECONDS,
      ...(afterStep === null ? {} : { afterTimeStep: afterStep }),
    });
    // The functional API types HOTP and TOTP results together; only TOTP's carry `timeStep`.
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }
}
