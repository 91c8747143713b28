import { z } from 'zod';

/** A snapshot as a timeline names it: id, per-tenant sequence number and when it was taken. */
export const historySnapshotRefSchema = z.object({
  id: z.string(),
  seq: z.number().int().positive(),
  takenAt: z.string(),
});
export type HistorySnapshotRef = z.infer<typeof historySnapshotRefSchema>;

/**
 * One changed value. `property` is the top-level property (what a restore of single properties
 * names); `path` goes into nested objects (`passwordProfile.forceChangePasswordNextSignIn`).
 * `before` / `after` are JSON values, absent when the property was absent; a secret field is
 * `masked` and carries no values.
 */
export const propertyChangeSchema = z.object({
  property: z.string(),
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  masked: z.boolean(),
});
export type PropertyChange = z.infer<typeof propertyChangeSchema>;

/** A member, owner, manager (or other embedded reference) that appeared or disappeared. */
export const relationshipChangeSchema = z.object({
  relation: z.string(),
  action: z.enum(['added', 'removed']),
  id: z.string(),
  /** `user`, `group`, `servicePrincipal`, `device`, ... from the reference's `@odata.type`. */
  kind: z.string(),
  /** Resolved from the backup; null when the referenced object was never backed up. */
  displayName: z.string().nullable(),
  /** Where the referenced object is backed up (for links); null when it is not. */
  type: z.string().nullable(),
  collection: z.string().nullable(),
});
export type RelationshipChange = z.infer<typeof relationshipChangeSchema>;

export const auditModifiedPropertySchema = z.object({
  name: z.string(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
});

/** A directory audit entry (Graph `directoryAudit`) that matches a change. */
export const auditMatchSchema = z.object({
  id: z.string(),
  activityDateTime: z.string(),
  activity: z.string(),
  category: z.string().nullable(),
  result: z.string().nullable(),
  /** The user's UPN or the app's name. */
  initiatedBy: z.object({ kind: z.enum(['user', 'app', 'unknown']), name: z.string() }),
  targets: z.array(
    z.object({
      id: z.string(),
      type: z.string().nullable(),
      displayName: z.string().nullable(),
      modifiedProperties: z.array(auditModifiedPropertySchema),
    }),
  ),
});
export type AuditMatch = z.infer<typeof auditMatchSchema>;

export const HISTORY_EVENT_KINDS = ['created', 'changed', 'deleted', 'restored'] as const;
export const historyEventKindSchema = z.enum(HISTORY_EVENT_KINDS);
export type HistoryEventKind = z.infer<typeof historyEventKindSchema>;

export const historyEventSchema = z.object({
  kind: historyEventKindSchema,
  /** The first snapshot showing the event. */
  snapshot: historySnapshotRefSchema,
  /** The snapshot before it (null for the tenant's first): the event happened in between. */
  previousSnapshot: historySnapshotRefSchema.nullable(),
  /** The snapshot holding the version to restore: this one, or for a deletion the one before. */
  restoreSnapshotSeq: z.number().int().positive().nullable(),
  changes: z.array(propertyChangeSchema),
  relationships: z.array(relationshipChangeSchema),
  /** Matching directory audit entries, newest first; empty when none (or no audit logs backed up). */
  audit: z.array(auditMatchSchema),
});
export type HistoryEvent = z.infer<typeof historyEventSchema>;

export const objectHistorySchema = z.object({
  type: z.string(),
  collection: z.string(),
  objectId: z.string(),
  displayName: z.string().nullable(),
  /** Whether directory audit logs are part of the backup (else "who changed it" stays empty). */
  auditLogsBackedUp: z.boolean(),
  versions: z.number().int().nonnegative(),
  /** Newest first. */
  events: z.array(historyEventSchema),
});
export type ObjectHistory = z.infer<typeof objectHistorySchema>;

/** Query of the as-of view: a date (ISO 8601), optionally a second date to compare with (default now). */
export const asOfQuerySchema = z.object({
  date: z.iso
    .datetime({ offset: true, message: 'date must be an ISO 8601 date-time' })
    .or(z.iso.date({ message: 'date must be an ISO 8601 date' })),
  until: z.iso
    .datetime({ offset: true, message: 'until must be an ISO 8601 date-time' })
    .or(z.iso.date({ message: 'until must be an ISO 8601 date' }))
    .optional(),
});
export type AsOfQuery = z.infer<typeof asOfQuerySchema>;

/** A related object named from the backup. */
export const asOfRelatedObjectSchema = z.object({
  id: z.string(),
  kind: z.string(),
  /** The backed-up type and collection, when the object is in the backup (for links). */
  type: z.string().nullable(),
  collection: z.string().nullable(),
  displayName: z.string().nullable(),
  /** For a role: the scope of the assignment (`/` = the whole directory). */
  detail: z.string().nullable(),
});
export type AsOfRelatedObject = z.infer<typeof asOfRelatedObjectSchema>;

/** A named set of related objects: a group's `members`, a user's `groups`, `roles`, `adminUnits`. */
export const relationSetSchema = z.object({
  relation: z.string(),
  label: z.string(),
  items: z.array(asOfRelatedObjectSchema),
});

export const relationChangeSchema = z.object({
  relation: z.string(),
  action: z.enum(['added', 'removed']),
  item: asOfRelatedObjectSchema,
});

export const asOfResponseSchema = z.object({
  type: z.string(),
  collection: z.string(),
  objectId: z.string(),
  displayName: z.string().nullable(),
  requestedDate: z.string(),
  /** The snapshot valid at the date: the newest taken at or before it; null when none was. */
  snapshot: historySnapshotRefSchema.nullable(),
  /** Whether the object existed in that snapshot. */
  existed: z.boolean(),
  relations: z.array(relationSetSchema),
  /** The end of the comparison: the snapshot valid at `until` (or the newest). */
  compareSnapshot: historySnapshotRefSchema.nullable(),
  compareExisted: z.boolean(),
  /** What changed between the two snapshots, per relation. */
  changes: z.array(relationChangeSchema),
});
export type AsOfResponse = z.infer<typeof asOfResponseSchema>;
