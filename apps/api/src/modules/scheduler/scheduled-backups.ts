import type { RunBackupOptions } from '../backup/backup.types';

/** What the scheduler needs of the backup service (a port, so it is tested with a double). */
export abstract class ScheduledBackups {
  /** Starts a run in the background; throws BACKUP_ALREADY_RUNNING when the tenant's lease is held. */
  abstract startBackup(tenantId: string, options: RunBackupOptions): Promise<{ runId: string }>;
  /**
   * Marks runs whose process died (no live lease any more) `interrupted` and discards what they
   * staged; returns how many run reports it marked.
   */
  abstract recoverInterrupted(): Promise<number>;
  /**
   * The tenant's newest full backup (a visible snapshot in full mode), whoever started it: the
   * scheduler's first run, "Back up now" with a full backup, the CLI's `backup --full`.
   */
  abstract lastFullBackup(tenantId: string): Promise<{ runId: string; startedAt: Date } | null>;
}
