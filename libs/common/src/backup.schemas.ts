import { z } from 'zod';
import { cursorPagedQuery } from './paging';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from './object-types';

/**
 * What started a backup run; `restore`: the backup of a restore's target, planned against and undoing it;
 * `compare`: the read of the live tenant a comparison with "live" compares against.
 */
export const BACKUP_TRIGGERS = ['manual', 'schedule', 'cli', 'restore', 'compare'] as const;
export const backupTriggerSchema = z.enum(BACKUP_TRIGGERS);
export type BackupTrigger = z.infer<typeof backupTriggerSchema>;

export const backupModeSchema = z.enum(['full', 'incremental']);
export type BackupRunMode = z.infer<typeof backupModeSchema>;

/** The outcome of a finished run; `running` and `interrupted` appear only in run listings. */
export const backupOutcomeSchema = z.enum(['completed', 'partial', 'failed']);
export type BackupOutcome = z.infer<typeof backupOutcomeSchema>;

export const backupRunStatusSchema = z.enum(['running', 'completed', 'partial', 'failed', 'interrupted']);
export type BackupRunStatus = z.infer<typeof backupRunStatusSchema>;

export const backupTypeStatusSchema = z.enum(['succeeded', 'skipped', 'failed']);
export type BackupTypeStatus = z.infer<typeof backupTypeStatusSchema>;

const objectTypeKeySchema = z.enum(OBJECT_TYPE_KEYS as [ObjectTypeKey, ...ObjectTypeKey[]]);

const count = z.number().int().nonnegative();

/**
 * Figures of one of a type's other collections: role assignments beside role definitions, named
 * locations beside Conditional Access policies, settings-catalog policies beside device
 * configurations, OAuth2 grants beside enterprise apps. They are not part of the type's
 * `objects`/`added`/`changed`/`removed`, which count its primary collection only.
 */
export const backupCollectionResultSchema = z.object({
  /** The Graph collection, e.g. `roleAssignments`. */
  collection: z.string(),
  /** Its objects in the snapshot. */
  objects: count,
  added: count,
  changed: count,
  removed: count,
});
export type BackupCollectionResult = z.infer<typeof backupCollectionResultSchema>;

/**
 * A collection of a type that a run did not read because the tenant's admin consent lacks the
 * extra permissions it needs (or Graph denied them). Its previous state is carried over into the
 * snapshot unchanged, so compare and restore see it as it was when last captured.
 */
export const backupSkippedCollectionSchema = z.object({
  /** The Graph collection, e.g. `authenticationMethods`. */
  collection: z.string(),
  /** Shown to the admin, e.g. "Not backed up: the tenant's consent lacks Policy.Read.All; ...". */
  reason: z.string(),
  /** The application permissions it needs that are missing. */
  missingPermissions: z.array(z.string()),
});
export type BackupSkippedCollection = z.infer<typeof backupSkippedCollectionSchema>;

/**
 * One object type's result in a run. `objects`, `added`, `changed` and `removed` are figures of
 * the type's primary collection (users, role definitions, policies, ...), so the previous
 * snapshot's objects plus `added` minus `removed` are this snapshot's `objects`; the type's other
 * collections are in `related`.
 */
export const backupTypeResultSchema = z.object({
  status: backupTypeStatusSchema,
  /** Why the type was skipped or failed. */
  reason: z.string().optional(),
  /** The Graph error code of a failure (or of the answer that made the type skip). */
  graphCode: z.string().optional(),
  /** The Graph `request-id` of that answer, for Microsoft support. */
  requestId: z.string().optional(),
  /** Objects of the type's primary collection in the snapshot (log types: entries held). */
  objects: count,
  /** Objects of the primary collection new in this snapshot (log types: new entries). */
  added: count,
  /** Objects of the primary collection whose content changed. */
  changed: count,
  /** Objects of the primary collection no longer in the tenant. */
  removed: count,
  /** The type's other collections with objects or changes; absent in runs recorded before it existed. */
  related: z.array(backupCollectionResultSchema).optional(),
  /** Collections not read in this run (missing consent); the type itself may still have succeeded. */
  skippedCollections: z.array(backupSkippedCollectionSchema).optional(),
  /** Graph HTTP requests the type needed (pages, batches, retries included). */
  requests: count,
  /** Only BitLocker keys: keys read with `$select=key`, each one audited in the customer's tenant. */
  bitlockerKeyReads: count.optional(),
});
export type BackupTypeResult = z.infer<typeof backupTypeResultSchema>;

