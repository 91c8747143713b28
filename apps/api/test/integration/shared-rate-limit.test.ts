import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AppConfig, RateLimitConfig } from '../../src/config/app-config';
import { KeyRateLimiter, type RateLimitStore } from '../../src/modules/auth/key-rate-limiter';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';
import { createTestDataSource, type TestDataSource, testDatabases } from '../support/test-database';

const LIMIT: RateLimitConfig = { perMinute: 4, burst: 0, redisUrl: undefined };

/** Redis too when `TEST_REDIS_URL` is set (e.g. `redis://127.0.0.1:6379`). */
const redisUrl = process.env['TEST_REDIS_URL']?.trim() || undefined;
const setups = [...testDatabases(), ...(redisUrl === undefined ? [] : (['redis'] as const))];

async function admittedCount(limiters: readonly KeyRateLimiter[], key: string, requests: number) {
  let admitted = 0;
  for (let i = 0; i < requests; i++) {
    const limiter = limiters[i % limiters.length]!;
    if ((await limiter.admit(key)).allowed) admitted += 1;
  }
  return admitted;
}

/**
 * Two processes of one installation (two limiters, each with its own connection) share each key's
 * counters in Redis or PostgreSQL: together they admit the limit once, not once each. SQLite is a
 * single process, which counts in memory.
 */
describe.each(setups)('Per-key rate limits with %s', (setup) => {
  let db: TestDataSource | undefined;
  let second: DataSource | undefined;
  let limiters: KeyRateLimiter[];

  beforeAll(async () => {
    if (setup === 'redis') {
      const config = {
        rateLimit: { ...LIMIT, redisUrl },
        database: { type: 'sqlite', path: ':memory:' },
      } as AppConfig;
      limiters = [new KeyRateLimiter(config, undefined), new KeyRateLimiter(config, undefined)];
    } else {
      db = await createTestDataSource(setup);
      second = await new DataSource(buildDataSourceOptions(db.config)).initialize();
      const config = { rateLimit: LIMIT, database: db.config } as AppConfig;
      limiters = [new KeyRateLimiter(config, db.dataSource), new KeyRateLimiter(config, second)];
    }
    await Promise.all(limiters.map((l) => l.onModuleInit()));
  });

  afterAll(async () => {
    for (const limiter of limiters) limiter.onModuleDestroy();
    await second?.destroy();
    await db?.destroy();
  });

  it('keeps the counters where the installation shares them', () => {
    const expected: Record<typeof setup, RateLimitStore> = {
      sqlite: 'memory',
      postgres: 'postgres',
      redis: 'redis',
    };

    expect(limiters.map((l) => l.store)).toEqual([expected[setup], expected[setup]]);
  });

  it('admits each key its limit (across processes where the counters are shared)', async () => {
    const key = randomUUID();

    if (setup === 'sqlite') {
      await expect(admittedCount(limiters.slice(0, 1), key, 10)).resolves.toBe(4);
    } else {
      await expect(admittedCount(limiters, key, 10)).resolves.toBe(4);
      await expect(limiters[1]!.admit(key)).resolves.toMatchObject({
        allowed: false,
        retryAfterSeconds: expect.any(Number),
      });
    }
    await expect(admittedCount(limiters.slice(0, 1), randomUUID(), 4)).resolves.toBe(4);
  });
});
