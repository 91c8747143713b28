export interface GraphMetricsSnapshot {
  /** HTTP requests sent (every attempt, every page, every $batch envelope). */
  requests: number;
  /** Repeated attempts: whole requests and individual $batch items. */
  retries: number;
  /** 429 responses (including throttled $batch items). */
  throttledResponses: number;
  /** Waits caused by throttling: backoff after a 429 and waits at a closed gate. */
  throttledWaits: number;
  throttledWaitMs: number;
  /** Response body bytes received. */
  bytesReceived: number;
}

/** Counters of one client; the backup run reports them as its Graph figures. */
export class GraphMetrics {
  private readonly counters: GraphMetricsSnapshot = {
    requests: 0,
    retries: 0,
    throttledResponses: 0,
    throttledWaits: 0,
    throttledWaitMs: 0,
    bytesReceived: 0,
  };

  recordRequest(): void {
    this.counters.requests++;
  }

  recordRetries(count = 1): void {
    this.counters.retries += count;
  }

  recordThrottledResponses(count = 1): void {
    this.counters.throttledResponses += count;
  }

  recordThrottledWait(ms: number): void {
    if (ms <= 0) return;
    this.counters.throttledWaits++;
    this.counters.throttledWaitMs += ms;
  }

  recordBytes(bytes: number): void {
    this.counters.bytesReceived += bytes;
  }

  snapshot(): GraphMetricsSnapshot {
    return { ...this.counters };
  }
}