/** One object whose stored incremental state differed from what a full read found. */
export const backupDriftItemSchema = z.object({
  type: objectTypeKeySchema,
  collection: z.string(),
  objectId: z.string(),
  /** Display name from the full read (or the stored state, for `stale`). */
  name: z.string().nullable(),
  /**
   * `missing`: in the tenant but not in the incremental state; `stale`: in the incremental state but
   * gone from the tenant; `changed`: held with other properties or relationships.
   */
  kind: z.enum(['missing', 'stale', 'changed']),
  /** Relationships (members, owners, assignees, ...) whose ids differed: what the full read added and dropped. */
  links: z.array(
    z.object({ relation: z.string(), added: z.array(z.string()), removed: z.array(z.string()) }),
  ),
});
export type BackupDriftItem = z.infer<typeof backupDriftItemSchema>;

/**
 * What a reconciliation (a full run after incremental ones) found that the incremental state got
 * wrong: objects and relationship links no reported or derived change explains. Expected 0.
 */
export const backupDriftSchema = z.object({
  objects: count,
  links: count,
  types: z.partialRecord(objectTypeKeySchema, z.object({ objects: count, links: count })),
  /** The first `DRIFT_ITEMS_LIMIT` drifted objects; every one is logged by the server. */
  items: z.array(backupDriftItemSchema),
  truncated: z.boolean(),
});
export type BackupDrift = z.infer<typeof backupDriftSchema>;
export const DRIFT_ITEMS_LIMIT = 200;

export const backupRunSummarySchema = z.object({
  runId: z.string(),
  /** Null when nothing became visible (every type failed). */
  snapshotId: z.string().nullable(),
  status: backupOutcomeSchema,
  mode: backupModeSchema,
  trigger: backupTriggerSchema,
  actor: z.string(),
  /** Objects of each run type's primary collection in the snapshot. */
  counts: z.partialRecord(objectTypeKeySchema, count),
  types: z.partialRecord(objectTypeKeySchema, backupTypeResultSchema),
  requests: count,
  /** Requests a perfect client would need: pages at the maximum page size plus full $batch envelopes. */
  minimumRequests: count.optional(),
  retries: count,
  throttledWaits: count,
  throttledWaitMs: count,
  bytesStored: count,
  durationMs: count,
  startedAt: z.string(),
  finishedAt: z.string(),
  /** Full runs that followed a snapshot: the drift of the incremental state they corrected. */
  drift: backupDriftSchema.optional(),
});
export type BackupRunSummary = z.infer<typeof backupRunSummarySchema>;

/** A run as listed: finished runs carry their summary figures, running and interrupted runs do not. */
export const backupRunListItemSchema = z.object({
  runId: z.string(),
  tenantId: z.string(),
  status: backupRunStatusSchema,
  mode: backupModeSchema,
  trigger: backupTriggerSchema,
  actor: z.string(),
  types: z.array(objectTypeKeySchema),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  reason: z.string().nullable(),
  summary: backupRunSummarySchema.nullable(),
});
export type BackupRunListItem = z.infer<typeof backupRunListItemSchema>;

export const backupRunPageSchema = z.object({
  items: z.array(backupRunListItemSchema),
  total: count,
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
});
export type BackupRunPage = z.infer<typeof backupRunPageSchema>;

/** Query of a run listing; pages start at 1. */
export const listBackupRunsQuerySchema = cursorPagedQuery(
  z
    .object({
      page: z.coerce.number().int().positive().default(1),
      pageSize: z.coerce.number().int().min(1).max(100).default(20),
    })
    .strict(),
);
export type ListBackupRunsQuery = z.infer<typeof listBackupRunsQuerySchema>;

/** Body of a manual trigger: optional subset of types and a forced full reconciliation. */
export const startBackupRequestSchema = z
  .object({
    types: z.array(objectTypeKeySchema).min(1).optional(),
    full: z.boolean().optional(),
  })
  .strict()
  .meta({ examples: [{}, { types: ['users', 'groups'] }, { full: true }] });
export type StartBackupRequest = z.infer<typeof startBackupRequestSchema>;

export const startBackupResponseSchema = z
  .object({ runId: z.string() })
  .meta({ examples: [{ runId: '3b0f6d0c-5a8e-4f7b-9d61-2c4e8a1f9b73' }] });
