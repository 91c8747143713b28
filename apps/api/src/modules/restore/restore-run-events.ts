import { Injectable, Logger } from '@nestjs/common';
import type { RestoreRun } from '@entra-backup/common';

/** A restore ended: with its run (completed, partial, failed) or stopped part-way (`reason`). */
export interface RestoreRunFinished {
  readonly tenantId: string;
  readonly restoreId: string;
  readonly status: 'completed' | 'partial' | 'failed' | 'interrupted';
  readonly run: RestoreRun | null;
  readonly reason: string | null;
}

export type RestoreRunListener = (event: RestoreRunFinished) => void;

/** Tells other modules (alerts) that a restore ended; listeners run synchronously and must not throw. */
@Injectable()
export class RestoreRunEvents {
  private readonly logger = new Logger(RestoreRunEvents.name);
  private readonly listeners = new Set<RestoreRunListener>();

  /** @returns a function that removes the listener */
  subscribe(listener: RestoreRunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: RestoreRunFinished): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn(
          `A restore listener failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
