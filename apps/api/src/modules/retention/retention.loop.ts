import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RetentionService } from './retention.service';

/** How often the schedule looks for tenants due a prune (each is pruned once a day). */
export const PRUNE_CHECK_INTERVAL_MS = 3_600_000;
/** The first check after start-up: late, so start-up and the first backups go first. */
export const PRUNE_STARTUP_DELAY_MS = 600_000;

/** Drives `RetentionService.pruneDue()` in the server process, one pass at a time. */
@Injectable()
export class RetentionLoop implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly retention: RetentionService) {}

  onApplicationBootstrap(): void {
    const first = setTimeout(() => this.runPass(), PRUNE_STARTUP_DELAY_MS);
    const every = setInterval(() => this.runPass(), PRUNE_CHECK_INTERVAL_MS);
    first.unref();
    every.unref();
    this.timers = [first, every];
  }

  /** The first step of closing: no pass starts from here on. */
  onModuleDestroy(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** The pass in progress, if any, ends before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    await this.running;
  }

  private runPass(): void {
    if (this.stopped || this.running) return;
    this.running = this.retention
      .pruneDue()
      .then(
        (runs) => {
          const failed = runs.filter((r) => r.status === 'failed').length;
          if (runs.length > 0) this.logger.log(`Scheduled prune: ${runs.length} tenant(s), ${failed} failed`);
        },
        (error: unknown) =>
          this.logger.error(
            `Scheduled prune failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
