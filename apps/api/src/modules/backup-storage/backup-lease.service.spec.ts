import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
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
  Pick<BackupLeaseRepository, 'tryAcquire' | 'takeOver' | 'renew' | 'release' | 'find' | 'liveTenantIds'>
>;

function buildRepository(): LeaseRepositoryDouble {
  return {
    tryAcquire: jest.fn(),
    takeOver: jest.fn(),
    renew: jest.fn(),
    release: jest.fn(),
    find: jest.fn(),
    liveTenantIds: jest.fn(),
  };
}

/** The pid of a process that has run and exited, so signalling it fails with ESRCH. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
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

  describe('taking over the lease of a dead process of this host', () => {
    const host = hostname();
    let dead: number;

    beforeAll(async () => {
      dead = await deadPid();
    });

    function heldBy(holderId: string): LeaseRecord {
      return {
        tenantId,
        holderId,
        acquiredAt: new Date('2026-03-01T09:59:50.000Z'),
        expiresAt: new Date('2026-03-01T10:00:50.000Z'),
      };
    }

    it('takes the lease with one conditional update on the dead holder id, and logs it', async () => {
      const deadHolder = `${host}:${dead}:0a1b2c3d`;
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      repository.tryAcquire.mockResolvedValue({ acquired: false, lease: heldBy(deadHolder) });
      repository.takeOver.mockResolvedValue(true);

      await expect(sut.acquire(tenantId, { holderId: 'cli-2', ttlMs: 60_000 })).resolves.toEqual({
        tenantId,
        holderId: 'cli-2',
        ttlMs: 60_000,
        expiresAt: new Date('2026-03-01T10:01:00.000Z'),
      });
      expect(repository.takeOver).toHaveBeenCalledWith({
        tenantId,
        fromHolderId: deadHolder,
        holderId: 'cli-2',
        now: new Date('2026-03-01T10:00:00.000Z'),
        expiresAt: new Date('2026-03-01T10:01:00.000Z'),
      });
      expect(log).toHaveBeenCalledWith(expect.stringContaining(`from ${deadHolder}`));
    });

    it.each([
      ['this process', () => `${host}:${process.pid}:0a1b2c3d`],
      ['a live process of this host', () => `${host}:${process.ppid}:0a1b2c3d`],
      ['a process of another host', () => `other-${host}:${dead}:0a1b2c3d`],
      ['no host:pid:random id', () => 'scheduler'],
      ['an id without its random part', () => `${host}:${dead}`],
      ['an id with a non-numeric pid', () => `${host}:pid${dead}:0a1b2c3d`],
      ['an id with a zero-padded pid', () => `${host}:0${dead}:0a1b2c3d`],
      ['an id with an upper-case random part', () => `${host}:${dead}:0A1B2C3D`],
      ['an id with a trailing part', () => `${host}:${dead}:0a1b2c3d:x`],
    ])('leaves the lease of %s to its TTL', async (_case, holderOf) => {
      const holder = holderOf();
      repository.tryAcquire.mockResolvedValue({ acquired: false, lease: heldBy(holder) });

      await expect(sut.acquire(tenantId, { holderId: 'cli-2' })).rejects.toMatchObject({
        code: BackupStorageExceptionCode.BACKUP_LEASE_HELD,
        message: expect.stringContaining(`held by ${holder} until`),
      });
      expect(repository.takeOver).not.toHaveBeenCalled();
    });

    it('answers no live holder while the lease is held by a dead process of this host', async () => {
      repository.find.mockResolvedValue(heldBy(`${host}:${dead}:0a1b2c3d`));

      await expect(sut.currentHolder(tenantId)).resolves.toMatchObject({
        holderId: `${host}:${dead}:0a1b2c3d`,
      });
      await expect(sut.liveHolder(tenantId)).resolves.toBeNull();
    });

    it.each([
      ['a live process of this host', () => `${host}:${process.ppid}:0a1b2c3d`],
      ['a process of another host', () => `other-${host}:${dead}:0a1b2c3d`],
      ['no host:pid:random id', () => 'scheduler'],
    ])('answers the lease of %s as live', async (_case, holderOf) => {
      repository.find.mockResolvedValue(heldBy(holderOf()));

      await expect(sut.liveHolder(tenantId)).resolves.toMatchObject({ holderId: holderOf() });
    });

    it('is refused when another process took the dead lease over first', async () => {
      repository.tryAcquire
        .mockResolvedValueOnce({ acquired: false, lease: heldBy(`${host}:${dead}:0a1b2c3d`) })
        .mockResolvedValueOnce({ acquired: false, lease: heldBy(`${host}:${process.pid}:99999999`) });
      repository.takeOver.mockResolvedValue(false);

      await expect(sut.tryAcquire(tenantId, { holderId: 'cli-2' })).resolves.toBeNull();
      expect(repository.takeOver).toHaveBeenCalledTimes(1);
      expect(repository.tryAcquire).toHaveBeenCalledTimes(2);
    });
  });
});
