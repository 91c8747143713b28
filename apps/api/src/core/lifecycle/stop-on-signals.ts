import { constants } from 'node:os';

/** The signals that stop the service: `docker stop` / Kubernetes (SIGTERM), Ctrl+C (SIGINT). */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * The longest a stop may take before the process gives up waiting and exits non-zero, well inside
 * a container runtime's grace period (10 s by default) so the process is never SIGKILLed.
 */
export const STOP_TIMEOUT_MS = 8_000;

/** What of `process` stopping uses (a port, so it is tested with a double). */
export interface SignalTarget {
  on(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
  removeListener(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
  exit(code: number): void;
}

export interface StopOnSignalsDeps {
  readonly process: SignalTarget;
  readonly log: (message: string) => void;
  readonly error: (message: string) => void;
  readonly timeoutMs?: number;
}

/**
 * Stops the process on SIGTERM or SIGINT: runs `stop` (closing the application, database included,
 * and whatever else the process started) and exits 0, or 1 when it failed or took longer than the
 * timeout; a second signal while stopping exits at once (128 + the signal's number, as a shell
 * reports a process killed by it).
 *
 * The process exits explicitly rather than by re-raising the signal or waiting for the event loop
 * to drain: as PID 1 in a container (no init) the kernel ignores a signal without a handler, so a
 * re-raised SIGTERM would leave the process running until the runtime kills it, and any handle
 * left open (a socket, a timer) would do the same. It therefore behaves the same whatever its PID.
 * @returns a function that removes the handlers
 */
export function stopOnSignals(stop: () => Promise<void>, deps: StopOnSignalsDeps): () => void {
  const { process: proc, log, error } = deps;
  const timeoutMs = deps.timeoutMs ?? STOP_TIMEOUT_MS;
  let stopping = false;
  const onSignal = (signal: StopSignal): void => {
    if (stopping) {
      error(`${signal} received while stopping: exiting now`);
      proc.exit(128 + constants.signals[signal]);
      return;
    }
    stopping = true;
    log(`${signal} received: stopping`);
    const timer = setTimeout(() => {
      error(`Stopping took longer than ${timeoutMs} ms: exiting`);
      proc.exit(1);
    }, timeoutMs);
    stop().then(
      () => {
        clearTimeout(timer);
        log('Stopped');
        proc.exit(0);
      },
      (cause: unknown) => {
        clearTimeout(timer);
        error(`Stopping failed: ${cause instanceof Error ? cause.message : String(cause)}`);
        proc.exit(1);
      },
    );
  };
  for (const signal of STOP_SIGNALS) proc.on(signal, onSignal);
  return () => {
    for (const signal of STOP_SIGNALS) proc.removeListener(signal, onSignal);
  };
}
