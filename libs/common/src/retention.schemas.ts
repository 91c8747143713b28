import { z } from 'zod';

/**
 * How long a tenant's snapshots and log entries are kept (grandfather-father-son). Every tier
 * counts back from now: every snapshot younger than `keepAllDays`; the newest snapshot of each
 * UTC day of the last `dailyDays` days, of each ISO week (Monday to Sunday, UTC) of the last
 * `weeklyWeeks` weeks, of each calendar month (UTC) of the last `monthlyMonths` months. The newest
 * snapshot is always kept, as is every snapshot an unfinished restore refers to. Log entries
 * (sign-ins, directory audits) older than `logDays` are deleted.
 */
export const retentionPolicySchema = z
  .object({
    keepAllDays: z.number().int().min(1).max(3650),
    dailyDays: z.number().int().min(0).max(3650),
    weeklyWeeks: z.number().int().min(0).max(520),
    monthlyMonths: z.number().int().min(0).max(240),
    logDays: z.number().int().min(1).max(3650),
  })
  .strict();
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

/** Keep every snapshot 14 days, one a day for 30 days, one a week for 12 weeks, one a month for 12 months; logs 1 year. */
export const DEFAULT_RETENTION_POLICY: RetentionPolicy = {
  keepAllDays: 14,
  dailyDays: 30,
  weeklyWeeks: 12,
  monthlyMonths: 12,
  logDays: 365,
};

export const PRUNE_TRIGGERS = ['schedule', 'api', 'cli'] as const;
export type PruneTrigger = (typeof PRUNE_TRIGGERS)[number];

/** `held`: a legal hold suspended it; `skipped`: a backup of the tenant was running. */
export const PRUNE_STATUSES = ['running', 'completed', 'failed', 'held', 'skipped'] as const;
export type PruneStatus = (typeof PRUNE_STATUSES)[number];

/** What a prune frees (or, in a preview, would free). */
export const pruneFiguresSchema = z.object({
  snapshots: z.number().int().nonnegative(),
  objectVersions: z.number().int().nonnegative(),
  logEntries: z.number().int().nonnegative(),
  blobs: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type PruneFigures = z.infer<typeof pruneFiguresSchema>;

export const pruneRunSchema = z.object({
  id: z.string(),
  trigger: z.enum(PRUNE_TRIGGERS),
  status: z.enum(PRUNE_STATUSES),
  actor: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  freed: pruneFiguresSchema,
  /** Why it failed, was held or skipped. */
  reason: z.string().nullable(),
});
export type PruneRunResponse = z.infer<typeof pruneRunSchema>;

export const retentionSettingsSchema = z.object({
  tenantId: z.string(),
  policy: retentionPolicySchema,
  /** True while no policy was saved: the defaults apply. */
  isDefault: z.boolean(),
  legalHold: z.boolean(),
  legalHoldReason: z.string().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  lastPrune: pruneRunSchema.nullable(),
});
export type RetentionSettingsResponse = z.infer<typeof retentionSettingsSchema>;

export const updateRetentionSchema = z
  .object({
    policy: retentionPolicySchema.optional(),
    legalHold: z.boolean().optional(),
    /** Why the hold is placed (kept in the audit trail); up to 500 characters. */
    legalHoldReason: z.string().trim().max(500).optional(),
  })
  .strict();
export type UpdateRetentionRequest = z.infer<typeof updateRetentionSchema>;

/** "Calculate effect": what the given policy (or the saved one) would prune now. */
export const retentionPreviewRequestSchema = z.object({ policy: retentionPolicySchema.optional() }).strict();
export type RetentionPreviewRequest = z.infer<typeof retentionPreviewRequestSchema>;

export const prunedSnapshotSchema = z.object({
  snapshotId: z.string(),
  seq: z.number().int(),
  createdAt: z.string(),
});

export const retentionPreviewSchema = z.object({
  tenantId: z.string(),
  policy: retentionPolicySchema,
  computedAt: z.string(),
  legalHold: z.boolean(),
  snapshotsKept: z.number().int().nonnegative(),
  /** Snapshots the policy lets go, oldest first. */
  snapshotsPruned: z.array(prunedSnapshotSchema),
  freed: pruneFiguresSchema,
});
export type RetentionPreviewResponse = z.infer<typeof retentionPreviewSchema>;

export const pruneRequestSchema = z.object({ dryRun: z.boolean().optional() }).strict();
export type PruneRequest = z.infer<typeof pruneRequestSchema>;
