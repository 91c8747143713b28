import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, type INestApplicationContext, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadAppConfig } from '../../src/config/app-config';
import { AppConfigModule } from '../../src/config/config.module';
import { ClockModule } from '../../src/core/clock/clock.module';
import {
  BackupLeaseService,
  BackupReaderService,
  BackupWriterService,
} from '../../src/modules/backup-storage';
import { BrowseIndexService } from '../../src/modules/browse/browse-index.service';
import { BrowseModule } from '../../src/modules/browse/browse.module';
import { BrowseService } from '../../src/modules/browse/browse.service';
import { BROWSE_SPEC_VERSION } from '../../src/modules/exporters/browse-spec';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';
import { DatabaseGate } from '../../src/persistence/database-gate';
import { ObjectSummaryEntity } from '../../src/persistence/entities';
import { BackupSqlRepository } from '../../src/persistence/repositories/backup-sql.repository';
import { AuditTrailRepository } from '../../src/persistence/repositories/audit-trail.repository';
import { TenantRepository } from '../../src/persistence/repositories/tenant.repository';
import { buildTenant } from '../support/factories';
import {
  createTestDatabaseLocation,
  type TestDatabaseLocation,
  testDatabases,
} from '../support/test-database';

/** What `PersistenceModule` and `CoreModule` provide globally. */
@Global()
@Module({
  imports: [ClockModule],
  providers: [DatabaseGate, AuditTrailRepository, TenantRepository],
  exports: [DatabaseGate, AuditTrailRepository, TenantRepository],
})
class GlobalsModule {}

type User = {
  id: string;
  displayName: string;
  userPrincipalName: string;
  department?: string;
  accountEnabled: boolean;
  manager?: { '@odata.type': string; id: string } | null;
};

function user(n: number, overrides: Partial<User> = {}): User {
  return {
    id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
    displayName: `User ${n}`,
    userPrincipalName: `user${n}@contoso.example`,
    department: 'Sales',
    accountEnabled: true,
    ...overrides,
  };
}

