import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { ObjectTypeKey } from '@entra-backup/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/core/clock/clock';
import {
  BackupReaderService,
  BackupStorageExceptionCode,
  BackupWriterService,
  type GraphObject,
  type SnapshotWriterLimits,
  UNREPORTED_TYPE_REASON,
} from '../../src/modules/backup-storage';
import { PayloadCodec } from '../../src/modules/backup-storage/codec/payload-codec';
import { BlobCipher } from '../../src/modules/backup-storage/crypto/blob-cipher';
import { MasterKeyProvider } from '../../src/modules/backup-storage/crypto/master-key.provider';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';
import { DatabaseGate } from '../../src/persistence/database-gate';
import {
  BackupBlobEntity,
  BackupDeltaStateEntity,
  BackupLeaseEntity,
  BackupLogEntryEntity,
  BackupObjectVersionEntity,
  BackupRunEntity,
  BackupSecretReadEntity,
  BackupStagedObjectEntity,
} from '../../src/persistence/entities';
import { BackupLeaseRepository } from '../../src/persistence/repositories/backup-lease.repository';
import { BackupObjectRepository } from '../../src/persistence/repositories/backup-object.repository';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository, toNumber } from '../../src/persistence/repositories/backup-sql.repository';
import { TenantRepository } from '../../src/persistence/repositories/tenant.repository';
import { buildTenant } from '../support/factories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

