import { Clock } from './clock';

/** A documented fixed request rate of a family: at most `requests` per `windowMs`. */
export interface FamilyPace {
  readonly requests: number;
  readonly windowMs: number;
}

/**
 * Families whose limit is a plain request count, paced before sending instead of discovered by
 * 429s. Identity and access reports (sign-ins, audits): 5 requests per 10 s per app and tenant,
 * https://learn.microsoft.com/graph/throttling-limits#identity-and-access-reports-service-limits.
 * The window carries a small margin, as the service counts arrivals, not our send times.
 */
export const DOCUMENTED_PACES: Readonly<Record<string, FamilyPace>> = {
  reports: { requests: 5, windowMs: 10_250 },
};

/** A documented write budget: up to `burst` writes at once, refilled at the rate that spends it in its window. */
export interface WriteBudget {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * Write budgets per app and tenant, spent by every write request and every write item of a
 * `$batch`, so a restore's writes flow at the documented rate instead of bursting into 429s:
 * identity and access, 3,000 writes per 2 min 30 s; Intune, 100 writes per 20 s.
 * https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits,
 * https://learn.microsoft.com/graph/throttling-limits#intune-service-limits
 */
export const DOCUMENTED_WRITE_BUDGETS: Readonly<Record<string, WriteBudget>> = {
  directory: { burst: 3_000, perSecond: 20 },
  intune: { burst: 100, perSecond: 5 },
};

/**
 * Per-tenant gate in front of every request. A 429 closes the gate of the throttled resource family
 * (directory, Intune, reports, Conditional Access: each has its own limits,
 * https://learn.microsoft.com/graph/throttling-limits) until its Retry-After has passed, so no other
 * request of the same tenant hits that scope early and prolongs the throttling. Families with a
 * documented request rate are also paced: a request waits for a free slot in the sliding window.
 */
export class ThrottleGate {
  private readonly closedUntil = new Map<string, number>();
  /** Send times of the paced families' recent requests, oldest first. */
  private readonly sent = new Map<string, number[]>();
  /** Write tokens left per family, as of `at`. */
  private readonly tokens = new Map<string, { left: number; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly paces: Readonly<Record<string, FamilyPace>> = DOCUMENTED_PACES,
    private readonly budgets: Readonly<Record<string, WriteBudget>> = DOCUMENTED_WRITE_BUDGETS,
  ) {}

  close(family: string, untilMs: number): void {
    const current = this.closedUntil.get(family) ?? 0;
    if (untilMs > current) this.closedUntil.set(family, untilMs);
  }

  remainingMs(families: readonly string[]): number {
    const now = this.clock.now();
    let remaining = 0;
    for (const family of families) {
      const until = this.closedUntil.get(family);
      if (until === undefined) continue;
      if (until <= now) this.closedUntil.delete(family);
      else remaining = Math.max(remaining, until - now);
    }
    return remaining;
  }

  /**
   * Waits until every given family is open, has a free pacing slot and the write budget for the
   * request's writes, then takes them (the caller sends right away); returns the time waited.
   */
  async waitOpen(
    families: readonly string[],
    signal?: AbortSignal,
    writes: Readonly<Record<string, number>> = {},
  ): Promise<number> {
    let waited = 0;
    // Loop: another response may extend the closure, or another request take the slot, while we wait.
    for (
      let remaining = this.remainingWithPace(families, writes);
      remaining > 0;
      remaining = this.remainingWithPace(families, writes)
    ) {
      await this.clock.sleep(remaining, signal);
      waited += remaining;
    }
    const now = this.clock.now();
    for (const family of families) if (this.paces[family]) this.sentTimes(family).push(now);
    for (const [family, count] of Object.entries(writes)) {
      const budget = this.budgets[family];
      if (budget === undefined || count <= 0) continue;
      const left = this.tokensLeft(family, budget, now);
      this.tokens.set(family, { left: left - Math.min(count, budget.burst), at: now });
    }
    return waited;
  }

  private tokensLeft(family: string, budget: WriteBudget, now: number): number {
    const state = this.tokens.get(family);
    if (state === undefined) return budget.burst;
    return Math.min(budget.burst, state.left + ((now - state.at) * budget.perSecond) / 1000);
  }

  private remainingWithPace(families: readonly string[], writes: Readonly<Record<string, number>>): number {
    let remaining = this.remainingMs(families);
    const now = this.clock.now();
    for (const [family, count] of Object.entries(writes)) {
      const budget = this.budgets[family];
      if (budget === undefined || count <= 0) continue;
      const missing = Math.min(count, budget.burst) - this.tokensLeft(family, budget, now);
      if (missing > 0) remaining = Math.max(remaining, Math.ceil((missing * 1000) / budget.perSecond));
    }
    for (const family of families) {
      const pace = this.paces[family];
      if (!pace) continue;
      const times = this.sentTimes(family);
      while (times.length > 0 && times[0]! <= now - pace.windowMs) times.shift();
      if (times.length >= pace.requests)
        remaining = Math.max(remaining, times[times.length - pace.requests]! + pace.windowMs - now);
    }
    return remaining;
  }

  private sentTimes(family: string): number[] {
    let times = this.sent.get(family);
    if (!times) this.sent.set(family, (times = []));
    return times;
  }
}

/** The throttling scope a Graph path belongs to. */
export function throttleFamilyOf(path: string): string {
  let pathname = path;
  try {
    if (/^https?:\/\//i.test(path)) pathname = new URL(path).pathname;
  } catch {
    pathname = path;
  }
  const segments = pathname
    .split('?')[0]!
    .split('/')
    .filter((segment) => segment !== '' && segment !== 'v1.0' && segment !== 'beta')
    .map((segment) => segment.toLowerCase());
  const [first, second] = segments;
  if (first === 'devicemanagement' || first === 'deviceappmanagement') return 'intune';
  if (first === 'auditlogs' || first === 'reports') return 'reports';
  if (first === 'identityprotection' || (first === 'identity' && second === 'conditionalaccess')) {
    return 'conditionalAccess';
  }
  return 'directory';
}
