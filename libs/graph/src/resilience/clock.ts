/**
 * Time port. Retry, throttling and token-refresh decisions read time only through this class, so tests
 * drive them with a virtual clock instead of sleeping.
 */
export abstract class Clock {
  /** Milliseconds since the epoch. */
  abstract now(): number;
  /** Resolves after `ms` milliseconds; rejects with the signal's reason when aborted first. */
  abstract sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
