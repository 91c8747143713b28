import { z } from 'zod';
import { cursorPagedQuery } from './paging';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from './object-types';

const objectTypeKeySchema = z.enum(OBJECT_TYPE_KEYS as [ObjectTypeKey, ...ObjectTypeKey[]]);
const count = z.number().int().nonnegative();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What a restore action does to the target tenant:
 * - `restoreDeleted`: brings an object back from its recycle bin (same id, and per Graph its links);
 * - `recreate`: creates a hard-deleted object again from its writable properties (new id);
 * - `update`: writes exactly the properties that differ from the snapshot and are writable;
 * - `addLink` / `removeLink`: one relationship (member, owner, manager, role assignment, ...);
 * - `remove`: deletes an object created after the snapshot (only with `removeNew`);
 * - `skip`: what cannot be written back, with the reason.
 */
export const RESTORE_ACTION_KINDS = [
  'restoreDeleted',
  'recreate',
  'update',
  'addLink',
  'removeLink',
  'remove',
  'skip',
] as const;
export const restoreActionKindSchema = z.enum(RESTORE_ACTION_KINDS);
export type RestoreActionKind = z.infer<typeof restoreActionKindSchema>;

export const restoreActionStateSchema = z.enum(['pending', 'done', 'failed', 'skipped']);
export type RestoreActionState = z.infer<typeof restoreActionStateSchema>;

/** The request that computes a plan. `snapshotId` is a snapshot id of the source tenant or `latest`. */
export const restorePlanRequestSchema = z
  .object({
    snapshotId: z.string().min(1),
    /** Object types to restore; default: every restorable type of the snapshot (or of `ids`). */
    types: z.array(objectTypeKeySchema).min(1).optional(),
    /** Object ids (source ids) to restore; default: every object of the selected types. */
    ids: z.array(z.string().min(1)).min(1).max(10_000).optional(),
    /** Single properties of one object (`ids` must name exactly one object). */
    properties: z.array(z.string().min(1)).min(1).optional(),
    /** Restore relationships (members, owners, manager, assignments, ...). Default true. */
    relationships: z.boolean().default(true),
    /** Delete objects of the selected types created after the snapshot (with `ids`: those named). Default false. */
    removeNew: z.boolean().default(false),
    /** Another tenant to restore into ("as new"); default the snapshot's own tenant. */
    targetTenantId: z.string().regex(GUID, 'targetTenantId must be a tenant id (GUID)').optional(),
    /** Domain map for restores into another tenant: `{ "contoso.com": "fabrikam.com" }`. */
    domainMap: z.record(z.string().min(1), z.string().min(1)).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.properties !== undefined && value.ids?.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['properties'],
        message: 'properties can only be restored for exactly one object: give one id in ids',
      });
    }
  })
  .meta({
    examples: [
      { snapshotId: 'latest', types: ['users', 'groups'] },
      {
        snapshotId: '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d',
        ids: ['0c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'],
        properties: ['jobTitle', 'department'],
      },
    ],
  });
export type RestorePlanRequest = z.input<typeof restorePlanRequestSchema>;
export type RestorePlanSelection = z.output<typeof restorePlanRequestSchema>;

