import { Global, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { IdempotencyRepository } from '../../persistence/repositories/idempotency.repository';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyService } from './idempotency.service';

const SWEEP_INTERVAL_MS = 3600_000;

/**
 * `Idempotency-Key` support for any module's routes (`@Idempotent()`), with the answers kept in
 * the database for a day so every process sees them.
 */
@Global()
@Module({
  providers: [IdempotencyRepository, IdempotencyService, IdempotencyInterceptor],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule implements OnModuleInit, OnModuleDestroy {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly idempotency: IdempotencyService) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      this.idempotency.sweep().catch(() => undefined);
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}
