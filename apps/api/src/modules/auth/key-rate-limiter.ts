import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { once } from 'node:events';
import Redis from 'ioredis';
import {
  BurstyRateLimiter,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';

/** The steady limit counts requests per minute. */
const WINDOW_SECONDS = 60;
/** The burst allowance (requests beyond the steady limit) refills over this many seconds. */
export const BURST_WINDOW_SECONDS = 600;
/** How long start-up waits for Redis before counting in memory meanwhile. */
const REDIS_WAIT_MS = 3000;
/** The table of the counters on PostgreSQL (created by a migration). */
export const RATE_LIMIT_TABLE = 'api_rate_limit';

export type RateLimitVerdict =
  | { readonly allowed: true; readonly limit: number; readonly remaining: number }
  | { readonly allowed: false; readonly limit: number; readonly retryAfterSeconds: number };

/** Where the counters live: shared by every process (Redis, PostgreSQL) or this process's memory. */
export type RateLimitStore = 'redis' | 'postgres' | 'memory' | 'off';

interface Consumer {
  consume(key: string, points?: number): Promise<RateLimiterRes>;
}

/**
 * The per-key limit of API requests: `perMinute` requests in each minute, plus a burst allowance
 * of `burst` more that refills over ten minutes (rate-limiter-flexible's BurstyRateLimiter). Each
 * key has its own counters, so one key at its limit never slows another. With several processes
 * the counters must be shared, or each process would allow the limit again: in Redis when
 * REDIS_URL is set, otherwise in PostgreSQL when that is the database; a SQLite installation is
 * one process, so memory is exact there. If the shared store fails, each process falls back to
 * counting in memory (the insurance limiter) rather than refusing or allowing everything.
 *
 * Signed-in people (the portal) are not limited here: the portal polls and follows live progress,
 * and a person's requests come from one browser; the limit is for scripts.
 */
export class KeyRateLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KeyRateLimiter.name);
  private readonly limiter: Consumer | undefined;
  private readonly redis: Redis | undefined;
  readonly store: RateLimitStore;
  readonly limit: number;

  constructor(config: AppConfig, dataSource: DataSource | undefined) {
    const { perMinute, burst, redisUrl } = config.rateLimit;
    this.limit = perMinute;
    if (perMinute === 0) {
      this.store = 'off';
      return;
    }
    const steady = { points: perMinute, duration: WINDOW_SECONDS, keyPrefix: 'key' };
    const bursts = { points: burst, duration: BURST_WINDOW_SECONDS, keyPrefix: 'key-burst' };
    const insured = (options: typeof steady) => ({
      ...options,
      insuranceLimiter: new RateLimiterMemory(options),
    });
    let build: (options: typeof steady) => RateLimiterAbstract;
    if (redisUrl !== undefined) {
      this.store = 'redis';
      const redis = new Redis(redisUrl, { enableOfflineQueue: false, lazyConnect: false });
      // Without a listener ioredis reports a lost connection as an unhandled error event; the
      // insurance limiter carries on meanwhile and ioredis reconnects on its own.
      redis.on('error', (error: Error) => this.logger.warn(`Redis for rate limits: ${error.message}`));
      this.redis = redis;
      build = (options) => new RateLimiterRedis({ ...insured(options), storeClient: redis });
    } else if (config.database.type === 'postgres' && dataSource !== undefined) {
      this.store = 'postgres';
      const schemaName = config.database.schema;
      build = (options) =>
        new RateLimiterPostgres({
          ...insured(options),
          storeClient: dataSource,
          storeType: 'typeorm',
          tableName: RATE_LIMIT_TABLE,
          tableCreated: true,
          ...(schemaName === undefined ? {} : { schemaName }),
        });
    } else {
      this.store = 'memory';
      build = (options) => new RateLimiterMemory(options);
    }
    this.limiter = burst === 0 ? build(steady) : new BurstyRateLimiter(build(steady), build(bursts));
  }

  /** Counts one request of the key; refused beyond its limit, with the seconds until it may retry. */
  async admit(keyId: string): Promise<RateLimitVerdict> {
    if (this.limiter === undefined) return { allowed: true, limit: 0, remaining: 0 };
    try {
      const res = await this.limiter.consume(keyId);
      return { allowed: true, limit: this.limit, remaining: res.remainingPoints };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return {
        allowed: false,
        limit: this.limit,
        retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
      };
    }
  }

  /**
   * Waits (a few seconds at most) for Redis, so the first requests after start are counted there
   * rather than in this process's memory.
   */
  async onModuleInit(): Promise<void> {
    const redis = this.redis;
    if (redis === undefined || redis.status === 'ready') return;
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), REDIS_WAIT_MS).unref(),
    );
    if ((await Promise.race([once(redis, 'ready').then(() => 'ready' as const), timeout])) === 'timeout') {
      this.logger.warn('Redis for rate limits is not reachable yet; counting in memory until it is');
    }
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
