import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ScheduledBackups } from './scheduled-backups';
import { SchedulerService } from './scheduler.service';

/** How often the database is asked for due schedules. */
export const DUE_CHECK_INTERVAL_MS = 60_000;
/** The first check after start-up, which also starts runs missed while the service was down. */
export const STARTUP_CHECK_DELAY_MS = 5_000;
const INTERVAL_NAME = 'backup-schedule-due-check';
const TIMEOUT_NAME = 'backup-schedule-startup-check';

/**
 * Drives `SchedulerService.tick()` every minute in the server process, one tick at a time. Each
 * tick first marks runs of dead processes (a killed CLI) interrupted once their lease has expired.
 */
@Injectable()
export class SchedulerLoop implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly scheduler: SchedulerService,
    private readonly registry: SchedulerRegistry,
    private readonly backups: ScheduledBackups,
  ) {}

  onApplicationBootstrap(): void {
    const timeout = setTimeout(() => this.runTick(), STARTUP_CHECK_DELAY_MS);
    timeout.unref();
    this.registry.addTimeout(TIMEOUT_NAME, timeout);
    const interval = setInterval(() => this.runTick(), DUE_CHECK_INTERVAL_MS);
    interval.unref();
    this.registry.addInterval(INTERVAL_NAME, interval);
  }

  /**
   * The first step of closing: no tick starts from here on, so no backup is started while the
   * running ones are being stopped (`BackupService`).
   */
  onModuleDestroy(): void {
    this.stopped = true;
    for (const [name, remove] of [
      [TIMEOUT_NAME, (n: string) => this.registry.deleteTimeout(n)],
      [INTERVAL_NAME, (n: string) => this.registry.deleteInterval(n)],
    ] as const) {
      try {
        remove(name);
      } catch {
        // Already gone (the timeout fired and was removed, or the registry was cleared).
      }
    }
  }

  /** The tick in progress, if any, ends before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    await this.running;
  }

  /** Runs one tick unless the previous one is still going. */
  private runTick(): void {
    if (this.stopped || this.running) return;
    this.running = this.backups
      .recoverInterrupted()
      .then(
        (marked) => {
          if (marked > 0) this.logger.warn(`Marked ${marked} interrupted backup run(s) of stopped processes`);
        },
        (error: unknown) =>
          this.logger.error(
            `Interrupted-run check failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
      )
      .then(() => this.scheduler.tick())
      .then(
        (result) => {
          if (result.started.length + result.busy.length + result.failed.length > 0) {
            this.logger.log(
              `Due-check: ${result.started.length} started, ${result.busy.length} busy, ${result.failed.length} not started`,
            );
          }
        },
        (error: unknown) =>
          this.logger.error(`Due-check failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