/** One action of a plan, as listed and as printed by `restore --dry-run --json`. */
export const restoreActionSchema = z.object({
  seq: count,
  action: restoreActionKindSchema,
  type: objectTypeKeySchema,
  /** The Graph collection (`users`, `roleAssignments`, `namedLocations`, ...). */
  collection: z.string(),
  /** The object's id in the snapshot. */
  id: z.string(),
  displayName: z.string().nullable(),
  /** Properties written (`update`, `recreate`), or the relationship of a link action. */
  properties: z.array(z.string()),
  /** For link actions: the linked object (its id in the snapshot) and the relationship. */
  link: z
    .object({ relation: z.string(), targetId: z.string(), targetType: z.string().nullable() })
    .nullable(),
  /** Why the action is a skip, or a note on how it is written (e.g. "written disabled"). */
  reason: z.string().nullable(),
  state: restoreActionStateSchema,
  /** The id the object has in the target after `recreate` (or `restoreDeleted` into another id). */
  newId: z.string().nullable(),
  /** Graph's error code and message when the action failed. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /**
   * For an `update` in a plan's action list: each written property's value in the target when
   * the plan was computed (`from`) and in the snapshot (`to`); secrets masked. Absent elsewhere.
   */
  changes: z.array(z.object({ property: z.string(), from: z.unknown(), to: z.unknown() })).optional(),
});
export type RestoreAction = z.infer<typeof restoreActionSchema>;
export type RestorePropertyChange = NonNullable<RestoreAction['changes']>[number];

export const restoreActionCountsSchema = z.partialRecord(restoreActionKindSchema, count);
export type RestoreActionCounts = z.infer<typeof restoreActionCountsSchema>;

/** An object that cannot be brought back (or only partly), with why. */
export const restoreUnrecoverableSchema = z.object({
  type: objectTypeKeySchema,
  id: z.string(),
  displayName: z.string().nullable(),
  reason: z.string(),
});
export type RestoreUnrecoverable = z.infer<typeof restoreUnrecoverableSchema>;

export const restorePlanStatusSchema = z.enum(['ready', 'executing', 'executed', 'expired']);
export type RestorePlanStatus = z.infer<typeof restorePlanStatusSchema>;

export const restorePlanSummarySchema = z.object({
  planId: z.string(),
  /** The snapshot's tenant. */
  tenantId: z.string(),
  targetTenantId: z.string(),
  snapshotId: z.string(),
  /** The fresh backup of the target the plan was computed against (its live state). */
  liveSnapshotId: z.string().nullable(),
  status: restorePlanStatusSchema,
  selection: z.object({
    types: z.array(objectTypeKeySchema),
    ids: z.array(z.string()).optional(),
    properties: z.array(z.string()).optional(),
    relationships: z.boolean(),
    removeNew: z.boolean(),
    domainMap: z.record(z.string(), z.string()).optional(),
  }),
  planned: count,
  byAction: restoreActionCountsSchema,
  unrecoverable: z.array(restoreUnrecoverableSchema),
  /** Write permissions the target's consent lacks; a plan with any cannot be executed. */
  missingPermissions: z.array(z.string()),
  createdAt: z.string(),
  actor: z.string(),
});
export type RestorePlanSummary = z.infer<typeof restorePlanSummarySchema>;

export const restoreActionPageSchema = z.object({
  items: z.array(restoreActionSchema),
  total: count,
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
});
export type RestoreActionPage = z.infer<typeof restoreActionPageSchema>;

export const listRestoreActionsQuerySchema = cursorPagedQuery(
  z
    .object({
      page: z.coerce.number().int().positive().default(1),
      pageSize: z.coerce.number().int().min(1).max(500).default(100),
    })
    .strict(),
);
export type ListRestoreActionsQuery = z.infer<typeof listRestoreActionsQuerySchema>;

/** Paging of the restore history: the same pages as the actions. */
export const listRestoresQuerySchema = listRestoreActionsQuerySchema;
export type ListRestoresQuery = ListRestoreActionsQuery;

export const restoreStatusSchema = z.enum(['running', 'completed', 'partial', 'failed', 'interrupted']);
export type RestoreStatus = z.infer<typeof restoreStatusSchema>;

/** The figures the CLI's `--json` line and the API report for a restore. */
export const restoreCountsSchema = z.object({
  restoredDeleted: count,
  recreated: count,
  updated: count,
  linksAdded: count,
  linksRemoved: count,
  removed: count,
  skipped: count,
  failed: count,
});
export type RestoreCounts = z.infer<typeof restoreCountsSchema>;