class FakeClock extends Clock {
  private at = Date.parse('2026-02-01T08:00:00.000Z');

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

const MASTER_KEY = randomBytes(32);
const SMALL_BATCHES: SnapshotWriterLimits = { batchObjects: 7, batchBytes: 64 * 1024 };

function buildStorage(dataSource: DataSource, clock: Clock, limits: SnapshotWriterLimits = SMALL_BATCHES) {
  const sql = new BackupSqlRepository(new DatabaseGate(dataSource));
  const snapshots = new BackupSnapshotRepository(sql);
  const objects = new BackupObjectRepository(sql);
  const leases = new BackupLeaseRepository(sql);
  const codec = new PayloadCodec(new BlobCipher(MasterKeyProvider.fromKey(MASTER_KEY)));
  return {
    sql,
    writer: new BackupWriterService(snapshots, objects, leases, codec, clock, limits),
    reader: new BackupReaderService(snapshots, objects, codec, clock),
  };
}

function buildUser(n: number, overrides: Record<string, unknown> = {}): GraphObject {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    displayName: `User ${n}`,
    userPrincipalName: `user${n}@contoso.onmicrosoft.com`,
    accountEnabled: true,
    businessPhones: [],
    ...overrides,
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe.each(testDatabases())('backup storage on %s', (engine) => {
  let db: TestDataSource;
  let clock: FakeClock;
  let storage: ReturnType<typeof buildStorage>;
  let tenantId: string;

  beforeEach(async () => {
    db = await createTestDataSource(engine);
    clock = new FakeClock();
    storage = buildStorage(db.dataSource, clock);
    tenantId = buildTenant().id;
    await new TenantRepository(new DatabaseGate(db.dataSource)).insertIfAbsent(buildTenant({ id: tenantId }));
  });

  afterEach(async () => {
    await db.destroy();
  });

  /** Runs a full backup of the given objects per type and commits it. */
  async function fullSnapshot(content: Partial<Record<ObjectTypeKey, Record<string, GraphObject[]>>>) {
    const types = Object.keys(content) as ObjectTypeKey[];
    const sut = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types });
    for (const type of types) {
      for (const [collection, objects] of Object.entries(content[type] ?? {})) {
        for (const object of objects) await sut.put(type, collection, object);
      }
      await sut.completeType(type, { requests: 3, durationMs: 120 });
    }
    clock.advance(60_000);
    return sut.commit();
  }

  async function idsAt(snapshotId: string, type: ObjectTypeKey, collection?: string): Promise<string[]> {
    const objects = await collect(storage.reader.objectsAt(tenantId, snapshotId, type, collection));
    return objects.map((o) => o.id).sort();
  }

  async function blobStats(): Promise<{ count: number; bytes: number }> {
    const [row] = await storage.sql.rows<{ n: unknown; bytes: unknown }>(
      `SELECT COUNT(*) AS "n", SUM("stored_size") AS "bytes" FROM ${storage.sql.table(BackupBlobEntity)}`,
    );
    return { count: toNumber(row?.n), bytes: toNumber(row?.bytes) };
  }

  describe(BackupSqlRepository.name, () => {
    it('undoes every statement of a failed transaction and stays usable', async () => {
      const sut = storage.sql;
      const lease = sut.table(BackupLeaseEntity);
      const insert = `INSERT INTO ${lease} ("tenant_id", "holder_id", "acquired_at", "expires_at") VALUES (?, ?, ?, ?)`;
      const at = '2026-02-01T08:00:00.000Z';

      await expect(
        sut.transaction(async (tx) => {
          await tx.run(insert, [tenantId, 'first', at, at]);
          await tx.run(insert, [tenantId, 'duplicate key', at, at]);
        }),
      ).rejects.toThrow();
      await expect(sut.rows(`SELECT * FROM ${lease}`)).resolves.toEqual([]);

      await sut.transaction((tx) => tx.run(insert, [tenantId, 'second', at, at]));
      await expect(sut.rows<{ holder_id: string }>(`SELECT "holder_id" FROM ${lease}`)).resolves.toEqual([
        { holder_id: 'second' },
      ]);
    });

    it('keeps concurrent transactions of one process apart', async () => {
      const sut = storage.sql;
      const lease = sut.table(BackupLeaseEntity);
      const at = '2026-02-01T08:00:00.000Z';
      const other = buildTenant();
      await new TenantRepository(new DatabaseGate(db.dataSource)).insertIfAbsent(other);

      const failing = sut.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO ${lease} ("tenant_id", "holder_id", "acquired_at", "expires_at") VALUES (?, ?, ?, ?)`,
          [tenantId, 'rolled back', at, at],
        );
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('work failed');
      });
      const succeeding = sut.transaction((tx) =>
        tx.run(
          `INSERT INTO ${lease} ("tenant_id", "holder_id", "acquired_at", "expires_at") VALUES (?, ?, ?, ?)`,
          [other.id, 'kept', at, at],
        ),
      );

      await expect(failing).rejects.toThrow('work failed');
      await expect(succeeding).resolves.toBe(1);
      await expect(sut.rows<{ holder_id: string }>(`SELECT "holder_id" FROM ${lease}`)).resolves.toEqual([
        { holder_id: 'kept' },
      ]);
    });
  });

  describe('writing and reading snapshots', () => {
    it('stores a full snapshot that lists, streams and reads back objects exactly', async () => {
      const users = Array.from({ length: 30 }, (_, i) => buildUser(i));

      const result = await fullSnapshot({ users: { users } });

      expect(result).toMatchObject({ status: 'completed', seq: 1 });
      const [usersResult] = result.types;
      expect(usersResult).toMatchObject({
        typeKey: 'users',
        status: 'succeeded',
        objects: 30,
        added: 30,
        changed: 0,
        removed: 0,
        requests: 3,
        durationMs: 120,
      });
      expect(usersResult!.bytesStored).toBeGreaterThan(0);
      const page = await storage.reader.listSnapshots(tenantId);
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({
        id: result.snapshotId,
        seq: 1,
        status: 'complete',
        mode: 'full',
      });
      const streamed = await collect(storage.reader.objectsAt(tenantId, result.snapshotId!, 'users'));
      expect(streamed.map((o) => o.object)).toEqual([...users].sort((a, b) => (a.id < b.id ? -1 : 1)));
      await expect(
        storage.reader.getObjectAt(tenantId, 'latest', 'users', 'users', users[4]!.id),
      ).resolves.toEqual(users[4]);
      await expect(
        storage.reader.getObjectAt(tenantId, 'latest', 'users', 'users', 'no-such-id'),
      ).resolves.toBeNull();
      await expect(storage.reader.countsAt(tenantId, result.snapshotId!)).resolves.toEqual({
        users: { users: 30 },
      });
    });

    it('stores an unchanged second snapshot in (almost) no bytes: identical content is de-duplicated', async () => {
      const users = Array.from({ length: 40 }, (_, i) => buildUser(i));
      await fullSnapshot({ users: { users } });
      const before = await blobStats();

      const second = await fullSnapshot({ users: { users: [...users].reverse().map((u) => ({ ...u })) } });

      const after = await blobStats();
      expect(after).toEqual(before);
      expect(second.types[0]).toMatchObject({
        objects: 40,
        added: 0,
        changed: 0,
        removed: 0,
        bytesStored: 0,
      });
      const [versions] = await storage.sql.rows<{ n: unknown }>(
        `SELECT COUNT(*) AS "n" FROM ${storage.sql.table(BackupObjectVersionEntity)}`,
      );
      expect(toNumber(versions?.n)).toBe(40);
      await expect(idsAt(second.snapshotId!, 'users')).resolves.toHaveLength(40);
    });

    it('answers "as of snapshot S" for every snapshot after adds, changes and removals', async () => {
      const s1 = await fullSnapshot({ users: { users: [buildUser(1), buildUser(2)] } });
      const s2 = await fullSnapshot({
        users: { users: [buildUser(1, { displayName: 'Renamed' }), buildUser(2), buildUser(3)] },
      });
      const s3 = await fullSnapshot({
        users: { users: [buildUser(1, { displayName: 'Renamed' }), buildUser(3)] },
      });

      await expect(idsAt(s1.snapshotId!, 'users')).resolves.toEqual([buildUser(1).id, buildUser(2).id]);
      await expect(idsAt(s2.snapshotId!, 'users')).resolves.toEqual([
        buildUser(1).id,
        buildUser(2).id,
        buildUser(3).id,
      ]);
      await expect(idsAt(s3.snapshotId!, 'users')).resolves.toEqual([buildUser(1).id, buildUser(3).id]);
      await expect(
        storage.reader.getObjectAt(tenantId, s1.snapshotId!, 'users', 'users', buildUser(1).id),
      ).resolves.toMatchObject({ displayName: 'User 1' });
      await expect(
        storage.reader.getObjectAt(tenantId, s3.snapshotId!, 'users', 'users', buildUser(1).id),
      ).resolves.toMatchObject({ displayName: 'Renamed' });
      expect(s2.types[0]).toMatchObject({ added: 1, changed: 1, removed: 0, objects: 3 });
      expect(s3.types[0]).toMatchObject({ added: 0, changed: 0, removed: 1, objects: 2 });
      const page = await storage.reader.listSnapshots(tenantId, { limit: 2 });
      expect(page.total).toBe(3);
      expect(page.items.map((s) => s.seq)).toEqual([3, 2]);
      const rest = await storage.reader.listSnapshots(tenantId, { limit: 2, offset: 2 });
      expect(rest.items.map((s) => s.id)).toEqual([s1.snapshotId]);
    });

    it('keeps collections of a type apart and streams one collection on request', async () => {
      const result = await fullSnapshot({
        builtInRoles: {
          roleDefinitions: [{ id: 'r1', displayName: 'Global Administrator' }],
          roleAssignments: [
            { id: 'a1', roleDefinitionId: 'r1', principalId: 'p1' },
            { id: 'a2', roleDefinitionId: 'r1', principalId: 'p2' },
          ],
        },
      });

      await expect(idsAt(result.snapshotId!, 'builtInRoles', 'roleAssignments')).resolves.toEqual([
        'a1',
        'a2',
      ]);
      await expect(idsAt(result.snapshotId!, 'builtInRoles')).resolves.toEqual(['a1', 'a2', 'r1']);
      await expect(storage.reader.countsAt(tenantId, 'latest')).resolves.toEqual({
        builtInRoles: { roleAssignments: 2, roleDefinitions: 1 },
      });
    });

    it('streams and verifies across many pages and collections in a stable order', async () => {
      const assignments = Array.from({ length: 260 }, (_, i) => ({
        id: `assignment-${String(i).padStart(4, '0')}`,
      }));
      const definitions = Array.from({ length: 190 }, (_, i) => ({
        id: `definition-${String(i).padStart(4, '0')}`,
      }));
      const result = await fullSnapshot({
        customRoles: { roleAssignments: [...assignments].reverse(), roleDefinitions: definitions },
      });
      const signIns = Array.from({ length: 230 }, (_, i) => ({ id: `signin-${String(i).padStart(4, '0')}` }));
      const logs = await storage.writer.beginSnapshot(tenantId, {
        mode: 'incremental',
        types: ['signInLogs'],
      });
      await logs.appendLogs('signInLogs', 'signIns', signIns);
      await logs.completeType('signInLogs');
      await logs.commit();

      const streamed = await collect(storage.reader.objectsAt(tenantId, result.snapshotId!, 'customRoles'));
      const streamedLogs = await collect(storage.reader.logsAt(tenantId, 'latest', 'signInLogs'));
      const report = await storage.reader.verify(tenantId);

      expect(streamed.map((o) => `${o.collection}/${o.id}`)).toEqual([
        ...assignments.map((a) => `roleAssignments/${a.id}`),
        ...definitions.map((d) => `roleDefinitions/${d.id}`),
      ]);
      expect(streamedLogs.map((e) => e.id)).toEqual(signIns.map((e) => e.id));
      expect(report).toMatchObject({ ok: true, versionsChecked: 450, logEntriesChecked: 230 });
      expect(report.snapshots.map((s) => [s.objects, s.logEntries])).toEqual([
        [450, 230],
        [450, 0],
      ]);
    });

    it('writes many batches and keeps the last put of an object seen twice', async () => {
      const sut = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
      for (let i = 0; i < 250; i += 1) await sut.put('users', 'users', buildUser(i));
      await sut.put('users', 'users', buildUser(3, { displayName: 'Seen again after a restarted page' }));
      await sut.completeType('users');

      const result = await sut.commit();

      expect(result.types[0]).toMatchObject({ objects: 250, added: 250 });
      await expect(
        storage.reader.getObjectAt(tenantId, 'latest', 'users', 'users', buildUser(3).id),
      ).resolves.toMatchObject({
        displayName: 'Seen again after a restarted page',
      });
    });
  });

  describe('run outcomes', () => {
    it('carries a failed type over unchanged and marks the snapshot partial', async () => {
      const s1 = await fullSnapshot({
        users: { users: [buildUser(1), buildUser(2)] },
        groups: { groups: [{ id: 'g1', displayName: 'Sales' }] },
      });
      const sut = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users', 'groups'] });
      await sut.put('users', 'users', buildUser(1, { displayName: 'Half-read change' }));
      await sut.failType('users', {
        reason: 'Graph returned 503 three times',
        graphCode: 'serviceUnavailable',
        requestId: 'req-1',
        requests: 4,
        retries: 3,
      });
      await sut.put('groups', 'groups', { id: 'g2', displayName: 'Marketing' });
      await sut.completeType('groups');

      const s2 = await sut.commit();

      expect(s2.status).toBe('partial');
      expect(s2.types.find((t) => t.typeKey === 'users')).toMatchObject({
        status: 'failed',
        graphCode: 'serviceUnavailable',
        requestId: 'req-1',
        retries: 3,
        objects: 2,
        added: 0,
        changed: 0,
        removed: 0,
      });
      await expect(collect(storage.reader.objectsAt(tenantId, s2.snapshotId!, 'users'))).resolves.toEqual(
        await collect(storage.reader.objectsAt(tenantId, s1.snapshotId!, 'users')),
      );
      await expect(idsAt(s2.snapshotId!, 'groups')).resolves.toEqual(['g2']);
      const details = await storage.reader.getSnapshotDetails(tenantId, s2.snapshotId!);
      expect(details.snapshot.status).toBe('partial');
      // `snapshots` lists sequence numbers; they name the same snapshot as its id, with or without `#`.
      await expect(storage.reader.getSnapshot(tenantId, String(details.snapshot.seq))).resolves.toEqual(
        details.snapshot,
      );
      await expect(storage.reader.getSnapshot(tenantId, `#${details.snapshot.seq}`)).resolves.toEqual(
        details.snapshot,
      );
      await expect(storage.reader.getSnapshot(tenantId, '999999')).rejects.toMatchObject({
        code: BackupStorageExceptionCode.SNAPSHOT_NOT_FOUND,
      });
      expect(details.run.status).toBe('partial');
      expect(details.types.map((t) => [t.typeKey, t.status])).toEqual([
        ['groups', 'succeeded'],
        ['users', 'failed'],
      ]);
    });

    it('records a skipped type with its reason and keeps the run completed', async () => {
      const sut = await storage.writer.beginSnapshot(tenantId, {
        mode: 'full',
        types: ['users', 'signInLogs'],
      });
      await sut.put('users', 'users', buildUser(1));
      await sut.completeType('users');
      await sut.skipType('signInLogs', 'The tenant has no Entra ID P1 or P2 licence', { requests: 1 });

      const result = await sut.commit();

      expect(result.status).toBe('completed');
      expect(result.types.find((t) => t.typeKey === 'signInLogs')).toMatchObject({
        status: 'skipped',
        reason: 'The tenant has no Entra ID P1 or P2 licence',
        requests: 1,
      });
    });

    it('counts a type that never reported as failed', async () => {
      const sut = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users', 'groups'] });
      await sut.put('users', 'users', buildUser(1));
      await sut.completeType('users');

      const result = await sut.commit();

      expect(result.status).toBe('partial');
      expect(result.types.find((t) => t.typeKey === 'groups')).toMatchObject({
        status: 'failed',
        reason: UNREPORTED_TYPE_REASON,
      });
    });

    it('makes nothing visible when every type failed, or when the run is aborted', async () => {
      const s1 = await fullSnapshot({ users: { users: [buildUser(1)] } });
      const failing = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
      await failing.put('users', 'users', buildUser(2));
      await failing.failType('users', { reason: 'Forbidden', graphCode: 'Authorization_RequestDenied' });

      await expect(failing.commit()).resolves.toMatchObject({ status: 'failed', snapshotId: null });

      const aborted = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
      await aborted.put('users', 'users', buildUser(3));
      await aborted.abort('Cancelled by the operator');

      const page = await storage.reader.listSnapshots(tenantId);
      expect(page.items.map((s) => s.id)).toEqual([s1.snapshotId]);
      await expect(idsAt('latest', 'users')).resolves.toEqual([buildUser(1).id]);
      const [staged] = await storage.sql.rows<{ n: unknown }>(
        `SELECT COUNT(*) AS "n" FROM ${storage.sql.table(BackupStagedObjectEntity)}`,
      );
      expect(toNumber(staged?.n)).toBe(0);
    });

    it('rejects misuse of the writer with clear errors', async () => {
      await expect(storage.writer.beginSnapshot(tenantId, { mode: 'full', types: [] })).rejects.toMatchObject(
        {
          code: BackupStorageExceptionCode.BACKUP_INVALID_ARGUMENT,
        },
      );
      await expect(
        storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users', 'nope' as ObjectTypeKey] }),
      ).rejects.toThrow('Unknown object type: nope');
      await expect(
        storage.writer.beginSnapshot('00000000-0000-4000-8000-00000000dead', {
          mode: 'full',
          types: ['users'],
        }),
      ).rejects.toMatchObject({ code: BackupStorageExceptionCode.BACKUP_TENANT_NOT_FOUND });

      const sut = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
      await expect(sut.put('groups', 'groups', { id: 'g1' })).rejects.toThrow(
        'Type groups is not part of this run',
      );
      await expect(
        sut.put('users', 'users', { displayName: 'no id' } as unknown as GraphObject),
      ).rejects.toThrow('has no string id');
      await expect(sut.put('users', 'bad collection!', buildUser(1))).rejects.toThrow('Collection name');
      await sut.completeType('users');
      await expect(sut.put('users', 'users', buildUser(1))).rejects.toMatchObject({
        code: BackupStorageExceptionCode.SNAPSHOT_WRITER_CLOSED,
      });
      await sut.commit();
      await expect(sut.commit()).rejects.toThrow('is committed');
      await expect(storage.reader.getSnapshot(tenantId, 'no-such-snapshot')).rejects.toMatchObject({
        code: BackupStorageExceptionCode.SNAPSHOT_NOT_FOUND,
      });
    });
  });

  describe('restarted enumerations', () => {
    it('forgets what a full run staged in a collection before its enumeration restarted, buffered or written, and nothing else', async () => {
      await fullSnapshot({ users: { users: [buildUser(1), buildUser(2)] } });
      const sut = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users', 'groups'] });
      // 20 objects: with batches of 7, some are written to staging and some still buffered.
      for (let i = 0; i < 20; i += 1) await sut.put('users', 'users', buildUser(i));
      await sut.put('users', 'managers', { id: 'kept-in-another-collection' });
      await sut.put('groups', 'groups', { id: 'g1', displayName: 'Other type' });
      await sut.restartCollection('users', 'users');
      for (const i of [1, 3])
        await sut.put('users', 'users', buildUser(i, { jobTitle: 'After the restart' }));
      await sut.completeType('users');
      await sut.completeType('groups');

      const result = await sut.commit();

      expect(await idsAt(result.snapshotId!, 'users', 'users')).toEqual(
        [buildUser(1).id, buildUser(3).id].sort(),
      );
      expect(await idsAt(result.snapshotId!, 'users', 'managers')).toEqual(['kept-in-another-collection']);
      expect(await idsAt(result.snapshotId!, 'groups')).toEqual(['g1']);
      await expect(
        storage.reader.getObjectAt(tenantId, 'latest', 'users', 'users', buildUser(3).id),
      ).resolves.toMatchObject({ jobTitle: 'After the restart' });
    });
  });

  describe('collections not read (missing consent)', () => {
    it('carries a skipped collection over in a full run, drops what it staged and its new deltaLink, keeps the stored one', async () => {
      const first = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
      await first.put('users', 'users', buildUser(1));
      await first.put('users', 'authenticationMethods', { id: 'm1', type: 'fido2' });
      await first.put('users', 'authenticationMethods', { id: 'm2', type: 'phone' });
      first.setDeltaLink('users', 'authenticationMethods', 'https://graph/methods?$deltatoken=first');
      await first.completeType('users');
      const s1 = await first.commit();

      const second = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
      await second.put('users', 'users', buildUser(1, { jobTitle: 'Changed' }));
      // Staged before Graph denied the collection: must not end up in the snapshot.
      await second.put('users', 'authenticationMethods', { id: 'm3', type: 'partial read' });
      second.setDeltaLink('users', 'authenticationMethods', 'https://graph/methods?$deltatoken=second');
      await second.skipCollection('users', 'authenticationMethods');
      await second.completeType('users');
      clock.advance(60_000);
      const s2 = await second.commit();

      expect(s2.status).toBe('completed');
      expect(s2.types[0]).toMatchObject({ status: 'succeeded', removed: 0, changed: 1 });
      expect(await idsAt(s2.snapshotId!, 'users', 'authenticationMethods')).toEqual(['m1', 'm2']);
      const diff = await storage.reader.compare(tenantId, s1.snapshotId!, s2.snapshotId!);
      expect([...diff.keys()]).toEqual(['users/users']);
      await expect(storage.reader.deltaLinks(tenantId, 'users')).resolves.toEqual([
        expect.objectContaining({
          collection: 'authenticationMethods',
          deltaLink: 'https://graph/methods?$deltatoken=first',
          snapshotSeq: 1,
        }),
      ]);

      // Once the consent holds it again, a full run closes what is gone as usual.
      const third = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
      await third.put('users', 'users', buildUser(1, { jobTitle: 'Changed' }));
      await third.put('users', 'authenticationMethods', { id: 'm1', type: 'fido2' });
      await third.completeType('users');
      const s3 = await third.commit();
      expect(await idsAt(s3.snapshotId!, 'users', 'authenticationMethods')).toEqual(['m1']);
    });
  });

  describe('incremental runs', () => {
    it('touches only what delta reported and yields the state a full run would', async () => {
      await fullSnapshot({ users: { users: [buildUser(1), buildUser(2), buildUser(3)] } });
      const sut = await storage.writer.beginSnapshot(tenantId, { mode: 'incremental', types: ['users'] });
      await sut.put('users', 'users', buildUser(1, { jobTitle: 'Engineer' }));
      await sut.remove('users', 'users', buildUser(2).id);
      await sut.put('users', 'users', buildUser(4));
      await sut.remove('users', 'users', 'never-existed');
      await sut.completeType('users');

      const incremental = await sut.commit();

      expect(incremental.types[0]).toMatchObject({ added: 1, changed: 1, removed: 1, objects: 3 });
      const full = await fullSnapshot({
        users: { users: [buildUser(1, { jobTitle: 'Engineer' }), buildUser(3), buildUser(4)] },
      });
      expect(full.types[0]).toMatchObject({ added: 0, changed: 0, removed: 0 });
      await expect(
        collect(storage.reader.objectsAt(tenantId, incremental.snapshotId!, 'users')),
      ).resolves.toEqual(await collect(storage.reader.objectsAt(tenantId, full.snapshotId!, 'users')));
    });

    it('stores delta links sealed, and replaces them only when the type succeeds in a committed snapshot', async () => {
      const first = await storage.writer.beginSnapshot(tenantId, {
        mode: 'full',
        types: ['users', 'groups'],
      });
      first.setDeltaLink(
        'users',
        'users',
        'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=first',
        new Date('2026-02-01T08:00:00Z'),
      );
      first.setDeltaLink('groups', 'groups', 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=g1');
      await first.completeType('users');
      await first.completeType('groups');
      await first.commit();
      const second = await storage.writer.beginSnapshot(tenantId, {
        mode: 'incremental',
        types: ['users', 'groups'],
      });
      second.setDeltaLink(
        'users',
        'users',
        'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=second',
      );
      second.setDeltaLink('groups', 'groups', 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=g2');
      await second.completeType('users');
      await second.failType('groups', { reason: 'Delta token expired and the full resync failed' });
      await second.commit();
      const third = await storage.writer.beginSnapshot(tenantId, { mode: 'incremental', types: ['users'] });
      third.setDeltaLink('users', 'users', 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=never');
      await third.abort('stopped');

      await expect(storage.reader.deltaLinks(tenantId, 'users')).resolves.toEqual([
        expect.objectContaining({
          collection: 'users',
          deltaLink: 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=second',
          snapshotSeq: 2,
        }),
      ]);
      await expect(storage.reader.deltaLinks(tenantId, 'groups')).resolves.toEqual([
        expect.objectContaining({
          deltaLink: 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=g1',
          snapshotSeq: 1,
        }),
      ]);
      const raw = await storage.sql.rows<{ sealed_link: Buffer }>(
        `SELECT "sealed_link" FROM ${storage.sql.table(BackupDeltaStateEntity)}`,
      );
      for (const row of raw)
        expect(Buffer.from(row.sealed_link).includes(Buffer.from('deltatoken'))).toBe(false);
    });
  });

  describe('secrets read by runs that did not commit them', () => {
    it('keeps them sealed through an interrupted run and a failed type, until a snapshot holds the type', async () => {
      const key = '111111-222222-333333-444444-555555-666666-777777-888888';
      // A run that reads keys and then dies (never committed nor aborted).
      await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['bitlockerKeys'] });
      await storage.writer.rememberSecretReads(tenantId, 'bitlockerKeys', [['k1', key]]);
      // A second read of the same key (it cannot differ) keeps the first.
      await storage.writer.rememberSecretReads(tenantId, 'bitlockerKeys', [
        ['k1', key],
        ['k2', 'second-key'],
      ]);
      // The next run interrupts the dead one and discards what it staged, not the keys it read.
      const failed = await storage.writer.beginSnapshot(tenantId, {
        mode: 'full',
        types: ['bitlockerKeys', 'users'],
      });
      const statuses = await storage.sql.rows<{ status: string }>(
        `SELECT "status" FROM ${storage.sql.table(BackupRunEntity)} ORDER BY "status"`,
      );
      expect(statuses).toEqual([{ status: 'interrupted' }, { status: 'running' }]);
      const [row] = await storage.sql.rows<{ sealed_value: string }>(
        `SELECT "sealed_value" FROM ${storage.sql.table(BackupSecretReadEntity)} WHERE "object_id" = 'k1'`,
      );
      expect(row!.sealed_value).not.toContain(key);
      expect(Buffer.from(row!.sealed_value, 'base64').includes(Buffer.from(key))).toBe(false);
      await expect(storage.writer.recallSecretReads(tenantId, 'bitlockerKeys')).resolves.toEqual(
        new Map([
          ['k1', key],
          ['k2', 'second-key'],
        ]),
      );

      await failed.completeType('users', { requests: 1 });
      await failed.failType('bitlockerKeys', { reason: 'throttled' });
      await failed.commit();
      expect((await storage.writer.recallSecretReads(tenantId, 'bitlockerKeys')).size).toBe(2);

      await fullSnapshot({ bitlockerKeys: { recoveryKeys: [{ id: 'k1', key }] } });
      await expect(storage.writer.recallSecretReads(tenantId, 'bitlockerKeys')).resolves.toEqual(new Map());
    });
  });

  describe('append-only logs', () => {
    it('stores each log entry once, from the snapshot that first saw it, and advances the watermark on commit', async () => {
      const signIn = (id: string, at: string) => ({
        id,
        createdDateTime: at,
        userPrincipalName: 'ada@contoso.com',
      });
      const first = await storage.writer.beginSnapshot(tenantId, {
        mode: 'incremental',
        types: ['signInLogs'],
      });
      await first.appendLogs('signInLogs', 'signIns', [
        signIn('s1', '2026-02-01T07:00:00Z'),
        signIn('s2', '2026-02-01T07:30:00Z'),
      ]);
      first.setWatermark('signInLogs', '2026-02-01T07:30:00Z');
      await first.completeType('signInLogs');
      const s1 = await first.commit();
      const second = await storage.writer.beginSnapshot(tenantId, {
        mode: 'incremental',
        types: ['signInLogs'],
      });
      // The engine re-reads with an overlap: s2 comes again and must not be stored twice.
      await second.appendLogs('signInLogs', 'signIns', [
        signIn('s2', '2026-02-01T07:30:00Z'),
        signIn('s3', '2026-02-01T08:10:00Z'),
      ]);
      second.setWatermark('signInLogs', '2026-02-01T08:10:00Z');
      await storage.reader
        .watermark(tenantId, 'signInLogs')
        .then((w) => expect(w).toBe('2026-02-01T07:30:00Z'));
      await second.completeType('signInLogs');
      const s2 = await second.commit();

      await expect(collect(storage.reader.logsAt(tenantId, s1.snapshotId!, 'signInLogs'))).resolves.toEqual([
        { collection: 'signIns', id: 's1', object: signIn('s1', '2026-02-01T07:00:00Z') },
        { collection: 'signIns', id: 's2', object: signIn('s2', '2026-02-01T07:30:00Z') },
      ]);
      const later = await collect(storage.reader.logsAt(tenantId, s2.snapshotId!, 'signInLogs'));
      expect(later.map((e) => e.id)).toEqual(['s1', 's2', 's3']);
      await expect(storage.reader.watermark(tenantId, 'signInLogs')).resolves.toBe('2026-02-01T08:10:00Z');
      await expect(storage.reader.diff(tenantId, s1.snapshotId!, s2.snapshotId!)).resolves.toMatchObject({
        types: [
          {
            type: 'signInLogs',
            collections: [{ collection: 'signIns', added: ['s3'], changed: [], removed: [] }],
          },
        ],
      });
      await expect(storage.reader.countsAt(tenantId, s2.snapshotId!)).resolves.toEqual({
        signInLogs: { signIns: 3 },
      });
      const [rows] = await storage.sql.rows<{ n: unknown }>(
        `SELECT COUNT(*) AS "n" FROM ${storage.sql.table(BackupLogEntryEntity)}`,
      );
      expect(toNumber(rows?.n)).toBe(3);
    });
  });

  describe('diff', () => {
    it('reports added, changed (with property names) and removed objects per type and collection', async () => {
      const s1 = await fullSnapshot({
        users: { users: [buildUser(1), buildUser(2), buildUser(3)] },
        groups: { groups: [{ id: 'g1', displayName: 'Sales' }] },
      });
      const s2 = await fullSnapshot({
        users: {
          users: [buildUser(1, { displayName: 'Ada', jobTitle: 'CTO' }), buildUser(3), buildUser(4)],
        },
        groups: { groups: [{ id: 'g1', displayName: 'Sales' }] },
      });

      const diff = await storage.reader.diff(tenantId, s1.snapshotId!, s2.snapshotId!);

      expect(diff.from.id).toBe(s1.snapshotId);
      expect(diff.to.id).toBe(s2.snapshotId);
      expect(diff.types).toEqual([
        {
          type: 'users',
          collections: [
            {
              collection: 'users',
              added: [buildUser(4).id],
              changed: [{ id: buildUser(1).id, properties: ['displayName', 'jobTitle'] }],
              removed: [buildUser(2).id],
            },
          ],
        },
      ]);
      const reverse = await storage.reader.diff(tenantId, s2.snapshotId!, s1.snapshotId!);
      expect(reverse.types[0]!.collections[0]).toMatchObject({
        added: [buildUser(2).id],
        removed: [buildUser(4).id],
      });
      await expect(storage.reader.diff(tenantId, s1.snapshotId!, s1.snapshotId!)).resolves.toMatchObject({
        types: [],
      });
    });
  });

  describe('verify', () => {
    it('passes on intact data and reports counts and bytes per snapshot', async () => {
      await fullSnapshot({ users: { users: [buildUser(1), buildUser(2)] } });
      await fullSnapshot({ users: { users: [buildUser(1), buildUser(2), buildUser(3)] } });

      const report = await storage.reader.verify(tenantId);

      expect(report).toMatchObject({ ok: true, versionsChecked: 3, damaged: [] });
      expect(report.snapshots.map((s) => [s.seq, s.objects, s.damaged])).toEqual([
        [2, 3, 0],
        [1, 2, 0],
      ]);
      expect(report.snapshots[0]!.storedBytes).toBeGreaterThan(report.snapshots[1]!.storedBytes);
    });

    it('detects a flipped byte and names the damaged object and the snapshots it affects', async () => {
      const s1 = await fullSnapshot({ users: { users: [buildUser(1), buildUser(2)] } });
      const s2 = await fullSnapshot({
        users: { users: [buildUser(1, { displayName: 'New' }), buildUser(2)] },
      });
      const blob = storage.sql.table(BackupBlobEntity);
      const versions = storage.sql.table(BackupObjectVersionEntity);
      const [target] = await storage.sql.rows<{ content_hash: string }>(
        `SELECT "content_hash" FROM ${versions} WHERE "object_id" = ? AND "valid_to_seq" IS NOT NULL`,
        [buildUser(1).id],
      );
      const [stored] = await storage.sql.rows<{ payload: Buffer }>(
        `SELECT "payload" FROM ${blob} WHERE "hash" = ?`,
        [target!.content_hash],
      );
      const damaged = Buffer.from(stored!.payload);
      damaged[damaged.length - 3] = damaged[damaged.length - 3]! ^ 0x10;
      await storage.sql.run(`UPDATE ${blob} SET "payload" = ? WHERE "hash" = ?`, [
        damaged,
        target!.content_hash,
      ]);

      const report = await storage.reader.verify(tenantId);

      expect(report.ok).toBe(false);
      expect(report.damaged).toEqual([
        expect.objectContaining({
          kind: 'object',
          type: 'users',
          collection: 'users',
          id: buildUser(1).id,
          problem: 'unreadable',
          snapshotIds: [s1.snapshotId],
        }),
      ]);
      expect(report.snapshots.find((s) => s.snapshotId === s1.snapshotId)).toMatchObject({
        damaged: 1,
        damagedTypes: ['users'],
      });
      expect(report.snapshots.find((s) => s.snapshotId === s2.snapshotId)).toMatchObject({
        damaged: 0,
        damagedTypes: [],
      });
      await expect(
        storage.reader.getObjectAt(tenantId, s2.snapshotId!, 'users', 'users', buildUser(1).id),
      ).resolves.toMatchObject({ displayName: 'New' });
      await expect(
        storage.reader.getObjectAt(tenantId, s1.snapshotId!, 'users', 'users', buildUser(1).id),
      ).rejects.toThrow();
    });
  });

  describe('verify (missing data)', () => {
    it('reports a missing blob for objects and log entries that refer to it', async () => {
      const result = await fullSnapshot({ users: { users: [buildUser(1), buildUser(2)] } });
      const logs = await storage.writer.beginSnapshot(tenantId, {
        mode: 'incremental',
        types: ['auditLogs'],
      });
      await logs.appendLogs('auditLogs', 'directoryAudits', [
        { id: 'audit-1', activityDisplayName: 'Add user' },
      ]);
      await logs.completeType('auditLogs');
      const withLogs = await logs.commit();
      const versions = storage.sql.table(BackupObjectVersionEntity);
      const [user] = await storage.sql.rows<{ content_hash: string }>(
        `SELECT "content_hash" FROM ${versions} WHERE "object_id" = ?`,
        [buildUser(2).id],
      );
      const [audit] = await storage.sql.rows<{ content_hash: string }>(
        `SELECT "content_hash" FROM ${storage.sql.table(BackupLogEntryEntity)} WHERE "entry_id" = 'audit-1'`,
      );
      await storage.sql.run(`DELETE FROM ${storage.sql.table(BackupBlobEntity)} WHERE "hash" IN (?, ?)`, [
        user!.content_hash,
        audit!.content_hash,
      ]);

      const report = await storage.reader.verify(tenantId);

      expect(report.ok).toBe(false);
      expect(report.damaged).toEqual([
        expect.objectContaining({
          kind: 'object',
          id: buildUser(2).id,
          problem: 'missing-blob',
          snapshotIds: [withLogs.snapshotId, result.snapshotId],
        }),
        expect.objectContaining({
          kind: 'log',
          type: 'auditLogs',
          id: 'audit-1',
          problem: 'missing-blob',
          snapshotIds: [withLogs.snapshotId],
        }),
      ]);
      expect(report.snapshots.map((s) => [s.seq, s.damaged, s.damagedTypes])).toEqual([
        [2, 2, ['auditLogs', 'users']],
        [1, 1, ['users']],
      ]);
    });
  });

  describe('crash safety', () => {
    it('keeps the previous view when a run dies mid-way, and the next run succeeds', async () => {
      const s1 = await fullSnapshot({ users: { users: [buildUser(1), buildUser(2)] } });
      const before = await collect(storage.reader.objectsAt(tenantId, s1.snapshotId!, 'users'));
      const dying = await storage.writer.beginSnapshot(tenantId, {
        mode: 'full',
        types: ['users', 'auditLogs'],
      });
      for (let i = 10; i < 60; i += 1) await dying.put('users', 'users', buildUser(i));
      await dying.appendLogs('auditLogs', 'directoryAudits', [
        { id: 'audit-1', activityDisplayName: 'Add user' },
      ]);
      dying.setDeltaLink('users', 'users', 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=dead');
      await dying.completeType('users');
      // The process dies here: the writer is abandoned and the connection closed without a commit.
      await db.dataSource.destroy();

      const reopened = new DataSource(buildDataSourceOptions(db.config));
      await reopened.initialize();
      try {
        const restarted = buildStorage(reopened, clock);
        await expect(restarted.reader.listSnapshots(tenantId)).resolves.toMatchObject({ total: 1 });

        const recovered = await restarted.writer.recoverInterruptedRuns();

        expect(recovered).toEqual([{ runId: dying.runId, tenantId, snapshotId: dying.snapshotId }]);
        await expect(restarted.writer.recoverInterruptedRuns()).resolves.toEqual([]);
        await expect(collect(restarted.reader.objectsAt(tenantId, 'latest', 'users'))).resolves.toEqual(
          before,
        );
        await expect(restarted.reader.deltaLinks(tenantId, 'users')).resolves.toEqual([]);
        for (const entity of [BackupStagedObjectEntity, BackupLogEntryEntity]) {
          const [row] = await restarted.sql.rows<{ n: unknown }>(
            `SELECT COUNT(*) AS "n" FROM ${restarted.sql.table(entity)}`,
          );
          expect(toNumber(row?.n)).toBe(0);
        }
        const [run] = await restarted.sql.rows<{ status: string; reason: string }>(
          `SELECT "status", "reason" FROM ${restarted.sql.table(BackupRunEntity)} WHERE "id" = ?`,
          [dying.runId],
        );
        expect(run).toMatchObject({ status: 'interrupted' });

        const next = await restarted.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
        await next.put('users', 'users', buildUser(1));
        await next.completeType('users');
        const s3 = await next.commit();
        expect(s3).toMatchObject({ status: 'completed', seq: 3 });
        expect(s3.types[0]).toMatchObject({ objects: 1, removed: 1 });
        await expect(collect(restarted.reader.objectsAt(tenantId, s1.snapshotId!, 'users'))).resolves.toEqual(
          before,
        );
      } finally {
        await reopened.destroy();
      }
    });

    it('interrupts a dead run of the tenant when a new run begins (its lease holder is gone)', async () => {
      const dead = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
      await dead.put('users', 'users', buildUser(1));

      const next = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
      await next.put('users', 'users', buildUser(2));
      await next.completeType('users');
      await next.commit();

      await expect(idsAt('latest', 'users')).resolves.toEqual([buildUser(2).id]);
      await expect(dead.commit()).rejects.toThrow('no longer being written');
    });
  });

  if (engine === 'sqlite') {
    it('never writes a secret value in plaintext to the SQLite file or its WAL', async () => {
      const recoveryKey = '482119-306174-557909-120736-641454-291335-695398-013794';
      const deltaToken = `tok${randomBytes(12).toString('hex')}`;
      const sut = await storage.writer.beginSnapshot(tenantId, { mode: 'full', types: ['bitlockerKeys'] });
      await sut.put('bitlockerKeys', 'recoveryKeys', {
        id: 'b7d8a1c2-key',
        deviceId: 'dev-1',
        volumeType: 1,
        key: recoveryKey,
      });
      sut.setDeltaLink(
        'bitlockerKeys',
        'recoveryKeys',
        `https://graph.microsoft.com/v1.0/x?$deltatoken=${deltaToken}`,
      );
      await sut.completeType('bitlockerKeys');
      await sut.commit();
      if (db.config.type !== 'sqlite') throw new Error('expected SQLite');
      const files = [db.config.path, `${db.config.path}-wal`];
      const needles = [recoveryKey, '306174-557909', deltaToken].map((s) => Buffer.from(s));

      const scan = async () => {
        let scanned = 0;
        for (const file of files) {
          const exists = await stat(file).then(
            () => true,
            () => false,
          );
          if (!exists) continue;
          const bytes = await readFile(file);
          scanned += bytes.length;
          for (const needle of needles) expect(bytes.includes(needle)).toBe(false);
        }
        return scanned;
      };

      expect(await scan()).toBeGreaterThan(0);
      await expect(
        storage.reader.getObjectAt(tenantId, 'latest', 'bitlockerKeys', 'recoveryKeys', 'b7d8a1c2-key'),
      ).resolves.toMatchObject({ key: recoveryKey });
      await db.dataSource.destroy();
      expect(await scan()).toBeGreaterThan(0);
    });
  }
});
