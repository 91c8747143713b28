import { DatabaseGate } from '../../src/persistence/database-gate';
import {
  type IdempotencyClaim,
  IdempotencyRepository,
} from '../../src/persistence/repositories/idempotency.repository';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

const CREATED = new Date('2026-11-26T08:00:00.000Z');

function claimOf(scopeHash: string, overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim {
  return {
    scopeHash,
    principal: 'api-key:k1',
    route: 'POST /api/tenants/t/backups',
    requestHash: 'b'.repeat(64),
    createdAt: CREATED,
    expiresAt: new Date(CREATED.getTime() + 86_400_000),
    ...overrides,
  };
}

/** The records behind `Idempotency-Key`, on each engine, with separate gates as separate processes have. */
describe.each(testDatabases())(`${IdempotencyRepository.name} on %s`, (engine) => {
  let db: TestDataSource;
  let sut: IdempotencyRepository;
  let otherProcess: IdempotencyRepository;

  beforeEach(async () => {
    db = await createTestDataSource(engine);
    sut = new IdempotencyRepository(new DatabaseGate(db.dataSource));
    otherProcess = new IdempotencyRepository(new DatabaseGate(db.dataSource));
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('lets exactly one of concurrent claims of a key win', async () => {
    const hash = 'a'.repeat(64);

    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? sut : otherProcess).claim(claimOf(hash))),
    );

    expect(results.filter(Boolean)).toHaveLength(1);
    await expect(sut.find(hash)).resolves.toMatchObject({ state: 'pending', responseBody: null });
  });

  it('stores the answer, and frees a released key for a new claim', async () => {
    await sut.claim(claimOf('c'.repeat(64)));
    await sut.complete('c'.repeat(64), 202, '{"runId":"r1"}');
    await expect(sut.find('c'.repeat(64))).resolves.toMatchObject({
      state: 'done',
      responseStatus: 202,
      responseBody: '{"runId":"r1"}',
    });
    // A finished record is not released by a late failure of another request.
    await sut.release('c'.repeat(64));
    await expect(sut.find('c'.repeat(64))).resolves.not.toBeNull();

    await sut.claim(claimOf('d'.repeat(64)));
    await sut.release('d'.repeat(64));
    await expect(sut.claim(claimOf('d'.repeat(64)))).resolves.toBe(true);
  });

  it('removes a stale record only as it was read, and sweeps expired ones', async () => {
    await sut.claim(claimOf('e'.repeat(64)));
    await expect(sut.removeStale('e'.repeat(64), new Date(CREATED.getTime() + 1))).resolves.toBe(false);
    await expect(sut.removeStale('e'.repeat(64), CREATED)).resolves.toBe(true);

    await sut.claim(claimOf('f'.repeat(64), { expiresAt: new Date(CREATED.getTime() + 1000) }));
    await sut.claim(claimOf('0'.repeat(64), { expiresAt: new Date(CREATED.getTime() + 5000) }));
    await expect(sut.deleteExpired(new Date(CREATED.getTime() + 2000))).resolves.toBe(1);
    await expect(sut.find('f'.repeat(64))).resolves.toBeNull();
    await expect(sut.find('0'.repeat(64))).resolves.not.toBeNull();
  });
});