export type StartBackupResponse = z.infer<typeof startBackupResponseSchema>;

/** Live progress of a run, e.g. over server-sent events. */
export const backupProgressEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('run-started'),
    runId: z.string(),
    tenantId: z.string(),
    mode: backupModeSchema,
    types: z.array(objectTypeKeySchema),
    at: z.string(),
  }),
  z.object({ kind: z.literal('type-started'), runId: z.string(), type: objectTypeKeySchema, at: z.string() }),
  z.object({
    kind: z.literal('type-progress'),
    runId: z.string(),
    type: objectTypeKeySchema,
    /** The Graph collection being read, e.g. `users` or `roleAssignments`. */
    collection: z.string(),
    /** Pages read so far for the type. */
    pages: count,
    /**
     * Objects and log entries received from Graph so far for the type, all its collections
     * together: a progress figure, not the snapshot's count (an incremental run reads only what
     * changed, and role assignments count alongside role definitions). The snapshot's figures
     * come with `run-finished`.
     */
    read: count,
    at: z.string(),
  }),
  z.object({
    kind: z.literal('type-finished'),
    runId: z.string(),
    type: objectTypeKeySchema,
    status: backupTypeStatusSchema,
    reason: z.string().optional(),
    /** Objects and log entries the type received from Graph (see `type-progress`); not the snapshot's count. */
    read: count,
    at: z.string(),
  }),
  z.object({
    kind: z.literal('run-finished'),
    runId: z.string(),
    summary: backupRunSummarySchema,
    at: z.string(),
  }),
  z.object({ kind: z.literal('run-failed'), runId: z.string(), reason: z.string(), at: z.string() }),
]);
export type BackupProgressEvent = z.infer<typeof backupProgressEventSchema>;

/** Query of the backup history: the last `days` days (default 30, at most a year). */
export const backupHistoryQuerySchema = z
  .object({
    days: z.coerce.number().int().min(1).max(366).default(30),
  })
  .strict();
export type BackupHistoryQuery = z.infer<typeof backupHistoryQuerySchema>;

/** One visible snapshot in the backup history, with the figures of the run that made it. */
export const backupHistoryPointSchema = z.object({
  snapshotId: z.string(),
  /** The snapshot's sequence number in the tenant (as `snapshots` lists them). */
  seq: z.number().int().positive(),
  runId: z.string(),
  /** When the run finished: the snapshot's time. */
  at: z.string(),
  startedAt: z.string(),
  status: z.enum(['completed', 'partial']),
  mode: backupModeSchema,
  trigger: backupTriggerSchema,
  /** Objects of each backed-up type's primary collection in the snapshot. */
  counts: z.partialRecord(objectTypeKeySchema, count),
  durationMs: count,
  /** Graph requests of the run. */
  requests: count,
  /** Bytes the run stored (new encrypted payloads only; unchanged objects cost none). */
  bytesStored: count,
  /** Bytes stored by all runs of the tenant up to and including this one. */
  totalBytesStored: count,
});
export type BackupHistoryPoint = z.infer<typeof backupHistoryPointSchema>;

export const backupHistorySchema = z.object({
  days: z.number().int().positive(),
  /** The window's start (ISO time); points are at or after it. */
  from: z.string(),
  /** Oldest first. */
  points: z.array(backupHistoryPointSchema),
});
export type BackupHistory = z.infer<typeof backupHistorySchema>;

/**
 * Full reconciliation: every this many days a tenant's backup is a full read instead of replaying
 * changes, and reports the drift it corrected. Weekly by default.
 */
export const DEFAULT_RECONCILE_EVERY_DAYS = 7;
export const MAX_RECONCILE_EVERY_DAYS = 90;
const reconcileEveryDays = z.number().int().min(1).max(MAX_RECONCILE_EVERY_DAYS);

export const reconciliationPolicySchema = z.object({
  tenantId: z.string(),
  everyDays: reconcileEveryDays,
  /** Whether the tenant keeps the default (no value was saved). */
  isDefault: z.boolean(),
  /** When the interval was last changed; null for the default. */
  updatedAt: z.string().nullable(),
});
export type ReconciliationPolicy = z.infer<typeof reconciliationPolicySchema>;

export const updateReconciliationPolicySchema = z.object({ everyDays: reconcileEveryDays }).strict();
export type UpdateReconciliationPolicyRequest = z.infer<typeof updateReconciliationPolicySchema>;
