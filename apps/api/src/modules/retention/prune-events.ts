import { Injectable, Logger } from '@nestjs/common';
import type { PruneRunResponse } from '@entra-backup/common';

/** The end of a prune: `completed`, `failed` (with its reason), `held` or `skipped`. */
export interface PruneOutcome {
  readonly tenantId: string;
  readonly run: PruneRunResponse;
}

export type PruneListener = (outcome: PruneOutcome) => void | Promise<void>;

/**
 * Where prunes announce how they ended, e.g. for a "prune failed" notification: subscribe a
 * listener. A listener that throws is logged and does not affect the prune or other listeners.
 */
@Injectable()
export class PruneEvents {
  private readonly logger = new Logger(PruneEvents.name);
  private readonly listeners = new Set<PruneListener>();

  /** Adds a listener; returns its removal. */
  subscribe(listener: PruneListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async emit(outcome: PruneOutcome): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(outcome);
      } catch (error) {
        this.logger.error(
          `A prune listener failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
