import { randomUUID } from 'node:crypto';
import { DatabaseGate, NestedDatabaseGateError } from '../../src/persistence/database-gate';
import { BackupRunEntity, BackupSnapshotEntity, TenantEntity } from '../../src/persistence/entities';
import {
  AuditTrailRepository,
  TenantRepository,
  TenantSettingsRepository,
} from '../../src/persistence/repositories';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { BackupSqlRepository } from '../../src/persistence/repositories/backup-sql.repository';
import { buildTenant } from '../support/factories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/**
 * Statements and transactions of different async flows of one process, on a real database file
 * (SQLite: one shared connection) and on PostgreSQL (a pool). Each repository gets its own gate
 * instance, as modules that provide repositories themselves do.
 */
describe.each(testDatabases())(`${DatabaseGate.name} on %s`, (engine) => {
  let db: TestDataSource;
  let sut: DatabaseGate;
  let tenants: TenantRepository;
  let settings: TenantSettingsRepository;
  let audit: AuditTrailRepository;
  let snapshots: BackupSnapshotRepository;

  beforeEach(async () => {
    db = await createTestDataSource(engine);
    sut = new DatabaseGate(db.dataSource);
    tenants = new TenantRepository(new DatabaseGate(db.dataSource));
    settings = new TenantSettingsRepository(new DatabaseGate(db.dataSource));
    audit = new AuditTrailRepository(new DatabaseGate(db.dataSource));
    snapshots = new BackupSnapshotRepository(new BackupSqlRepository(new DatabaseGate(db.dataSource)));
  });

  afterEach(async () => {
    await db.destroy();
  });

  function count(
    entity: typeof BackupRunEntity | typeof BackupSnapshotEntity | typeof TenantEntity,
  ): Promise<number> {
    return sut.run((manager) => manager.getRepository(entity).count());
  }

  it('runs concurrent transactions of two repositories apart, each all or nothing', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const tenant = buildTenant();
      await tenants.insertIfAbsent(tenant);
      ids.push(tenant.id);
    }
    const startedAt = new Date('2026-05-01T10:00:00.000Z');
    const takenSnapshotId = randomUUID();
    const begin = (tenantId: string, snapshotId: string) =>
      snapshots.begin({
        runId: randomUUID(),
        snapshotId,
        tenantId,
        mode: 'full',
        types: ['groups'],
        startedAt,
      });

    const saved = ids.map((id, i) =>
      settings.saveEnabledTypes(id, { groups: true, users: i % 2 === 0 }, new Date(startedAt.getTime() + i)),
    );
    const begun = ids.map((id, i) => begin(id, i === 0 ? takenSnapshotId : randomUUID()));
    // Inserts its run, then fails on the snapshot id taken above: the run insert must be undone
    // without touching the transactions running beside it.
    const failing = begun[0]!.then(() => begin(ids[1]!, takenSnapshotId));

    await expect(Promise.all(saved)).resolves.toHaveLength(ids.length);
    await expect(Promise.all(begun)).resolves.toEqual(ids.map(() => ({ seq: 1 })));
    await expect(failing).rejects.toThrow();

    for (const [i, id] of ids.entries()) {
      const rows = await settings.findByTenant(id);
      expect(rows.map(({ objectType, enabled }) => ({ objectType, enabled }))).toEqual([
        { objectType: 'groups', enabled: true },
        { objectType: 'users', enabled: i % 2 === 0 },
      ]);
      await expect(tenants.findById(id)).resolves.toMatchObject({
        updatedAt: new Date(startedAt.getTime() + i),
      });
    }
    await expect(count(BackupRunEntity)).resolves.toBe(ids.length);
    await expect(count(BackupSnapshotEntity)).resolves.toBe(ids.length);
  });

  it('keeps plain writes and reads of other flows out of a long transaction', async () => {
    const inside = deferred();
    const finish = deferred();
    const doomed = buildTenant();
    const long = sut.transaction(async (manager) => {
      await manager.getRepository(TenantEntity).insert({
        id: doomed.id,
        displayName: doomed.displayName,
        createdAt: doomed.createdAt,
        updatedAt: doomed.createdAt,
      });
      inside.resolve();
      await finish.promise;
      throw new Error('abandoned');
    });
    await inside.promise;

    const bystander = buildTenant();
    const written = audit.append({
      occurredAt: new Date('2026-05-01T10:00:00.000Z'),
      actor: 'admin@contoso.test',
      tenantId: null,
      action: 'settings.updated',
      details: { during: 'long transaction' },
    });
    const inserted = tenants.insertIfAbsent(bystander);
    const read = tenants.findById(doomed.id);
    finish.resolve();

    await expect(long).rejects.toThrow('abandoned');
    await expect(read).resolves.toBeNull();
    await expect(written).resolves.toMatchObject({ action: 'settings.updated' });
    await expect(inserted).resolves.toMatchObject({ id: bystander.id });
    await expect(tenants.findById(doomed.id)).resolves.toBeNull();
    await expect(tenants.listAll()).resolves.toEqual([expect.objectContaining({ id: bystander.id })]);
    await expect(audit.listRecent({ limit: 10 })).resolves.toEqual([
      expect.objectContaining({ action: 'settings.updated', details: { during: 'long transaction' } }),
    ]);
  });

  it('commits a long transaction whole, unseen by reads of other flows until then', async () => {
    const inside = deferred();
    const finish = deferred();
    const kept = buildTenant();
    const long = sut.transaction(async (manager) => {
      const repository = manager.getRepository(TenantEntity);
      await repository.insert({
        id: kept.id,
        displayName: kept.displayName,
        createdAt: kept.createdAt,
        updatedAt: kept.createdAt,
      });
      inside.resolve();
      await finish.promise;
      await repository.update({ id: kept.id }, { displayName: 'Renamed in the transaction' });
      return 'committed';
    });
    await inside.promise;

    const others = Array.from({ length: 5 }, () => buildTenant());
    const inserted = Promise.all(others.map((tenant) => tenants.insertIfAbsent(tenant)));
    const readMeanwhile = tenants.findById(kept.id);
    finish.resolve();

    await expect(long).resolves.toBe('committed');
    // Before the commit (PostgreSQL) or after it (SQLite, where the read waits): never half of it.
    const seen = await readMeanwhile;
    expect([null, 'Renamed in the transaction']).toContain(seen === null ? null : seen.displayName);
    await expect(inserted).resolves.toHaveLength(others.length);
    await expect(tenants.findById(kept.id)).resolves.toMatchObject({
      displayName: 'Renamed in the transaction',
    });
    await expect(count(TenantEntity)).resolves.toBe(others.length + 1);
  });

  it('fails a call made while the flow already holds the gate instead of waiting for itself', async () => {
    await expect(sut.transaction(() => tenants.listAll())).rejects.toBeInstanceOf(NestedDatabaseGateError);
    await expect(sut.run(() => audit.listRecent({ limit: 1 }))).rejects.toBeInstanceOf(
      NestedDatabaseGateError,
    );

    await expect(tenants.listAll()).resolves.toEqual([]);
  });

  it('lets work a flow started inside the gate, but did not await, use the database once it is released', async () => {
    const go = deferred();
    let later: Promise<unknown> | undefined;
    await sut.run(async () => {
      later = go.promise.then(() => tenants.listAll());
    });
    go.resolve();

    await expect(later).resolves.toEqual([]);
  });
});
