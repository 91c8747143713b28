/** Per-route request counts, for tests and benchmarks (`GET /_emulator/counters`). */
export interface RouteCounter {
  method: string;
  path: string;
  count: number;
  statuses: Record<string, number>;
}

export interface CountersSnapshot {
  since: string;
  total: number;
  statuses: Record<string, number>;
  /** Requests answered 429 (by throttling or an injected storm). */
  throttled: number;
  /**
   * Retries of a request sent before the `Retry-After` of its 429/503 had elapsed: a well-behaved client keeps this at 0.
   */
  earlyRetries: number;
  faultsInjected: number;
  droppedConnections: number;
  routes: RouteCounter[];
}

export class RequestCounters {
  private routes = new Map<string, RouteCounter>();
  private statuses: Record<string, number> = {};
  private total = 0;
  private throttled = 0;
  private earlyRetries = 0;
  private faultsInjected = 0;
  private droppedConnections = 0;
  private since: number;

  constructor(private readonly now: () => number) {
    this.since = now();
  }

  recordResponse(method: string, pathTemplate: string, status: number | 'dropped'): void {
    const key = `${method} ${pathTemplate}`;
    let route = this.routes.get(key);
    if (!route) {
      route = { method, path: pathTemplate, count: 0, statuses: {} };
      this.routes.set(key, route);
    }
    const statusKey = String(status);
    route.count += 1;
    route.statuses[statusKey] = (route.statuses[statusKey] ?? 0) + 1;
    this.statuses[statusKey] = (this.statuses[statusKey] ?? 0) + 1;
    this.total += 1;
    if (status === 429) this.throttled += 1;
    if (status === 'dropped') this.droppedConnections += 1;
  }

  recordEarlyRetry(): void {
    this.earlyRetries += 1;
  }

  recordFault(): void {
    this.faultsInjected += 1;
  }

  snapshot(): CountersSnapshot {
    return {
      since: new Date(this.since).toISOString(),
      total: this.total,
      statuses: { ...this.statuses },
      throttled: this.throttled,
      earlyRetries: this.earlyRetries,
      faultsInjected: this.faultsInjected,
      droppedConnections: this.droppedConnections,
      routes: [...this.routes.values()]
        .map((r) => ({ ...r, statuses: { ...r.statuses } }))
        .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
    };
  }

  reset(): void {
    this.routes = new Map();
    this.statuses = {};
    this.total = 0;
    this.throttled = 0;
    this.earlyRetries = 0;
    this.faultsInjected = 0;
    this.droppedConnections = 0;
    this.since = this.now();
  }
}
