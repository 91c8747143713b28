import { z } from 'zod';
import { cursorPagedQuery } from './paging';
import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from './object-types';

const objectTypeKeySchema = z.enum(OBJECT_TYPE_KEYS as [ObjectTypeKey, ...ObjectTypeKey[]]);
const count = z.number().int().nonnegative();
const isoDate = z.iso.datetime({ offset: true });

/** Largest page the browse API serves. */
export const BROWSE_MAX_PAGE_SIZE = 200;

export const browseSnapshotSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  mode: z.enum(['full', 'incremental']),
  status: z.string(),
  createdAt: isoDate,
  completedAt: isoDate.nullable(),
  /** Objects (log entries for log types) per type: the run's figures in lists, exact counts for one snapshot. */
  counts: z.record(z.string(), count),
});
export type BrowseSnapshot = z.infer<typeof browseSnapshotSchema>;

export const browseSnapshotPageSchema = z.object({
  items: z.array(browseSnapshotSchema),
  total: count,
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
});
export type BrowseSnapshotPage = z.infer<typeof browseSnapshotPageSchema>;

export const listSnapshotsQuerySchema = cursorPagedQuery(
  z
    .object({
      page: z.coerce.number().int().positive().default(1),
      pageSize: z.coerce.number().int().min(1).max(100).default(20),
    })
    .strict(),
);
export type ListSnapshotsQuery = z.infer<typeof listSnapshotsQuerySchema>;

export const browseCollectionSchema = z.object({
  name: z.string(),
  count,
  /** Log collections get the time-range view. */
  log: z.boolean(),
});

export const browseTypeSchema = z.object({
  type: objectTypeKeySchema,
  label: z.string(),
  count,
  collections: z.array(browseCollectionSchema),
});
export type BrowseType = z.infer<typeof browseTypeSchema>;

/** One snapshot with exact per-type and per-collection counts. */
export const browseSnapshotDetailSchema = z.object({
  snapshot: browseSnapshotSchema,
  types: z.array(browseTypeSchema),
});
export type BrowseSnapshotDetail = z.infer<typeof browseSnapshotDetailSchema>;

export const browseColumnSchema = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(['text', 'number', 'boolean', 'date', 'enum']),
  filter: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
});
export type BrowseColumn = z.infer<typeof browseColumnSchema>;

export const browseValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type BrowseValue = z.infer<typeof browseValueSchema>;

export const browseRowSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  values: z.record(z.string(), browseValueSchema),
});
export type BrowseRow = z.infer<typeof browseRowSchema>;

export const browseObjectPageSchema = z.object({
  snapshot: browseSnapshotSchema.omit({ counts: true }),
  type: objectTypeKeySchema,
  collection: z.string(),
  log: z.boolean(),
  /** For log collections: the column holding each entry's time. */
  timeColumn: z.string().nullable(),
  columns: z.array(browseColumnSchema),
  items: z.array(browseRowSchema),
  total: count,
  /** False when a search matched more than `total` (counting stops at 10,000 matches). */
  totalExact: z.boolean(),
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
  sort: z.string(),
  order: z.enum(['asc', 'desc']),
});
export type BrowseObjectPage = z.infer<typeof browseObjectPageSchema>;

/**
 * Listing query. `filter` is a comma-separated list of `column:value` pairs (values from the
 * column's `filter` list); `from` / `to` bound the time column of log collections.
 */
export const browseObjectsQuerySchema = cursorPagedQuery(
  z
    .object({
      collection: z.string().min(1).max(128).optional(),
      page: z.coerce.number().int().positive().default(1),
      pageSize: z.coerce
        .number()
        .int()
        .min(1)
        .max(BROWSE_MAX_PAGE_SIZE, { message: `pageSize must be at most ${BROWSE_MAX_PAGE_SIZE}` })
        .default(50),
      sort: z.string().min(1).max(64).optional(),
      order: z.enum(['asc', 'desc']).optional(),
      search: z.string().trim().max(256).optional(),
      filter: z.string().max(1024).optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
    })
    .strict(),
);
export type BrowseObjectsQuery = z.infer<typeof browseObjectsQuerySchema>;

/** A related object, named; `found` is false when the snapshot does not hold it. */
export const relatedObjectSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  type: objectTypeKeySchema.nullable(),
  collection: z.string().nullable(),
  found: z.boolean(),
  /** For reverse relations through an assignment: the assignment's id. */
  via: z.string().optional(),
});
export type RelatedObject = z.infer<typeof relatedObjectSchema>;

export const objectRelationSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** `outgoing`: held by this object; `incoming`: other objects that name this one. */
  direction: z.enum(['outgoing', 'incoming']),
  items: z.array(relatedObjectSchema),
});
export type ObjectRelation = z.infer<typeof objectRelationSchema>;

export const objectDetailSchema = z.object({
  snapshot: browseSnapshotSchema.omit({ counts: true }),
  type: objectTypeKeySchema,
  collection: z.string(),
  id: z.string(),
  name: z.string().nullable(),
  /** The stored object with secret properties replaced by `maskedValue`. */
  object: z.record(z.string(), z.unknown()),
  maskedFields: z.array(z.string()),
  relations: z.array(objectRelationSchema),
  /** The table columns of the collection, for a readable header. */
  columns: z.array(browseColumnSchema),
  values: z.record(z.string(), browseValueSchema),
});
export type ObjectDetail = z.infer<typeof objectDetailSchema>;

/** What replaces a secret value in anything shown. */
export const MASKED_VALUE = '••••••••';

/** Revealing one BitLocker key is an explicit, audited act: the body must say so. */
export const revealKeyRequestSchema = z
  .object({
    confirm: z.literal(true, { message: 'Set "confirm": true to reveal this recovery key' }),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
export type RevealKeyRequest = z.infer<typeof revealKeyRequestSchema>;

export const revealKeyResponseSchema = z.object({
  id: z.string(),
  deviceId: z.string().nullable(),
  key: z.string(),
});
export type RevealKeyResponse = z.infer<typeof revealKeyResponseSchema>;
