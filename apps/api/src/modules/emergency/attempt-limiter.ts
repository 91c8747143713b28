import type { Clock } from '../../core/clock';

export interface AttemptLimits {
  /** Failures within `windowMs` that block the key... */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** ...for this long. */
  readonly blockMs: number;
}

interface Entry {
  failures: number;
  windowStart: number;
  blockedUntil: number;
  /** Whether a refusal during the current block was already reported. */
  reported: boolean;
}

/** Keys tracked at most; the oldest are forgotten first, so a flood of keys cannot exhaust memory. */
const MAX_KEYS = 10_000;

/**
 * Failed attempts per key (an address, a tenant's user name) in this process: after
 * `maxFailures` failures within `windowMs` the key is blocked for `blockMs`. Times come from the
 * injected clock.
 */
export class AttemptLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: AttemptLimits,
  ) {}

  /** Milliseconds the key stays blocked (0: not blocked). */
  blockedForMs(key: string): number {
    const entry = this.entries.get(key);
    if (entry === undefined) return 0;
    return Math.max(0, entry.blockedUntil - this.clock.now().getTime());
  }

  /** True the first time a blocked key is refused in its block (to report it once, not per attempt). */
  firstRefusalInBlock(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.reported) return false;
    entry.reported = true;
    return true;
  }

  /** Counts a failure; true when this failure blocked the key. */
  recordFailure(key: string): boolean {
    const now = this.clock.now().getTime();
    let entry = this.entries.get(key);
    if (
      entry === undefined ||
      now - entry.windowStart >= this.limits.windowMs ||
      (entry.blockedUntil > 0 && entry.blockedUntil <= now)
    ) {
      entry = { failures: 0, windowStart: now, blockedUntil: 0, reported: false };
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.failures += 1;
    let blocked = false;
    if (entry.failures >= this.limits.maxFailures && entry.blockedUntil <= now) {
      entry.blockedUntil = now + this.limits.blockMs;
      entry.reported = false;
      blocked = true;
    }
    this.forgetOldest();
    return blocked;
  }

  /** Forgets the key's failures (after a success). */
  reset(key: string): void {
    this.entries.delete(key);
  }

  private forgetOldest(): void {
    while (this.entries.size > MAX_KEYS) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) return;
      this.entries.delete(oldest);
    }
  }
}