describe.each(testDatabases())('The browse index on %s', (engine) => {
  let location: TestDatabaseLocation;
  let dataDir: string;
  let app: INestApplicationContext;
  let tenantId: string;

  beforeEach(async () => {
    location = await createTestDatabaseLocation(engine);
    dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-data-'));
    const config = loadAppConfig({ ENTRA_BACKUP_DATA_DIR: dataDir });
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(config),
        TypeOrmModule.forRoot(buildDataSourceOptions(location.config)),
        GlobalsModule,
        BrowseModule,
      ],
    }).compile();
    app = await moduleRef.init();
    tenantId = buildTenant().id;
    await app.get(TenantRepository).insertIfAbsent(buildTenant({ id: tenantId }));
  });

  afterEach(async () => {
    await app.close();
    await location.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function backUp(
    mode: 'full' | 'incremental',
    put: readonly User[],
    removed: readonly string[] = [],
  ): Promise<number> {
    const writer = app.get(BackupWriterService);
    const result = await app.get(BackupLeaseService).withLease(tenantId, async () => {
      const snapshot = await writer.beginSnapshot(tenantId, { mode, types: ['users'] });
      for (const u of put) await snapshot.put('users', 'users', u);
      for (const id of removed) await snapshot.remove('users', 'users', id);
      await snapshot.completeType('users');
      return snapshot.commit();
    });
    return result.seq;
  }

  const snapshotIdOf = async (seq: number): Promise<string> =>
    (await app.get(BackupReaderService).listSnapshots(tenantId, { limit: 50, offset: 0 })).items.find(
      (s) => s.seq === seq,
    )!.id;

  it('finds the objects whose relationships name a principal, in a snapshot and in any earlier one', async () => {
    const reportsTo = (n: number) => ({ '@odata.type': '#microsoft.graph.user', id: user(n).id });
    const first = await snapshotIdOf(
      await backUp('full', [user(1), user(2, { manager: reportsTo(1) }), user(3, { manager: reportsTo(1) })]),
    );
    // User 1 is deleted; user 2 already shows it, user 3 still names it.
    const second = await snapshotIdOf(
      await backUp('incremental', [user(2, { manager: null })], [user(1).id]),
    );
    const reader = app.get(BackupReaderService);
    const keys = async (snapshot: string, when: 'now' | 'ever') =>
      (await reader.referrersAt(tenantId, snapshot, [user(1).id, user(9).id], when))
        .map((k) => `${k.typeKey}/${k.collection}/${k.objectId}`)
        .sort();

    await expect(keys(first, 'now')).resolves.toEqual([
      `users/users/${user(2).id}`,
      `users/users/${user(3).id}`,
    ]);
    await expect(keys(second, 'now')).resolves.toEqual([`users/users/${user(3).id}`]);
    await expect(keys(second, 'ever')).resolves.toEqual([
      `users/users/${user(2).id}`,
      `users/users/${user(3).id}`,
    ]);
    await expect(
      reader.presentIdsAt(tenantId, second, 'users', 'users', [user(1).id, user(2).id, user(9).id]),
    ).resolves.toEqual(new Set([user(2).id]));
  });

  const list = (snapshot: string, query: Record<string, unknown> = {}) =>
    app.get(BrowseService).listObjects(tenantId, snapshot, 'users', { page: 1, pageSize: 50, ...query });

  it('answers each snapshot as it was, across an incremental run that changes and removes users', async () => {
    const first = await backUp('full', [user(1), user(2), user(3, { accountEnabled: false })]);
    const second = await backUp(
      'incremental',
      [user(2, { department: 'Finance' }), user(4, { displayName: 'Ada Lovelace' })],
      [user(3).id],
    );

    const before = await list(String(first), { sort: 'displayName' });
    expect(before.items.map((i) => [i.values['displayName'], i.values['department']])).toEqual([
      ['User 1', 'Sales'],
      ['User 2', 'Sales'],
      ['User 3', 'Sales'],
    ]);
    const after = await list(String(second), { sort: 'displayName' });
    expect(after.items.map((i) => [i.values['displayName'], i.values['department']])).toEqual([
      ['Ada Lovelace', 'Sales'],
      ['User 1', 'Sales'],
      ['User 2', 'Finance'],
    ]);
    expect((await list(String(first), { filter: 'accountEnabled:false' })).items.map((i) => i.id)).toEqual([
      user(3).id,
    ]);
    expect((await list(String(second), { filter: 'accountEnabled:false' })).total).toBe(0);
    expect((await list(String(second), { search: 'LOVELACE' })).items.map((i) => i.id)).toEqual([user(4).id]);
    expect((await list(String(second), { search: 'user2@' })).items.map((i) => i.id)).toEqual([user(2).id]);
    // `%` and `_` are literal in a search, not wildcards.
    expect((await list(String(second), { search: '%' })).total).toBe(0);
  });

  it('sorts alike on both engines: case-insensitive text, missing values as the greatest', async () => {
    await backUp('full', [
      user(1, { displayName: 'beta' }),
      user(2, { displayName: 'Alpha' }),
      user(3, { displayName: 'alpha-2' }),
      user(4, { displayName: 'Zeta', department: undefined }),
    ]);
    const byName = await list('latest', { sort: 'displayName' });
    expect(byName.items.map((i) => i.values['displayName'])).toEqual(['Alpha', 'alpha-2', 'beta', 'Zeta']);
    const byDepartment = await list('latest', { sort: 'department', order: 'asc' });
    expect(byDepartment.items.at(-1)!.values['displayName']).toBe('Zeta');
    const descending = await list('latest', { sort: 'department', order: 'desc' });
    expect(descending.items[0]!.values['displayName']).toBe('Zeta');
    expect(descending.items[0]!.values['department']).toBeNull();
  });

  it('builds the rows of payloads stored before the index existed, or under an older spec', async () => {
    await backUp('full', [user(1), user(2, { displayName: 'Grace Hopper' })]);
    const sql = app.get(BackupSqlRepository);
    const table = sql.table(ObjectSummaryEntity);
    await sql.run(`DELETE FROM ${table} WHERE "c0" = ?`, ['user 1']);
    await sql.run(`UPDATE ${table} SET "spec_version" = ?, "c0" = ?`, [BROWSE_SPEC_VERSION - 1, 'stale']);

    const written = await app.get(BrowseIndexService).run();
    expect(written).toBe(2);
    const rows = await sql.rows<{ c0: string; spec_version: unknown }>(
      `SELECT "c0", "spec_version" FROM ${table} ORDER BY "c0"`,
    );
    expect(rows.map((r) => [r.c0, Number(r.spec_version)])).toEqual([
      ['grace hopper', BROWSE_SPEC_VERSION],
      ['user 1', BROWSE_SPEC_VERSION],
    ]);
    expect(await app.get(BrowseIndexService).run()).toBe(0);
    expect((await list('latest', { search: 'grace' })).total).toBe(1);
  });

  it('reads no payload when every stored payload has a current index row', async () => {
    await backUp('full', [user(1), user(2)]);
    await backUp('incremental', [user(1, { displayName: 'Ada Lovelace' })]);
    const rows = jest.spyOn(BackupSqlRepository.prototype, 'rows');
    try {
      expect(await app.get(BrowseIndexService).run()).toBe(0);
      const results = await Promise.all(rows.mock.results.map((r) => r.value as Promise<object[]>));
      const payloads = results.flat().filter((row) => 'payload' in row);
      expect(payloads).toEqual([]);
      expect(rows).toHaveBeenCalledTimes(2);
    } finally {
      rows.mockRestore();
    }
  });

  it('commits a large run and the small one after it (statistics refreshed on PostgreSQL)', async () => {
    const users = Array.from({ length: 1_200 }, (_, i) => user(i + 1));
    const first = await backUp('full', users);
    await backUp(
      'full',
      users.slice(0, 1_100).map((u, i) => (i === 4 ? user(5, { displayName: 'Ada Lovelace' }) : u)),
    );
    await backUp('incremental', [user(7, { displayName: 'Grace Hopper' })], [users[1]!.id]);

    expect((await list(String(first))).total).toBe(1_200);
    const latest = await list('latest');
    expect(latest.total).toBe(1_099);
    expect((await list('latest', { search: 'ada lovelace' })).items.map((i) => i.id)).toEqual([user(5).id]);
    expect((await list('latest', { search: 'grace hopper' })).items.map((i) => i.id)).toEqual([user(7).id]);
    expect((await list('latest', { search: 'user 1100' })).total).toBe(1);
    expect((await list('latest', { search: 'user 1101' })).total).toBe(0);
  });
});
