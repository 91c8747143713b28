import { Injectable } from '@nestjs/common';
import { Clock } from '../../core/clock';

/** Sign-ins one client address may start per window (each redirect to Microsoft counts). */
export const SIGN_IN_STARTS_PER_WINDOW = 30;
export const SIGN_IN_START_WINDOW_MS = 10 * 60_000;
/** Addresses tracked at most; the oldest are forgotten first, so a flood of addresses cannot exhaust memory. */
const MAX_ADDRESSES = 10_000;

interface Window {
  readonly startedAt: number;
  starts: number;
}

export type SignInStartVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Counts sign-in starts per client address in fixed windows, in this process. A start stores a
 * pending sign-in (state, nonce, PKCE verifier) server-side, so an unlimited stream of starts
 * from one client would fill the session table; a person needs a handful.
 */
@Injectable()
export class SignInStartLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly clock: Clock) {}

  admit(address: string | null): SignInStartVerdict {
    const key = address ?? 'unknown';
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (window === undefined || now - window.startedAt >= SIGN_IN_START_WINDOW_MS) {
      window = { startedAt: now, starts: 0 };
    }
    this.windows.delete(key);
    this.windows.set(key, window);
    this.forgetOldest();
    if (window.starts >= SIGN_IN_STARTS_PER_WINDOW) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + SIGN_IN_START_WINDOW_MS - now) / 1000)),
      };
    }
    window.starts += 1;
    return { allowed: true };
  }

  private forgetOldest(): void {
    while (this.windows.size > MAX_ADDRESSES) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) return;
      this.windows.delete(oldest);
    }
  }
}
