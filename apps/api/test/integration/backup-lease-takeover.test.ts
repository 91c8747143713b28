import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/core/clock/clock';
import { BackupService } from '../../src/modules/backup';
import {
  BackupLeaseService,
  BackupStorageExceptionCode,
  BackupWriterService,
  INTERRUPTED_REASON,
} from '../../src/modules/backup-storage';
import { requiredReadPermissions } from '../../src/modules/exporters';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';
import { DatabaseGate } from '../../src/persistence/database-gate';
import { BackupLeaseRepository } from '../../src/persistence/repositories/backup-lease.repository';
import { BackupRunReportRepository } from '../../src/persistence/repositories/backup-run-report.repository';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository } from '../../src/persistence/repositories/backup-sql.repository';
import { TenantRepository } from '../../src/persistence/repositories/tenant.repository';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';
import { buildTenant } from '../support/factories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

class FakeClock extends Clock {
  now(): Date {
    return new Date('2026-03-01T10:00:00.000Z');
  }
}

/** The pid of a process that has run and exited: signalling it fails with ESRCH. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

function leaseServiceOn(dataSource: DataSource): {
  service: BackupLeaseService;
  repository: BackupLeaseRepository;
} {
  const repository = new BackupLeaseRepository(new BackupSqlRepository(new DatabaseGate(dataSource)));
  return { service: new BackupLeaseService(repository, new FakeClock()), repository };
}

describe.each(testDatabases())('%s', (engine) => {
  describe(`${BackupLeaseService.name} takeover of a dead local holder`, () => {
    let db: TestDataSource;
    let sut: BackupLeaseService;
    let repository: BackupLeaseRepository;
    let tenantId: string;
    let deadHolder: string;

    beforeEach(async () => {
      db = await createTestDataSource(engine);
      ({ service: sut, repository } = leaseServiceOn(db.dataSource));
      tenantId = buildTenant().id;
      await new TenantRepository(new DatabaseGate(db.dataSource)).insertIfAbsent(
        buildTenant({ id: tenantId }),
      );
      deadHolder = `${hostname()}:${await deadPid()}:0a1b2c3d`;
    });

    afterEach(async () => {
      await db.destroy();
    });

    it('takes over the unexpired lease of a process of this host that no longer exists', async () => {
      const dead = await sut.acquire(tenantId, { holderId: deadHolder, ttlMs: 60_000 });

      const taken = await sut.acquire(tenantId, { holderId: 'cli-2', ttlMs: 60_000 });

      expect(taken.holderId).toBe('cli-2');
      await expect(sut.currentHolder(tenantId)).resolves.toMatchObject({ holderId: 'cli-2' });
      await expect(sut.renew(dead)).rejects.toMatchObject({
        code: BackupStorageExceptionCode.BACKUP_LEASE_LOST,
      });
    });

    it('leaves the lease of another host and of a live local process to their TTL', async () => {
      const otherHost = `other-${deadHolder}`;
      await sut.acquire(tenantId, { holderId: otherHost, ttlMs: 60_000 });
      await expect(sut.tryAcquire(tenantId, { holderId: 'cli-2' })).resolves.toBeNull();
      await expect(sut.currentHolder(tenantId)).resolves.toMatchObject({ holderId: otherHost });

      await repository.release(tenantId, otherHost);
      const live = `${hostname()}:${process.ppid}:0a1b2c3d`;
      await sut.acquire(tenantId, { holderId: live, ttlMs: 60_000 });
      await expect(sut.tryAcquire(tenantId, { holderId: 'cli-2' })).resolves.toBeNull();
      await expect(sut.currentHolder(tenantId)).resolves.toMatchObject({ holderId: live });
    });

    it('changes the row only while it still names the dead holder', async () => {
      await sut.acquire(tenantId, { holderId: deadHolder, ttlMs: 60_000 });
      const now = new Date('2026-03-01T10:00:00.000Z');
      const expiresAt = new Date('2026-03-01T10:01:00.000Z');

      await expect(
        repository.takeOver({ tenantId, fromHolderId: deadHolder, holderId: 'first', now, expiresAt }),
      ).resolves.toBe(true);
      await expect(
        repository.takeOver({ tenantId, fromHolderId: deadHolder, holderId: 'second', now, expiresAt }),
      ).resolves.toBe(false);
      await expect(repository.find(tenantId)).resolves.toMatchObject({ holderId: 'first', expiresAt });
    });

    it('gives a dead holder’s lease to exactly one of several processes racing for it', async () => {
      await sut.acquire(tenantId, { holderId: deadHolder, ttlMs: 60_000 });
      const others = await Promise.all(
        [0, 1].map(async () => {
          const dataSource = new DataSource(buildDataSourceOptions(db.config));
          await dataSource.initialize();
          return dataSource;
        }),
      );
      try {
        const services = [sut, ...others.map((o) => leaseServiceOn(o).service)];
        const attempts = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            services[i % services.length]!.tryAcquire(tenantId, { holderId: `racer-${i}` }),
          ),
        );

        const winners = attempts.filter((a) => a !== null);
        expect(winners).toHaveLength(1);
        await expect(sut.currentHolder(tenantId)).resolves.toMatchObject({
          holderId: winners[0]!.holderId,
        });
      } finally {
        await Promise.all(others.map((o) => o.destroy()));
      }
    });
  });

  describe(`${BackupService.name} after a killed run on this host`, () => {
    jest.setTimeout(120_000);
    let h: BackupEngineHarness;
    let tenantId: string;

    beforeAll(async () => {
      h = await startBackupEngineHarness({ usersPerTenant: 20, engine });
      tenantId = h.tenants[0]!;
      h.consent(tenantId, requiredReadPermissions());
      await h.renewGraphClient();
    });

    afterAll(async () => {
      await h?.close();
    });

    it('starts at once and marks the dead run interrupted, in its report and in storage', async () => {
      // What a SIGKILLed CLI leaves: its lease live, its run and report `running`.
      const deadHolder = `${hostname()}:${await deadPid()}:0a1b2c3d`;
      await h.app.get(BackupLeaseService).acquire(tenantId, { holderId: deadHolder, ttlMs: 60_000 });
      const dead = await h.app.get(BackupWriterService).beginSnapshot(tenantId, {
        mode: 'full',
        types: ['users'],
      });
      await dead.put('users', 'users', { id: 'u-partial' });
      const reports = h.app.get(BackupRunReportRepository);
      await reports.insertRunning({
        runId: dead.runId,
        tenantId,
        trigger: 'cli',
        actor: 'cli',
        mode: 'full',
        types: ['users'],
        startedAt: new Date('2026-11-20T11:59:00Z'),
      });
      // Start-up recovery leaves it alone: the lease is still live.
      await expect(h.app.get(BackupService).recoverInterruptedReports()).resolves.toBe(0);

      const summary = await h.app
        .get(BackupService)
        .runBackup(tenantId, { types: ['users'], trigger: 'cli', actor: 'cli' });

      expect(summary.status).toBe('completed');
      await expect(reports.find(dead.runId)).resolves.toMatchObject({
        status: 'interrupted',
        reason: INTERRUPTED_REASON,
      });
      await expect(h.app.get(BackupSnapshotRepository).findRun(dead.runId)).resolves.toMatchObject({
        status: 'interrupted',
      });
      await expect(h.app.get(BackupSnapshotRepository).findRunning(tenantId)).resolves.toEqual([]);
    });
  });
});
