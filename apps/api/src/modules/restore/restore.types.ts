import type { RestorePlanRequest, RestoreProgressEvent } from '@entra-backup/common';
import type { AuditedBy } from '../audit/audit-context';

/** Progress of computing a plan: the step being read or compared. */
export interface PlanProgress {
  readonly step: string;
}

export interface CreatePlanOptions {
  readonly actor: AuditedBy;
  readonly onProgress?: (progress: PlanProgress) => void;
  readonly signal?: AbortSignal;
}

export interface RunRestoreOptions {
  readonly actor: AuditedBy;
  readonly onProgress?: (event: RestoreProgressEvent) => void;
  readonly signal?: AbortSignal;
}

export interface PageQuery {
  readonly page: number;
  readonly pageSize: number;
}

export type { RestorePlanRequest };
