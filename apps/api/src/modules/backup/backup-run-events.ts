import { Injectable, Logger } from '@nestjs/common';
import type { BackupRunSummary } from '@entra-backup/common';

/** A backup run ended: committed (`summary`) or failed before it could commit (`reason`). */
export interface BackupRunFinished {
  readonly tenantId: string;
  readonly runId: string;
  readonly status: 'completed' | 'partial' | 'failed';
  readonly summary: BackupRunSummary | null;
  readonly reason: string | null;
}

export type BackupRunListener = (event: BackupRunFinished) => void;

/**
 * Tells other modules (alerts) that a run ended, without the backup module knowing them. Listeners
 * run synchronously and must not throw; long work is theirs to start and track.
 */
@Injectable()
export class BackupRunEvents {
  private readonly logger = new Logger(BackupRunEvents.name);
  private readonly listeners = new Set<BackupRunListener>();

  /** @returns a function that removes the listener */
  subscribe(listener: BackupRunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: BackupRunFinished): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn(`A run listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
