import { randomBytes } from 'node:crypto';
import { Clock } from '../../src/core/clock/clock';
import {
  BackupReaderService,
  BackupWriterService,
  DEFAULT_WRITER_LIMITS,
} from '../../src/modules/backup-storage';
import { PayloadCodec } from '../../src/modules/backup-storage/codec/payload-codec';
import { BlobCipher } from '../../src/modules/backup-storage/crypto/blob-cipher';
import { MasterKeyProvider } from '../../src/modules/backup-storage/crypto/master-key.provider';
import { DatabaseGate } from '../../src/persistence/database-gate';
import { BackupStagedObjectEntity } from '../../src/persistence/entities';
import { BackupLeaseRepository } from '../../src/persistence/repositories/backup-lease.repository';
import {
  BackupObjectRepository,
  MissingBlobsError,
} from '../../src/persistence/repositories/backup-object.repository';
import { BackupPruneRepository } from '../../src/persistence/repositories/backup-prune.repository';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository } from '../../src/persistence/repositories/backup-sql.repository';
import { TenantRepository } from '../../src/persistence/repositories/tenant.repository';
import { buildTenant } from '../support/factories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

class TickingClock extends Clock {
  private at = Date.parse('2026-12-01T00:00:00.000Z');
  now(): Date {
    this.at += 1000;
    return new Date(this.at);
  }
}

/** Runs `hook` once, right after the writer looked up which blobs already exist. */
class InterleavedObjects extends BackupObjectRepository {
  hook: (() => Promise<void>) | undefined;
  override async existingBlobHashes(hashes: readonly string[]): Promise<Set<string>> {
    const found = await super.existingBlobHashes(hashes);
    const hook = this.hook;
    this.hook = undefined;
    await hook?.();
    return found;
  }
}

describe.each(testDatabases())(
  'Pruning racing a backup of another tenant that reuses its blobs (%s)',
  (engine) => {
    let db: TestDataSource;
    let sql: BackupSqlRepository;
    let objects: InterleavedObjects;
    let writer: BackupWriterService;
    let reader: BackupReaderService;
    let prune: BackupPruneRepository;
    let pruned: string;
    let other: string;

    beforeEach(async () => {
      db = await createTestDataSource(engine);
      const gate = new DatabaseGate(db.dataSource);
      sql = new BackupSqlRepository(gate);
      const tenants = new TenantRepository(gate);
      const [a, b] = [buildTenant(), buildTenant()];
      await tenants.insertIfAbsent(a);
      await tenants.insertIfAbsent(b);
      pruned = a.id;
      other = b.id;
      const codec = new PayloadCodec(new BlobCipher(MasterKeyProvider.fromKey(randomBytes(32))));
      const clock = new TickingClock();
      const snapshots = new BackupSnapshotRepository(sql);
      objects = new InterleavedObjects(sql);
      writer = new BackupWriterService(
        snapshots,
        objects,
        new BackupLeaseRepository(sql),
        codec,
        clock,
        DEFAULT_WRITER_LIMITS,
      );
      reader = new BackupReaderService(snapshots, objects, codec, clock);
      prune = new BackupPruneRepository(sql);
    });

    afterEach(async () => {
      await db.destroy();
    });

    async function snapshotOf(
      tenantId: string,
      user: Record<string, unknown>,
      audit?: { id: string } & Record<string, unknown>,
    ): Promise<string> {
      const snapshot = await writer.beginSnapshot(tenantId, { mode: 'full', types: ['users', 'auditLogs'] });
      await snapshot.put('users', 'users', { id: 'u1', ...user });
      if (audit) await snapshot.appendLogs('auditLogs', 'directoryAudits', [audit]);
      await snapshot.completeType('users');
      await snapshot.completeType('auditLogs');
      return (await snapshot.commit()).snapshotId!;
    }

    /** Prunes the first snapshot of `pruned`, deleting its version and the blob only it referenced. */
    async function pruneFirstSnapshot(first: string, cutoff: Date): Promise<void> {
      await prune.markPruned(pruned, [first]);
      expect((await prune.collectVersions(pruned)).blobs).toBe(1);
      await prune.collectLogs(pruned, cutoff);
    }

    it('stores an object blob again when a prune deleted it between look-up and staging', async () => {
      const first = await snapshotOf(pruned, { name: 'shared' });
      await snapshotOf(pruned, { name: 'changed' });
      objects.hook = () => pruneFirstSnapshot(first, new Date(0));

      const reused = await snapshotOf(other, { name: 'shared' });

      const report = await reader.verify(other);
      expect(report.damaged).toEqual([]);
      await expect(reader.getObjectAt(other, reused, 'users', 'users', 'u1')).resolves.toEqual({
        id: 'u1',
        name: 'shared',
      });
      expect((await reader.verify(pruned)).ok).toBe(true);
    });

    it('stores a log blob again when a prune deleted it between look-up and appending', async () => {
      const entry = { id: 'a1', activityDateTime: '2020-01-01T00:00:00Z', what: 'same everywhere' };
      await snapshotOf(pruned, { name: 'x' }, entry);
      // The first look-up of the other tenant's run is its audit entry: prune the expired entry then.
      objects.hook = async () => {
        expect((await prune.collectLogs(pruned, new Date('2025-01-01T00:00:00Z'))).blobs).toBe(1);
      };
      const snapshot = await writer.beginSnapshot(other, { mode: 'full', types: ['auditLogs'] });
      await snapshot.appendLogs('auditLogs', 'directoryAudits', [entry]);
      await snapshot.completeType('auditLogs');
      await snapshot.commit();

      const report = await reader.verify(other);
      expect(report.damaged).toEqual([]);
      expect(report.logEntriesChecked).toBe(1);
    });

    it('never stages a reference to a blob that is gone', async () => {
      await expect(
        objects.stage(
          (await writer.beginSnapshot(other, { mode: 'full', types: ['users'] })).snapshotId,
          [],
          [{ typeKey: 'users', collection: 'users', objectId: 'u9', contentHash: 'f'.repeat(64) }],
          new Date(),
        ),
      ).rejects.toBeInstanceOf(MissingBlobsError);
      const [row] = await sql.rows<{ n: unknown }>(
        `SELECT COUNT(*) AS "n" FROM ${sql.table(BackupStagedObjectEntity)}`,
      );
      expect(Number(row?.n)).toBe(0);
    });
  },
);
