import { EventEmitter } from 'node:events';
import { type SignalTarget, stopOnSignals } from './stop-on-signals';

/** A process double: signals are emitted by the test, exits recorded. */
class FakeProcess extends EventEmitter implements SignalTarget {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe(stopOnSignals.name, () => {
  let proc: FakeProcess;
  let errors: string[];
  let remove: () => void;

  beforeEach(() => {
    jest.useFakeTimers();
    proc = new FakeProcess();
    errors = [];
  });

  afterEach(() => {
    remove?.();
    jest.useRealTimers();
  });

  function install(stop: () => Promise<void>): void {
    remove = stopOnSignals(stop, {
      process: proc,
      log: () => undefined,
      error: (message) => errors.push(message),
      timeoutMs: 5_000,
    });
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('stops once and exits 0 on %s', async (signal) => {
    const stop = jest.fn(() => Promise.resolve());
    install(stop);

    proc.emit(signal, signal);
    await jest.runOnlyPendingTimersAsync();

    expect(stop).toHaveBeenCalledTimes(1);
    expect(proc.exits).toEqual([0]);
  });

  it('exits at once, non-zero, on a second signal while stopping', async () => {
    const stopping = deferred();
    install(() => stopping.promise);

    proc.emit('SIGTERM', 'SIGTERM');
    proc.emit('SIGINT', 'SIGINT');

    expect(proc.exits).toEqual([130]);
    expect(errors).toEqual(['SIGINT received while stopping: exiting now']);
  });

  it('exits 1 when stopping fails', async () => {
    install(() => Promise.reject(new Error('database gone')));

    proc.emit('SIGTERM', 'SIGTERM');
    await jest.runOnlyPendingTimersAsync();

    expect(proc.exits).toEqual([1]);
    expect(errors).toEqual(['Stopping failed: database gone']);
  });

  it('exits 1 when stopping takes longer than the timeout', async () => {
    install(() => deferred().promise);

    proc.emit('SIGTERM', 'SIGTERM');
    await jest.advanceTimersByTimeAsync(4_999);
    expect(proc.exits).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);

    expect(proc.exits).toEqual([1]);
  });

  it('leaves the signals alone once removed', () => {
    install(() => Promise.resolve());
    remove();

    expect(proc.listenerCount('SIGTERM') + proc.listenerCount('SIGINT')).toBe(0);
  });
});
