import { Clock } from '../../src/resilience/clock';

interface Sleeper {
  at: number;
  resolve: () => void;
}

/**
 * Virtual time for tests. In manual mode time moves only through `advance()`; with `autoAdvance` every
 * sleep moves time forward by its duration at once, so time passes only when the code under test waits.
 */
export class ManualClock extends Clock {
  private current: number;
  private readonly sleepers: Sleeper[] = [];
  readonly sleeps: number[] = [];

  constructor(
    start = Date.parse('2026-01-01T00:00:00Z'),
    private readonly autoAdvance = false,
  ) {
    super();
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(ms);
    if (this.autoAdvance) {
      this.current += Math.max(0, ms);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = { at: this.current + Math.max(0, ms), resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers.splice(this.sleepers.indexOf(sleeper), 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  /** Moves time forward, waking due sleepers in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      this.sleepers.shift();
      this.current = Math.max(this.current, next.at);
      next.resolve();
      await settle();
    }
    this.current = target;
    await settle();
  }
}

/** Lets pending promise continuations (and I/O callbacks) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}
