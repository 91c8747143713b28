import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type {
  ScheduleRecord,
  ScheduleStateRepository,
} from '../../persistence/repositories/schedule-state.repository';
import { BackupException } from '../backup/backup.exception';
import { nextSlotAfter } from './schedule-math';
import type { ScheduledBackups } from './scheduled-backups';
import { FIRST_RUN_DELAY_MS, SchedulerService } from './scheduler.service';

const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const NOW = new Date('2026-11-26T08:00:00.000Z');
const DUE = new Date('2026-11-26T07:59:00.000Z');

const record = (overrides: Partial<ScheduleRecord> = {}): ScheduleRecord => ({
  tenantId: TID,
  offsetMinutes: 90,
  nextRunAt: DUE,
  firstConfiguredAt: new Date('2026-11-25T08:00:00.000Z'),
  lastRunAt: null,
  lastRunId: null,
  lastError: null,
  firstRunStarted: true,
  claimedBy: null,
  claimedUntil: null,
  ...overrides,
});

describe(SchedulerService.name, () => {
  let sut: SchedulerService;
  let schedules: jest.Mocked<ScheduleStateRepository>;
  let backups: jest.Mocked<ScheduledBackups>;

  beforeEach(() => {
    schedules = strictDouble<ScheduleStateRepository>('ScheduleStateRepository');
    backups = strictDouble<ScheduledBackups>('ScheduledBackups');
    sut = new SchedulerService(schedules, backups, new FixedClock(NOW));
    schedules.findConfiguredWithoutActiveSchedule.mockResolvedValue([]);
    schedules.deactivateUnconfigured.mockResolvedValue(0);
    schedules.findAwaitingFirstRun.mockResolvedValue([]);
    schedules.findDue.mockResolvedValue([TID]);
    schedules.claim.mockResolvedValue(true);
    schedules.find.mockResolvedValue(record());
    schedules.recordNotStarted.mockResolvedValue();
    schedules.recordStarted.mockResolvedValue();
  });

  it('schedules a newly configured tenant a few minutes ahead', async () => {
    schedules.findConfiguredWithoutActiveSchedule.mockResolvedValue([{ tenantId: TID, hasRow: false }]);
    schedules.insertIfAbsent.mockResolvedValue(true);
    schedules.findDue.mockResolvedValue([]);

    await sut.tick();

    expect(schedules.insertIfAbsent).toHaveBeenCalledWith(
      expect.objectContaining({ tenantId: TID, nextRunAt: new Date(NOW.getTime() + FIRST_RUN_DELAY_MS) }),
    );
  });

  it('leaves a schedule another process claimed alone', async () => {
    schedules.claim.mockResolvedValue(false);

    await expect(sut.tick()).resolves.toEqual({ started: [], busy: [], failed: [] });
    expect(backups.startBackup).not.toHaveBeenCalled();
  });

  it('keeps the due time when a run already holds the lease', async () => {
    backups.startBackup.mockRejectedValue(BackupException.alreadyRunning(TID));

    await expect(sut.tick()).resolves.toMatchObject({ busy: [TID] });
    expect(schedules.recordNotStarted).toHaveBeenCalledWith(expect.objectContaining({ nextRunAt: DUE }));
  });

  it('moves to the next slot and keeps the reason when a run cannot start for another reason', async () => {
    backups.startBackup.mockRejectedValue(BackupException.noTypes(TID));

    const result = await sut.tick();

    expect(result.failed).toEqual([
      { tenantId: TID, reason: expect.stringContaining('no object type enabled') },
    ]);
    expect(schedules.recordNotStarted).toHaveBeenCalledWith(
      expect.objectContaining({
        nextRunAt: nextSlotAfter(90, NOW),
        error: expect.stringContaining('no object type'),
      }),
    );
  });

  it('asks for a full backup on the first scheduled run only', async () => {
    schedules.find.mockResolvedValue(record({ firstRunStarted: false }));
    backups.startBackup.mockResolvedValue({ runId: 'run-1' });

    await sut.tick();

    expect(backups.startBackup).toHaveBeenCalledWith(TID, {
      trigger: 'schedule',
      actor: 'schedule',
      full: true,
    });
    expect(schedules.recordStarted).toHaveBeenCalledWith(
      expect.objectContaining({ runId: 'run-1', nextRunAt: nextSlotAfter(90, NOW), holder: sut.holderId }),
    );
  });

  it('takes a full backup made by hand before the first run as the first full backup', async () => {
    schedules.findAwaitingFirstRun.mockResolvedValue([{ tenantId: TID, offsetMinutes: 90 }]);
    backups.lastFullBackup.mockResolvedValue({ runId: 'manual', startedAt: DUE });
    schedules.recordFirstRunTakenElsewhere.mockResolvedValue(true);
    schedules.findDue.mockResolvedValue([]);

    await sut.tick();

    expect(schedules.recordFirstRunTakenElsewhere).toHaveBeenCalledWith(TID, nextSlotAfter(90, NOW), NOW);
  });

  it('keeps the first run while no full backup exists', async () => {
    schedules.findAwaitingFirstRun.mockResolvedValue([{ tenantId: TID, offsetMinutes: 90 }]);
    backups.lastFullBackup.mockResolvedValue(null);
    schedules.findDue.mockResolvedValue([]);

    await sut.tick();

    expect(schedules.recordFirstRunTakenElsewhere).not.toHaveBeenCalled();
  });
});
