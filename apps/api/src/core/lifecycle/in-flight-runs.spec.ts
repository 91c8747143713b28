import { InFlightRuns, isServiceStopping, SERVICE_STOPPING_REASON } from './in-flight-runs';

describe(InFlightRuns.name, () => {
  let sut: InFlightRuns;

  beforeEach(() => {
    jest.useFakeTimers();
    sut = new InFlightRuns(1_500);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  /** A run that ends (rejecting, as an aborted run does) when its signal is aborted. */
  function abortableRun(signal: AbortSignal): Promise<void> {
    return new Promise((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
    );
  }

  it('aborts its runs with a reason that says the service is stopping', () => {
    sut.stop();

    expect(sut.signal.aborted).toBe(true);
    expect(isServiceStopping(sut.signal.reason)).toBe(true);
    expect((sut.signal.reason as Error).message).toBe(SERVICE_STOPPING_REASON);
  });

  it('waits until aborted runs settled', async () => {
    const run = abortableRun(sut.signal);
    sut.track(run);
    sut.stop();

    await expect(sut.settle()).resolves.toBe(true);
    expect(sut.size).toBe(0);
  });

  it('gives up on a run that does not settle after the timeout from the stop', async () => {
    sut.track(new Promise(() => undefined));
    sut.stop();
    let settled: boolean | undefined;
    void sut.settle().then((all) => (settled = all));

    await jest.advanceTimersByTimeAsync(1_499);
    expect(settled).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);

    expect(settled).toBe(false);
    expect(sut.size).toBe(1);
  });
});