/** Counts of a restore that has done nothing (yet). */
export function emptyRestoreCounts(): RestoreCounts {
  return {
    restoredDeleted: 0,
    recreated: 0,
    updated: 0,
    linksAdded: 0,
    linksRemoved: 0,
    removed: 0,
    skipped: 0,
    failed: 0,
  };
}

export const restoreRunSchema = z.object({
  restoreId: z.string(),
  planId: z.string(),
  tenantId: z.string(),
  targetTenantId: z.string(),
  snapshotId: z.string(),
  status: restoreStatusSchema,
  actor: z.string(),
  /** The backup taken of the target right before the first write: restoring it undoes this restore. */
  preRestoreSnapshotId: z.string().nullable(),
  counts: restoreCountsSchema,
  /** Source id → id in the target, for every object created anew (and `appId`s of re-created apps). */
  idMap: z.record(z.string(), z.string()),
  reason: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type RestoreRun = z.infer<typeof restoreRunSchema>;

export const restoreRunPageSchema = z.object({
  items: z.array(restoreRunSchema),
  total: count,
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
});
export type RestoreRunPage = z.infer<typeof restoreRunPageSchema>;

export const executeRestoreRequestSchema = z
  .object({ planId: z.string().min(1) })
  .strict()
  .meta({ examples: [{ planId: '9d1e4b7a-2c3f-4e5d-8a6b-7c8d9e0f1a2b' }] });
export type ExecuteRestoreRequest = z.infer<typeof executeRestoreRequestSchema>;

export const executeRestoreResponseSchema = z
  .object({ restoreId: z.string() })
  .meta({ examples: [{ restoreId: '4f2a9c1e-7b3d-4e8f-a5c6-1d2e3f4a5b6c' }] });
export type ExecuteRestoreResponse = z.infer<typeof executeRestoreResponseSchema>;

/** A temporary password of a re-created user, handed out once and never stored in plaintext. */
export const restoreCredentialSchema = z.object({
  id: z.string(),
  newId: z.string(),
  userPrincipalName: z.string(),
  temporaryPassword: z.string(),
});
export type RestoreCredential = z.infer<typeof restoreCredentialSchema>;

/** The answer of `POST .../restores/{restoreId}/credentials` (given once). */
export const restoreCredentialListSchema = z.object({ items: z.array(restoreCredentialSchema) });
export type RestoreCredentialList = z.infer<typeof restoreCredentialListSchema>;

/** Live progress of a restore (server-sent events, CLI progress). */
export const restoreProgressEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('restore-started'),
    restoreId: z.string(),
    planned: count,
    at: z.string(),
  }),
  z.object({
    kind: z.literal('restore-step'),
    restoreId: z.string(),
    /** The phase being executed (e.g. "users", "group members"). */
    step: z.string(),
    done: count,
    failed: count,
    planned: count,
    at: z.string(),
  }),
  z.object({
    kind: z.literal('restore-finished'),
    restoreId: z.string(),
    run: restoreRunSchema,
    at: z.string(),
  }),
  z.object({ kind: z.literal('restore-failed'), restoreId: z.string(), reason: z.string(), at: z.string() }),
]);
export type RestoreProgressEvent = z.infer<typeof restoreProgressEventSchema>;

/**
 * How to undo a restore: a plan request that restores the backup taken of the target right before
 * the restore's first write, for the same types and objects (plus the ids the restore created, so
 * objects it brought back or re-created are removed again).
 */
export const restoreUndoSchema = z.object({
  restoreId: z.string(),
  preRestoreSnapshotId: z.string(),
  request: z.object({
    snapshotId: z.string(),
    types: z.array(objectTypeKeySchema).min(1),
    ids: z.array(z.string()).optional(),
    properties: z.array(z.string()).optional(),
    relationships: z.boolean(),
    removeNew: z.boolean(),
  }),
});
export type RestoreUndo = z.infer<typeof restoreUndoSchema>;
