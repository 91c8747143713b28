import { DataSource } from 'typeorm';
import { Clock } from '../../src/core/clock/clock';
import {
  BackupLeaseService,
  BackupStorageExceptionCode,
  BackupWriterService,
  DEFAULT_WRITER_LIMITS,
} from '../../src/modules/backup-storage';
import { PayloadCodec } from '../../src/modules/backup-storage/codec/payload-codec';
import { BlobCipher } from '../../src/modules/backup-storage/crypto/blob-cipher';
import { MasterKeyProvider } from '../../src/modules/backup-storage/crypto/master-key.provider';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';
import { DatabaseGate } from '../../src/persistence/database-gate';
import { BackupLeaseRepository } from '../../src/persistence/repositories/backup-lease.repository';
import { BackupObjectRepository } from '../../src/persistence/repositories/backup-object.repository';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository } from '../../src/persistence/repositories/backup-sql.repository';
import { TenantRepository } from '../../src/persistence/repositories/tenant.repository';
import { buildTenant } from '../support/factories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

class FakeClock extends Clock {
  private at = Date.parse('2026-03-01T10:00:00.000Z');

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

function buildServices(dataSource: DataSource, clock: Clock) {
  const sql = new BackupSqlRepository(new DatabaseGate(dataSource));
  const leases = new BackupLeaseRepository(sql);
  const snapshots = new BackupSnapshotRepository(sql);
  const codec = new PayloadCodec(new BlobCipher(MasterKeyProvider.fromKey(Buffer.alloc(32, 9))));
  return {
    lease: new BackupLeaseService(leases, clock),
    writer: new BackupWriterService(
      snapshots,
      new BackupObjectRepository(sql),
      leases,
      codec,
      clock,
      DEFAULT_WRITER_LIMITS,
    ),
  };
}

describe.each(testDatabases())('%s', (engine) => {
  describe(BackupLeaseService.name, () => {
    let db: TestDataSource;
    let clock: FakeClock;
    let sut: BackupLeaseService;
    let tenantId: string;

    beforeEach(async () => {
      db = await createTestDataSource(engine);
      clock = new FakeClock();
      sut = buildServices(db.dataSource, clock).lease;
      tenantId = buildTenant().id;
      await new TenantRepository(new DatabaseGate(db.dataSource)).insertIfAbsent(
        buildTenant({ id: tenantId }),
      );
    });

    afterEach(async () => {
      await db.destroy();
    });

    it('gives the lease to one holder at a time and names the holder to whoever is refused', async () => {
      const lease = await sut.acquire(tenantId, { holderId: 'scheduler', ttlMs: 30_000 });

      expect(lease).toEqual({
        tenantId,
        holderId: 'scheduler',
        ttlMs: 30_000,
        expiresAt: new Date('2026-03-01T10:00:30.000Z'),
      });
      await expect(sut.tryAcquire(tenantId, { holderId: 'cli' })).resolves.toBeNull();
      await expect(sut.acquire(tenantId, { holderId: 'cli' })).rejects.toMatchObject({
        code: BackupStorageExceptionCode.BACKUP_LEASE_HELD,
        message: `A backup of tenant ${tenantId} is already running (held by scheduler until 2026-03-01T10:00:30.000Z)`,
      });
      await expect(sut.currentHolder(tenantId)).resolves.toMatchObject({ holderId: 'scheduler' });
    });

    it('lets the holder renew it, and hands it over once it expires unrenewed', async () => {
      const lease = await sut.acquire(tenantId, { holderId: 'scheduler', ttlMs: 30_000 });
      clock.advance(20_000);
      const renewed = await sut.renew(lease);
      expect(renewed.expiresAt).toEqual(new Date('2026-03-01T10:00:50.000Z'));
      clock.advance(20_000);
      await expect(sut.tryAcquire(tenantId, { holderId: 'cli' })).resolves.toBeNull();

      clock.advance(10_000);

      await expect(sut.currentHolder(tenantId)).resolves.toBeNull();
      const taken = await sut.acquire(tenantId, { holderId: 'cli', ttlMs: 30_000 });
      expect(taken.holderId).toBe('cli');
      await expect(sut.renew(renewed)).rejects.toMatchObject({
        code: BackupStorageExceptionCode.BACKUP_LEASE_LOST,
      });
      await sut.release(renewed);
      await expect(sut.currentHolder(tenantId)).resolves.toMatchObject({ holderId: 'cli' });
      await sut.release(taken);
      await expect(sut.currentHolder(tenantId)).resolves.toBeNull();
      await expect(sut.acquire(tenantId, { holderId: 'scheduler' })).resolves.toMatchObject({
        holderId: 'scheduler',
      });
    });

    it('is exclusive across processes racing for it (separate connections)', async () => {
      const other = new DataSource(buildDataSourceOptions(db.config));
      await other.initialize();
      try {
        const rival = buildServices(other, clock).lease;
        const attempts = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 === 0 ? sut : rival).tryAcquire(tenantId, { holderId: `holder-${i}` }),
          ),
        );

        expect(attempts.filter((a) => a !== null)).toHaveLength(1);
      } finally {
        await other.destroy();
      }
    });

    it('rejects unknown tenants and bad options clearly', async () => {
      await expect(sut.acquire('00000000-0000-4000-8000-0000000000ff')).rejects.toMatchObject({
        code: BackupStorageExceptionCode.BACKUP_TENANT_NOT_FOUND,
      });
      await expect(sut.acquire(tenantId, { ttlMs: 10 })).rejects.toThrow('at least 1000');
      await expect(sut.acquire(tenantId, { holderId: '' })).rejects.toThrow('1 to 128 characters');
    });

    it('releases the lease after work done under it, even when the work fails', async () => {
      await expect(
        sut.withLease(tenantId, async (lease) => {
          await expect(sut.currentHolder(tenantId)).resolves.toMatchObject({ holderId: lease.holderId });
          throw new Error('backup failed');
        }),
      ).rejects.toThrow('backup failed');

      await expect(sut.currentHolder(tenantId)).resolves.toBeNull();
    });
  });

  describe(`${BackupWriterService.name} recovery and leases`, () => {
    let db: TestDataSource;

    beforeEach(async () => {
      db = await createTestDataSource(engine);
    });

    afterEach(async () => {
      await db.destroy();
    });

    it('leaves a run alone while its tenant lease is live, and interrupts it once the lease expired', async () => {
      const clock = new FakeClock();
      const { lease, writer: sut } = buildServices(db.dataSource, clock);
      const tenantId = buildTenant().id;
      await new TenantRepository(new DatabaseGate(db.dataSource)).insertIfAbsent(
        buildTenant({ id: tenantId }),
      );
      await lease.acquire(tenantId, { holderId: 'other-process', ttlMs: 60_000 });
      const running = await sut.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
      await running.put('users', 'users', { id: 'u1' });

      await expect(sut.recoverInterruptedRuns()).resolves.toEqual([]);

      clock.advance(60_000);
      await expect(sut.recoverInterruptedRuns()).resolves.toEqual([
        { runId: running.runId, tenantId, snapshotId: running.snapshotId },
      ]);
    });
  });
});
