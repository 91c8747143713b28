/** Why runs still going when the application closes are aborted. */
export const SERVICE_STOPPING_REASON = 'The service is stopping';

/**
 * How long closing the application waits for aborted runs to settle (snapshot discarded, run
 * recorded, lease released) before it closes the database anyway. What does not settle in time is
 * left `running` and marked interrupted by the crash recovery at the next start; a container
 * runtime's stop grace period (10 s by default) must not be spent here.
 */
export const RUNS_SETTLE_TIMEOUT_MS = 1_500;

/** The abort reason of runs stopped because the process is shutting down. */
export class ServiceStoppingError extends Error {
  constructor() {
    super(SERVICE_STOPPING_REASON);
    this.name = ServiceStoppingError.name;
  }
}

/** Whether an abort reason (or the error it surfaced as) says the process is shutting down. */
export function isServiceStopping(reason: unknown): boolean {
  return reason instanceof ServiceStoppingError;
}

/**
 * The runs (backups, restores) a service has going in this process, so that closing the
 * application can abort them and wait, bounded, until they have recorded how they ended. Abort
 * and wait are separate steps: every service aborts first (`onModuleDestroy`) and waits afterwards
 * (`beforeApplicationShutdown`), so all runs wind down at the same time and one bound covers them.
 */
export class InFlightRuns {
  private readonly controller = new AbortController();
  private readonly runs = new Set<Promise<unknown>>();
  private stoppedAt: number | undefined;

  constructor(private readonly settleTimeoutMs: number = RUNS_SETTLE_TIMEOUT_MS) {}

  /** Aborted once the service is stopping; every run combines it into its own signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Follows a run until it settles; a run started after `stop()` is aborted from its start. */
  track(done: Promise<unknown>): void {
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.runs.add(settled);
    void settled.finally(() => this.runs.delete(settled));
  }

  /** Aborts every run, now and to come, with a `ServiceStoppingError`. */
  stop(): void {
    if (this.stoppedAt !== undefined) return;
    this.stoppedAt = Date.now();
    this.controller.abort(new ServiceStoppingError());
  }

  /**
   * Waits until the runs settled, at most until the settle timeout after `stop()`.
   * @returns whether every run settled in time
   */
  async settle(): Promise<boolean> {
    this.stop();
    const left = this.stoppedAt! + this.settleTimeoutMs - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, left));
    });
    try {
      while (this.runs.size > 0) {
        const settled = await Promise.race([Promise.all([...this.runs]).then(() => true), timedOut]);
        if (!settled) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /** How many runs are still going. */
  get size(): number {
    return this.runs.size;
  }
}
