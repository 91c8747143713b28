import { Clock } from '../../core/clock/clock';
import type {
  BackupLeaseRepository,
  LeaseRecord,
} from '../../persistence/repositories/backup-lease.repository';
import { type BackupLease, BackupLeaseService } from './backup-lease.service';
import { BackupStorageExceptionCode } from './backup-storage.exception';

class FakeClock extends Clock {
  at = Date.parse('2026-03-01T10:00:00.000Z');

  now(): Date {
    return new Date(this.at);
  }
}

type LeaseRepositoryDouble = jest.Mocked<
  Pick<BackupLeaseRepository, 'tryAcquire' | 'renew' | 'release' | 'find' | 'liveTenantIds'>
>;

function buildRepository(): LeaseRepositoryDouble {
  return {
    tryAcquire: jest.fn(),
    renew: jest.fn(),
    release: jest.fn(),
    find: jest.fn(),
    liveTenantIds: jest.fn(),
  };
}

describe(BackupLeaseService.name, () => {
  const tenantId = '11111111-2222-4333-8444-555555555555';
  let clock: FakeClock;
  let repository: LeaseRepositoryDouble;
  let sut: BackupLeaseService;
  const lease: BackupLease = {
    tenantId,
    holderId: 'worker-1',
    ttlMs: 30_000,
    expiresAt: new Date('2026-03-01T10:00:30.000Z'),
  };

  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    clock = new FakeClock();
    repository = buildRepository();
    sut = new BackupLeaseService(repository as unknown as BackupLeaseRepository, clock);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('renews the lease every third of its TTL until stopped, extending from the clock', async () => {
    repository.renew.mockResolvedValue(true);
    const keepAlive = sut.keepAlive(lease, jest.fn());

    clock.at += 10_000;
    await jest.advanceTimersByTimeAsync(10_000);
    clock.at += 10_000;
    await jest.advanceTimersByTimeAsync(10_000);
    keepAlive.stop();
    await jest.advanceTimersByTimeAsync(60_000);

    expect(repository.renew).toHaveBeenCalledTimes(2);
    expect(repository.renew).toHaveBeenLastCalledWith({
      tenantId,
      holderId: 'worker-1',
      now: new Date('2026-03-01T10:00:20.000Z'),
      expiresAt: new Date('2026-03-01T10:00:50.000Z'),
    });
  });

  it('reports a lost lease once and stops renewing', async () => {
    repository.renew.mockResolvedValue(false);
    const onLost = jest.fn();
    sut.keepAlive(lease, onLost);

    await jest.advanceTimersByTimeAsync(50_000);

    expect(onLost).toHaveBeenCalledTimes(1);
    expect(onLost.mock.calls[0]![0]).toMatchObject({ code: BackupStorageExceptionCode.BACKUP_LEASE_LOST });
    expect(repository.renew).toHaveBeenCalledTimes(1);
  });

  it('aborts the work signal when the lease is lost during withLease, and releases afterwards', async () => {
    const held: LeaseRecord = {
      tenantId,
      holderId: 'worker-1',
      acquiredAt: clock.now(),
      expiresAt: lease.expiresAt,
    };
    repository.tryAcquire.mockResolvedValue({ acquired: true, lease: held });
    repository.renew.mockResolvedValue(false);
    repository.release.mockResolvedValue();

    const outcome = sut.withLease(
      tenantId,
      (_lease, signal) =>
        new Promise<string>((resolve) => {
          signal.addEventListener('abort', () => resolve(`aborted: ${(signal.reason as Error).message}`));
        }),
      { holderId: 'worker-1', ttlMs: 30_000 },
    );
    await jest.advanceTimersByTimeAsync(10_000);

    await expect(outcome).resolves.toBe(
      `aborted: The backup lease of tenant ${tenantId} held by worker-1 expired or was taken over`,
    );
    expect(repository.release).toHaveBeenCalledWith(tenantId, 'worker-1');
  });

  it('answers no holder for an expired lease row', async () => {
    repository.find.mockResolvedValue({
      tenantId,
      holderId: 'gone',
      acquiredAt: new Date('2026-03-01T09:00:00.000Z'),
      expiresAt: new Date('2026-03-01T10:00:00.000Z'),
    });

    await expect(sut.currentHolder(tenantId)).resolves.toBeNull();
  });
});
