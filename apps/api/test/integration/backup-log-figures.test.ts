import { randomBytes } from 'node:crypto';
import type { ObjectTypeKey } from '@entra-backup/common';
import { Clock } from '../../src/core/clock/clock';
import { BackupReaderService, BackupWriterService, type GraphObject } from '../../src/modules/backup-storage';
import { PayloadCodec } from '../../src/modules/backup-storage/codec/payload-codec';
import { BlobCipher } from '../../src/modules/backup-storage/crypto/blob-cipher';
import { MasterKeyProvider } from '../../src/modules/backup-storage/crypto/master-key.provider';
import { DatabaseGate } from '../../src/persistence/database-gate';
import { BackupLeaseRepository } from '../../src/persistence/repositories/backup-lease.repository';
import {
  BackupObjectRepository,
  type NewBlob,
  type NewLogEntry,
} from '../../src/persistence/repositories/backup-object.repository';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository } from '../../src/persistence/repositories/backup-sql.repository';
import { TenantRepository } from '../../src/persistence/repositories/tenant.repository';
import { buildTenant } from '../support/factories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

class FakeClock extends Clock {
  private at = Date.parse('2026-03-01T08:00:00.000Z');

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

function signIn(n: number): GraphObject {
  return {
    id: `sign-in-${String(n).padStart(4, '0')}`,
    createdDateTime: new Date(Date.UTC(2026, 2, 1, 7, 0, n)).toISOString(),
    userPrincipalName: 'ada@contoso.com',
  };
}

describe.each(testDatabases())('log figures on %s', (engine) => {
  let db: TestDataSource;
  let clock: FakeClock;
  let tenantId: string;
  let objects: BackupObjectRepository;
  let snapshots: BackupSnapshotRepository;
  let writer: BackupWriterService;
  let reader: BackupReaderService;

  beforeEach(async () => {
    db = await createTestDataSource(engine);
    clock = new FakeClock();
    const gate = new DatabaseGate(db.dataSource);
    const sql = new BackupSqlRepository(gate);
    objects = new BackupObjectRepository(sql);
    snapshots = new BackupSnapshotRepository(sql);
    const codec = new PayloadCodec(new BlobCipher(MasterKeyProvider.fromKey(randomBytes(32))));
    writer = new BackupWriterService(snapshots, objects, new BackupLeaseRepository(sql), codec, clock, {
      batchObjects: 2,
      batchBytes: 64 * 1024,
    });
    reader = new BackupReaderService(snapshots, objects, codec, clock);
    tenantId = buildTenant().id;
    await new TenantRepository(gate).insertIfAbsent(buildTenant({ id: tenantId }));
  });

  afterEach(async () => {
    await db.destroy();
  });

  describe(BackupObjectRepository.name, () => {
    const blob: NewBlob = {
      hash: 'a'.repeat(64),
      payload: Buffer.from('sealed entry'),
      rawSize: 12,
      storedSize: 12,
    };
    const entry = (entryId: string): NewLogEntry => ({
      entryId,
      collection: 'signIns',
      contentHash: blob.hash,
    });

    it('returns how many entries an append stored, leaving out ids stored before', async () => {
      const at = clock.now();

      const first = await objects.appendLogs(
        tenantId,
        'signInLogs',
        1,
        [blob],
        [entry('s1'), entry('s2'), entry('s3')],
        at,
      );
      const second = await objects.appendLogs(
        tenantId,
        'signInLogs',
        2,
        [],
        [entry('s2'), entry('s3'), entry('s4')],
        at,
      );
      const otherType = await objects.appendLogs(tenantId, 'auditLogs', 2, [], [entry('s1')], at);

      expect([first, second, otherType]).toEqual([3, 1, 1]);
      await expect(objects.logCountsAt(tenantId, 2)).resolves.toEqual(
        expect.arrayContaining([
          { typeKey: 'signInLogs', collection: 'signIns', entries: 4, storedBytes: 48 },
          { typeKey: 'auditLogs', collection: 'signIns', entries: 1, storedBytes: 12 },
        ]),
      );
    });
  });

  describe('a committed run of a log type', () => {
    async function appendRun(
      type: ObjectTypeKey,
      collection: string,
      batches: readonly GraphObject[][],
      outcome: 'complete' | 'fail' = 'complete',
    ) {
      const sut = await writer.beginSnapshot(tenantId, { mode: 'incremental', types: ['users', type] });
      await sut.put('users', 'users', { id: 'user-1', displayName: 'Ada' });
      await sut.completeType('users');
      for (const batch of batches) await sut.appendLogs(type, collection, batch);
      if (outcome === 'complete') await sut.completeType(type);
      else await sut.failType(type, { reason: 'Graph error' });
      clock.advance(60_000);
      const result = await sut.commit();
      return { result, record: result.types.find((t) => t.typeKey === type)! };
    }

    it('adds the entries not stored before and holds every entry stored so far', async () => {
      const first = await appendRun('signInLogs', 'signIns', [[signIn(1), signIn(2), signIn(3)]]);
      // The next run re-reads an overlap: two of its three entries are stored already.
      const second = await appendRun('signInLogs', 'signIns', [[signIn(2), signIn(3), signIn(4)]]);

      expect(first.record).toMatchObject({
        status: 'succeeded',
        objects: 3,
        added: 3,
        changed: 0,
        removed: 0,
      });
      expect(second.record).toMatchObject({
        status: 'succeeded',
        objects: 4,
        added: 1,
        changed: 0,
        removed: 0,
      });
      await expect(reader.countsAt(tenantId, second.result.snapshotId!)).resolves.toMatchObject({
        signInLogs: { signIns: 4 },
      });
      // The figures read back later (snapshot details) are the ones the commit returned.
      const details = await reader.getSnapshotDetails(tenantId, second.result.snapshotId!);
      expect(details.types.find((t) => t.typeKey === 'signInLogs')).toMatchObject({
        objects: 4,
        added: 1,
        changed: 0,
        removed: 0,
      });
      // An object type of the same run keeps its own figures.
      expect(second.result.types.find((t) => t.typeKey === 'users')).toMatchObject({
        objects: 1,
        added: 0,
        changed: 0,
      });
    });

    it('counts an entry a run appends twice once', async () => {
      const { record } = await appendRun('auditLogs', 'directoryAudits', [
        [{ id: 'audit-1' }, { id: 'audit-2' }, { id: 'audit-3' }],
        [{ id: 'audit-3' }, { id: 'audit-4' }],
      ]);

      expect(record).toMatchObject({ objects: 4, added: 4 });
    });

    it('reports the entries a failed log type stored, which stay in the partial snapshot', async () => {
      await appendRun('auditLogs', 'directoryAudits', [[{ id: 'audit-1' }]]);

      const failed = await appendRun(
        'auditLogs',
        'directoryAudits',
        [[{ id: 'audit-1' }, { id: 'audit-2' }, { id: 'audit-3' }]],
        'fail',
      );

      expect(failed.result.status).toBe('partial');
      expect(failed.record).toMatchObject({ status: 'failed', objects: 3, added: 2, changed: 0, removed: 0 });
      await expect(reader.countsAt(tenantId, failed.result.snapshotId!)).resolves.toMatchObject({
        auditLogs: { directoryAudits: 3 },
      });
    });
  });
});
