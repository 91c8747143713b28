import { SchedulerRegistry } from '@nestjs/schedule';
import { strictDouble } from '../../../test/support/doubles';
import type { ScheduledBackups } from './scheduled-backups';
import { DUE_CHECK_INTERVAL_MS, SchedulerLoop, STARTUP_CHECK_DELAY_MS } from './scheduler.loop';
import type { SchedulerService } from './scheduler.service';

describe(SchedulerLoop.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('marks runs of stopped processes interrupted before each due-check, and still checks when that fails', async () => {
    const order: string[] = [];
    const scheduler = strictDouble<SchedulerService>('SchedulerService');
    scheduler.tick.mockImplementation(() => {
      order.push('tick');
      return Promise.resolve({ started: [], busy: [], failed: [] });
    });
    const backups = strictDouble<ScheduledBackups>('ScheduledBackups');
    backups.recoverInterrupted
      .mockRejectedValueOnce(new Error('database unavailable'))
      .mockImplementation(() => {
        order.push('recover');
        return Promise.resolve(1);
      });
    const sut = new SchedulerLoop(scheduler, new SchedulerRegistry(), backups);

    sut.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(STARTUP_CHECK_DELAY_MS);
    expect(order).toEqual(['tick']);
    await jest.advanceTimersByTimeAsync(DUE_CHECK_INTERVAL_MS - STARTUP_CHECK_DELAY_MS);
    expect(order).toEqual(['tick', 'recover', 'tick']);
    expect(backups.recoverInterrupted).toHaveBeenCalledTimes(2);

    await sut.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(DUE_CHECK_INTERVAL_MS);
    expect(order).toHaveLength(3);
  });
});
