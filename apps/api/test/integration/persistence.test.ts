import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';
import { DatabaseGate } from '../../src/persistence/database-gate';
import { MIGRATIONS } from '../../src/persistence/migrations';
import {
  AuditTrailRepository,
  TenantRepository,
  TenantSettingsRepository,
} from '../../src/persistence/repositories';
import { buildTenant } from '../support/factories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

// Every test migrates an empty database (a fresh schema on PostgreSQL); leave room on a busy CI machine.
jest.setTimeout(30_000);

describe.each(testDatabases())('persistence on %s', (engine) => {
  let db: TestDataSource;

  beforeEach(async () => {
    db = await createTestDataSource(engine);
  });

  afterEach(async () => {
    await db.destroy();
  });

  describe('migrations', () => {
    it('runs every migration from an empty database and records it', async () => {
      const { escape } = db.dataSource.driver;
      const table =
        db.config.type === 'postgres' && db.config.schema !== undefined
          ? `${escape(db.config.schema)}.${escape('migrations')}`
          : escape('migrations');
      const applied = await db.dataSource.query<Array<{ name: string }>>(
        `SELECT name FROM ${table} ORDER BY id`,
      );
      expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
      await expect(db.dataSource.showMigrations()).resolves.toBe(false);
    });

    it('creates the tables the entities map to', async () => {
      const runner = db.dataSource.createQueryRunner();
      try {
        for (const table of ['tenant', 'tenant_setting', 'app_audit_event']) {
          await expect(runner.hasTable(table)).resolves.toBe(true);
        }
      } finally {
        await runner.release();
      }
    });

    it('reverts every migration and applies them again', async () => {
      for (let i = 0; i < MIGRATIONS.length; i += 1) await db.dataSource.undoLastMigration();
      const runner = db.dataSource.createQueryRunner();
      try {
        await expect(runner.hasTable('tenant')).resolves.toBe(false);
      } finally {
        await runner.release();
      }
      await expect(db.dataSource.runMigrations()).resolves.toHaveLength(MIGRATIONS.length);
    });

    it('opens an already migrated database without running anything again', async () => {
      await db.dataSource.destroy();
      const reopened = new DataSource(buildDataSourceOptions(db.config));
      await reopened.initialize();
      try {
        await expect(reopened.showMigrations()).resolves.toBe(false);
      } finally {
        await reopened.destroy();
      }
    });
  });

  describe(TenantRepository.name, () => {
    let sut: TenantRepository;

    beforeEach(() => {
      sut = new TenantRepository(new DatabaseGate(db.dataSource));
    });

    it('inserts a tenant and reads it back with exact timestamps', async () => {
      const tenant = buildTenant({ createdAt: new Date('2026-03-04T05:06:07.089Z') });

      await expect(sut.insertIfAbsent(tenant)).resolves.not.toBeNull();

      const found = await sut.findById(tenant.id);
      expect(found).toEqual({
        id: tenant.id,
        displayName: tenant.displayName,
        createdAt: new Date('2026-03-04T05:06:07.089Z'),
        updatedAt: new Date('2026-03-04T05:06:07.089Z'),
        partnerId: null,
        partnerLinkedAt: null,
      });
      expect(found?.createdAt).toBeInstanceOf(Date);
    });

    it('returns null instead of inserting a duplicate id', async () => {
      const tenant = buildTenant();
      await sut.insertIfAbsent(tenant);

      await expect(sut.insertIfAbsent({ ...tenant, displayName: 'Other' })).resolves.toBeNull();
      await expect(sut.findById(tenant.id)).resolves.toMatchObject({ displayName: tenant.displayName });
    });

    it('lists tenants by display name, then id', async () => {
      const b = buildTenant({ id: 'bbbbbbbb-0000-4000-8000-000000000000', displayName: 'Fabrikam' });
      const a2 = buildTenant({ id: 'aaaaaaaa-0000-4000-8000-000000000002', displayName: 'Contoso' });
      const a1 = buildTenant({ id: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'Contoso' });
      for (const t of [b, a2, a1]) await sut.insertIfAbsent(t);

      const listed = await sut.listAll();

      expect(listed.map((t) => t.id)).toEqual([a1.id, a2.id, b.id]);
    });

    it('returns null for an unknown id', async () => {
      await sut.insertIfAbsent(buildTenant());

      await expect(sut.findById('00000000-0000-4000-8000-000000000000')).resolves.toBeNull();
    });
  });

  describe(TenantSettingsRepository.name, () => {
    let sut: TenantSettingsRepository;
    let tenants: TenantRepository;

    beforeEach(() => {
      sut = new TenantSettingsRepository(new DatabaseGate(db.dataSource));
      tenants = new TenantRepository(new DatabaseGate(db.dataSource));
    });

    it('has no rows for a new tenant', async () => {
      const tenant = buildTenant();
      await tenants.insertIfAbsent(tenant);

      await expect(sut.findByTenant(tenant.id)).resolves.toEqual([]);
    });

    it('stores one row per type, updates existing rows and bumps the tenant', async () => {
      const tenant = buildTenant();
      await tenants.insertIfAbsent(tenant);
      const first = new Date('2026-05-01T10:00:00.000Z');
      const second = new Date('2026-05-02T10:00:00.000Z');

      await sut.saveEnabledTypes(tenant.id, { users: true, groups: true }, first);
      await sut.saveEnabledTypes(tenant.id, { groups: false, devices: true }, second);

      await expect(sut.findByTenant(tenant.id)).resolves.toEqual([
        { objectType: 'devices', enabled: true, updatedAt: second },
        { objectType: 'groups', enabled: false, updatedAt: second },
        { objectType: 'users', enabled: true, updatedAt: first },
      ]);
      await expect(tenants.findById(tenant.id)).resolves.toMatchObject({ updatedAt: second });
    });

    it('keeps tenants apart', async () => {
      const a = buildTenant();
      const b = buildTenant();
      await tenants.insertIfAbsent(a);
      await tenants.insertIfAbsent(b);

      await sut.saveEnabledTypes(a.id, { users: true }, new Date());

      await expect(sut.findByTenant(b.id)).resolves.toEqual([]);
    });

    it('refuses settings for a tenant that does not exist (foreign key)', async () => {
      await expect(
        sut.saveEnabledTypes('00000000-0000-4000-8000-000000000000', { users: true }, new Date()),
      ).rejects.toThrow();
    });

    it('writes nothing for an empty change set', async () => {
      const tenant = buildTenant();
      await tenants.insertIfAbsent(tenant);

      await sut.saveEnabledTypes(tenant.id, {}, new Date('2030-01-01T00:00:00.000Z'));

      await expect(tenants.findById(tenant.id)).resolves.toMatchObject({ updatedAt: tenant.createdAt });
    });
  });

  describe(AuditTrailRepository.name, () => {
    let sut: AuditTrailRepository;

    beforeEach(() => {
      sut = new AuditTrailRepository(new DatabaseGate(db.dataSource));
    });

    it('appends events and lists them newest first with their JSON details', async () => {
      const tenant = buildTenant();
      await sut.append({
        occurredAt: new Date('2026-01-01T00:00:00.000Z'),
        actor: 'api',
        tenantId: tenant.id,
        action: 'tenant.created',
        details: { displayName: 'Contoso' },
      });
      await sut.append({
        occurredAt: new Date('2026-01-02T00:00:00.000Z'),
        actor: 'cli:alice',
        tenantId: null,
        action: 'something.global',
        details: { nested: { list: [1, 2] } },
      });

      const all = await sut.listRecent({ limit: 10 });

      expect(all).toMatchObject([
        {
          actor: 'cli:alice',
          tenantId: null,
          action: 'something.global',
          details: { nested: { list: [1, 2] } },
        },
        {
          actor: 'api',
          tenantId: tenant.id,
          action: 'tenant.created',
          occurredAt: new Date('2026-01-01T00:00:00.000Z'),
          details: { displayName: 'Contoso' },
        },
      ]);
      expect(new Set(all.map((e) => e.id)).size).toBe(2);
      await expect(sut.listRecent({ tenantId: tenant.id, limit: 10 })).resolves.toHaveLength(1);
      await expect(sut.listRecent({ limit: 1 })).resolves.toHaveLength(1);
    });
  });
});

describe('SQLite connection settings', () => {
  it('uses WAL, enforces foreign keys and waits on locks', async () => {
    const db = await createTestDataSource('sqlite');
    try {
      const [journal] = await db.dataSource.query<Array<{ journal_mode: string }>>('PRAGMA journal_mode');
      const [fk] = await db.dataSource.query<Array<{ foreign_keys: number }>>('PRAGMA foreign_keys');
      const [busy] = await db.dataSource.query<Array<{ timeout: number }>>('PRAGMA busy_timeout');
      expect(journal?.journal_mode).toBe('wal');
      expect(fk?.foreign_keys).toBe(1);
      expect(busy?.timeout).toBe(5000);
    } finally {
      await db.destroy();
    }
  });
});
