import { Clock } from './clock';

/**
 * Per-tenant gate in front of every request. A 429 closes the gate of the throttled resource family
 * (directory, Intune, reports, Conditional Access: each has its own limits,
 * https://learn.microsoft.com/graph/throttling-limits) until its Retry-After has passed, so no other
 * request of the same tenant hits that scope early and prolongs the throttling.
 */
export class ThrottleGate {
  private readonly closedUntil = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

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

  /** Waits until every given family is open; returns the time waited. */
  async waitOpen(families: readonly string[], signal?: AbortSignal): Promise<number> {
    let waited = 0;
    // Loop: another response may extend the closure while we wait.
    for (let remaining = this.remainingMs(families); remaining > 0; remaining = this.remainingMs(families)) {
      await this.clock.sleep(remaining, signal);
      waited += remaining;
    }
    return waited;
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
