import type { AuditedBy } from '../audit/audit-context';
import type { BackupLease } from '../backup-storage/backup-lease.service';
import type {
  BackupProgressEvent,
  BackupRunListItem,
  BackupRunPage,
  BackupRunSummary,
  BackupTrigger,
  BackupTypeResult,
  ObjectTypeKey,
} from '@entra-backup/common';

export type {
  BackupProgressEvent,
  BackupRunListItem,
  BackupRunPage,
  BackupRunSummary,
  BackupTrigger,
  BackupTypeResult,
};

/** How a backup run is asked for (CLI, scheduler, REST trigger). */
export interface RunBackupOptions {
  /** Types to back up; default: the tenant's enabled types (settings). */
  readonly types?: readonly ObjectTypeKey[];
  /** Force a full reconciliation of every type (no delta, no watermark shortcuts). */
  readonly full?: boolean;
  readonly trigger: BackupTrigger;
  /**
   * Who asked: `cli:<os user>`, `schedule`, or the caller's audit context (actor, kind, address);
   * recorded in the audit trail (`backup.started`, `backup.run`) and on the run.
   */
  readonly actor: AuditedBy;
  /** Called synchronously for every progress event; exceptions it throws are ignored. */
  readonly onProgress?: (event: BackupProgressEvent) => void;
  /** Aborting stops the run: nothing of it becomes visible and it ends `failed`. */
  readonly signal?: AbortSignal;
  /**
   * A lease of the tenant the caller already holds (a restore backs up the target under its own
   * lease): the run neither takes nor releases it.
   */
  readonly lease?: BackupLease;
}

export interface ListRunsOptions {
  /** 1-based. Default 1. */
  readonly page?: number;
  /** 1..100. Default 20. */
  readonly pageSize?: number;
}
