import { strictDouble } from '../../../test/support/doubles';
import { PRUNE_CHECK_INTERVAL_MS, PRUNE_STARTUP_DELAY_MS, RetentionLoop } from './retention.loop';
import type { RetentionService } from './retention.service';

describe(RetentionLoop.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('looks for due prunes after start-up and then hourly, carries on after a failed pass, and stops on shutdown', async () => {
    const retention = strictDouble<RetentionService>('RetentionService');
    retention.pruneDue.mockRejectedValueOnce(new Error('database unavailable')).mockResolvedValue([]);
    const sut = new RetentionLoop(retention);

    sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(PRUNE_STARTUP_DELAY_MS - 1);
    expect(retention.pruneDue).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(retention.pruneDue).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(PRUNE_CHECK_INTERVAL_MS - PRUNE_STARTUP_DELAY_MS);
    expect(retention.pruneDue).toHaveBeenCalledTimes(2);

    await sut.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(2 * PRUNE_CHECK_INTERVAL_MS);
    expect(retention.pruneDue).toHaveBeenCalledTimes(2);
  });

  it('never starts a pass while the previous one runs', async () => {
    const retention = strictDouble<RetentionService>('RetentionService');
    let finish: () => void = () => undefined;
    retention.pruneDue.mockImplementation(
      () =>
        new Promise((resolve) => {
          finish = () => resolve([]);
        }),
    );
    const sut = new RetentionLoop(retention);

    sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(PRUNE_STARTUP_DELAY_MS + 3 * PRUNE_CHECK_INTERVAL_MS);
    expect(retention.pruneDue).toHaveBeenCalledTimes(1);
    finish();
    await jest.advanceTimersByTimeAsync(PRUNE_CHECK_INTERVAL_MS);
    expect(retention.pruneDue).toHaveBeenCalledTimes(2);
    finish();
    await sut.onApplicationShutdown();
  });
});
