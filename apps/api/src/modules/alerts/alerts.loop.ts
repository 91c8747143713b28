import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AlertsService } from './alerts.service';

/** How often deliveries due for a retry are sent and the periodic alert checks run. */
export const ALERT_TICK_MS = 60_000;
const INTERVAL_NAME = 'alerts-tick';

/**
 * Drives `AlertsService.tick()` every minute in the server process, one tick at a time: retries
 * due, stale backups, consent health (daily per tenant) and digests (daily per tenant). The
 * checks keep their state in the database, so a restart neither repeats nor skips an alert.
 */
@Injectable()
export class AlertsLoop implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Alerts');
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly alerts: AlertsService,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => this.runTick(), ALERT_TICK_MS);
    interval.unref();
    this.registry.addInterval(INTERVAL_NAME, interval);
  }

  /** The first step of closing: no tick starts from here on. */
  onModuleDestroy(): void {
    this.stopped = true;
    try {
      this.registry.deleteInterval(INTERVAL_NAME);
    } catch {
      // Already gone (the registry was cleared).
    }
  }

  /** The tick in progress, if any, ends before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    this.onModuleDestroy();
    await this.running;
  }

  private runTick(): void {
    if (this.stopped || this.running) return;
    this.running = this.alerts
      .tick()
      .catch((error: unknown) =>
        this.logger.error(`Alert tick failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
