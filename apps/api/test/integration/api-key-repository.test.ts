import { randomUUID } from 'node:crypto';
import { DatabaseGate } from '../../src/persistence/database-gate';
import type { ApiKeyEntity } from '../../src/persistence/entities';
import { ApiKeyRepository } from '../../src/persistence/repositories';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

const NOW = new Date('2026-11-26T08:00:00.000Z');
const TENANT = { kind: 'tenant', id: '72f988bf-86f1-41af-91ab-2d7cd011db47' } as const;
let sequence = 0;

function buildKey(overrides: Partial<ApiKeyEntity> = {}): ApiKeyEntity {
  sequence += 1;
  return {
    id: randomUUID(),
    prefix: `key${String(sequence).padStart(5, '0')}`,
    secretHash: 'f'.repeat(64),
    name: `Key ${sequence}`,
    scopes: '["read"]',
    ownerKind: TENANT.kind,
    ownerId: TENANT.id,
    tenantIds: null,
    createdBy: 'user:ana@contoso.com',
    createdAt: new Date(NOW.getTime() - 1000 * (100 - sequence)),
    expiresAt: null,
    lastUsedAt: null,
    lastUsedAddress: null,
    revokedAt: null,
    replacedById: null,
    ...overrides,
  };
}

describe.each(testDatabases())(`${ApiKeyRepository.name} on %s`, (engine) => {
  let db: TestDataSource;
  let sut: ApiKeyRepository;

  beforeEach(async () => {
    db = await createTestDataSource(engine);
    sut = new ApiKeyRepository(new DatabaseGate(db.dataSource));
  });

  afterEach(async () => {
    await db.destroy();
  });

  it("lists an owner's keys newest first, by state at a given time", async () => {
    const active = buildKey({ expiresAt: new Date(NOW.getTime() + 1000) });
    const expired = buildKey({ expiresAt: new Date(NOW.getTime() - 1000) });
    const revoked = buildKey({ revokedAt: NOW });
    const foreign = buildKey({ ownerKind: 'partner', ownerId: TENANT.id });
    for (const key of [active, expired, revoked, foreign]) await sut.insert(key);
    const ids = async (state?: 'active' | 'expired' | 'revoked') =>
      (await sut.list(TENANT, { ...(state ? { state } : {}), now: NOW, limit: 10, offset: 0 })).items.map(
        (k) => k.id,
      );

    await expect(ids()).resolves.toEqual([revoked.id, expired.id, active.id]);
    await expect(ids('active')).resolves.toEqual([active.id]);
    await expect(ids('expired')).resolves.toEqual([expired.id]);
    await expect(ids('revoked')).resolves.toEqual([revoked.id]);
    await expect(sut.list(TENANT, { now: NOW, limit: 1, offset: 1 })).resolves.toMatchObject({
      items: [{ id: expired.id }],
      total: 3,
    });
  });

  it('rotates once: the successor is stored with the old key retired in one step', async () => {
    const old = buildKey();
    await sut.insert(old);
    const successor = buildKey();

    await expect(sut.rotate(old.id, successor, { at: NOW, revoke: true })).resolves.toBe(true);
    await expect(sut.rotate(old.id, buildKey(), { at: NOW, revoke: true })).resolves.toBe(false);

    await expect(sut.findOwned(TENANT, old.id)).resolves.toMatchObject({
      revokedAt: NOW,
      replacedById: successor.id,
    });
    await expect(sut.prefixesOf([successor.id])).resolves.toEqual(
      new Map([[successor.id, successor.prefix]]),
    );
    await expect(sut.list(TENANT, { now: NOW, limit: 10, offset: 0 })).resolves.toMatchObject({ total: 2 });
  });

  it('keeps a key rotated with a grace period working until then', async () => {
    const old = buildKey();
    await sut.insert(old);
    const until = new Date(NOW.getTime() + 600_000);

    await sut.rotate(old.id, buildKey(), { at: until, revoke: false });

    await expect(sut.findOwned(TENANT, old.id)).resolves.toMatchObject({ revokedAt: null, expiresAt: until });
    await expect(sut.revoke(old.id, NOW)).resolves.toBe(true);
    await expect(sut.revoke(old.id, NOW)).resolves.toBe(false);
  });
});
