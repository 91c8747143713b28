import { z } from 'zod';
import { cursorPagedQuery } from './paging';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from './object-types';

const objectTypeKeySchema = z.enum(OBJECT_TYPE_KEYS as [ObjectTypeKey, ...ObjectTypeKey[]]);
const count = z.number().int().nonnegative();

/** `to=live`: compare with the tenant as Graph answers now (read by a fresh backup of the compared types). */
export const COMPARE_LIVE = 'live';

/** A snapshot reference: its id, its sequence number (`12` or `#12`) or `latest`. */
const snapshotRefSchema = z.string().trim().min(1).max(100);

/** Comma-separated type keys (`users,groups`) or repeated `types=` parameters. */
const typeListSchema = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '')
      : value,
  z.array(objectTypeKeySchema).min(1),
);

export const COMPARE_CHANGES = ['added', 'changed', 'removed'] as const;
export const compareChangeSchema = z.enum(COMPARE_CHANGES);
export type CompareChange = z.infer<typeof compareChangeSchema>;

/** Query of the summary and of the downloads. */
export const compareQuerySchema = z
  .object({
    from: snapshotRefSchema,
    to: snapshotRefSchema,
    /** Only these types (default: every type with a difference). */
    types: typeListSchema.optional(),
  })
  .strict();
export type CompareQuery = z.infer<typeof compareQuerySchema>;

/** Query of one type's objects; pages start at 1. */
export const compareObjectsQuerySchema = cursorPagedQuery(
  z
    .object({
      from: snapshotRefSchema,
      to: snapshotRefSchema,
      type: objectTypeKeySchema,
      change: compareChangeSchema.optional(),
      page: z.coerce.number().int().positive().default(1),
      pageSize: z.coerce.number().int().min(1).max(200).default(50),
    })
    .strict(),
);
export type CompareObjectsQuery = z.infer<typeof compareObjectsQuerySchema>;

/**
 * Body of a read of the live tenant for a comparison: the types to read, or the snapshot it will
 * be compared with (its types are read); default the enabled types. Log types are never read.
 */
export const startLiveCompareRequestSchema = z
  .object({ types: z.array(objectTypeKeySchema).min(1).optional(), from: snapshotRefSchema.optional() })
  .strict();
export type StartLiveCompareRequest = z.infer<typeof startLiveCompareRequestSchema>;

/** The backup run reading the live tenant; its snapshot is the `to` of the comparison once it ends. */
export const startLiveCompareResponseSchema = z.object({ runId: z.string() });
export type StartLiveCompareResponse = z.infer<typeof startLiveCompareResponseSchema>;

export const compareSnapshotSchema = z.object({
  snapshotId: z.string(),
  seq: z.number().int().positive(),
  /** When the snapshot's run started (the state it shows). */
  takenAt: z.string(),
  /** The snapshot was taken just now from the live tenant for this comparison. */
  live: z.boolean(),
});
export type CompareSnapshot = z.infer<typeof compareSnapshotSchema>;

export const compareCountsSchema = z.object({ added: count, changed: count, removed: count });
export type CompareCounts = z.infer<typeof compareCountsSchema>;

export const compareCollectionSummarySchema = compareCountsSchema.extend({
  collection: z.string(),
  /** The type's primary collection (users, groups, roleDefinitions, ...), not a secondary one. */
  primary: z.boolean(),
});
export type CompareCollectionSummary = z.infer<typeof compareCollectionSummarySchema>;

export const compareTypeSummarySchema = z.object({
  type: objectTypeKeySchema,
  label: z.string(),
  /** Log types (sign-ins, audits) only ever add entries. */
  log: z.boolean(),
  /** Figures of the primary collection (objects the admin thinks of as the type's). */
  primary: compareCountsSchema,
  /** Every collection with a difference, the primary one first. */
  collections: z.array(compareCollectionSummarySchema),
});
export type CompareTypeSummary = z.infer<typeof compareTypeSummarySchema>;

export const compareSummarySchema = z.object({
  from: compareSnapshotSchema,
  to: compareSnapshotSchema,
  /** Types with at least one difference, in portal order. */
  types: z.array(compareTypeSummarySchema),
  /** Sum over every collection of every type. */
  totals: compareCountsSchema,
});
export type CompareSummary = z.infer<typeof compareSummarySchema>;

/** A directory object named in a relationship (a group member, an owner). */
export const compareReferenceSchema = z.object({
  id: z.string(),
  /** Display name from the snapshots, null when the object is in neither. */
  name: z.string().nullable(),
  /** The Graph kind without namespace: `user`, `group`, `servicePrincipal`, ... */
  kind: z.string().nullable(),
});
export type CompareReference = z.infer<typeof compareReferenceSchema>;

/**
 * One property difference. `path` names nested properties with dots (`conditions.users.includeUsers`).
 * `value`: the old and new JSON values (absent side = the property did not exist; secrets are
 * replaced by `"••••••"`). `references`: a relationship list as the references added and removed.
 */
export const comparePropertySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('value'),
    path: z.string(),
    old: z.unknown().optional(),
    new: z.unknown().optional(),
  }),
  z.object({
    kind: z.literal('references'),
    path: z.string(),
    added: z.array(compareReferenceSchema),
    removed: z.array(compareReferenceSchema),
  }),
]);
export type CompareProperty = z.infer<typeof comparePropertySchema>;

export const compareObjectSchema = z.object({
  collection: z.string(),
  primary: z.boolean(),
  id: z.string(),
  name: z.string(),
  change: compareChangeSchema,
  /** The differences of a changed object; empty for added and removed ones. */
  properties: z.array(comparePropertySchema),
});
export type CompareObject = z.infer<typeof compareObjectSchema>;

export const compareObjectPageSchema = z.object({
  from: compareSnapshotSchema,
  to: compareSnapshotSchema,
  type: objectTypeKeySchema,
  items: z.array(compareObjectSchema),
  total: count,
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
});
export type CompareObjectPage = z.infer<typeof compareObjectPageSchema>;

/** Columns of the CSV download, one row per property difference (or per added/removed object). */
export const COMPARE_CSV_COLUMNS = [
  'type',
  'collection',
  'id',
  'name',
  'change',
  'property',
  'old',
  'new',
] as const;

/** What a masked secret shows instead of its value. */
export const MASKED_SECRET = '••••••';
