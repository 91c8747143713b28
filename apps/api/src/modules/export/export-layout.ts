import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from '@entra-backup/common';

/**
 * How a type's stored collections become export files: the primary collection (the Graph
 * collection the type is named after) goes to `<typeKey>.jsonl`, every other collection to
 * `<typeKey>.<collection>.jsonl`. Secret properties are dropped unless secrets are requested.
 */
export interface TypeExportLayout {
  readonly primaryCollection: string;
  /** Properties holding secrets, per collection; removed from the export unless secrets are included. */
  readonly secretProperties: Readonly<Record<string, readonly string[]>>;
}

export const EXPORT_FILE_SUFFIX = '.jsonl';

/** `users.jsonl`, `builtInRoles.roleAssignments.jsonl`. */
export function exportFileName(type: ObjectTypeKey, collection: string, layout: TypeExportLayout): string {
  return collection === layout.primaryCollection
    ? `${type}${EXPORT_FILE_SUFFIX}`
    : `${type}.${collection}${EXPORT_FILE_SUFFIX}`;
}

/** The type key an export file name belongs to, or null for any other file. */
export function exportFileType(name: string): ObjectTypeKey | null {
  if (!name.endsWith(EXPORT_FILE_SUFFIX)) return null;
  const stem = name.slice(0, -EXPORT_FILE_SUFFIX.length);
  const dot = stem.indexOf('.');
  const key = dot === -1 ? stem : stem.slice(0, dot);
  return (OBJECT_TYPE_KEYS as readonly string[]).includes(key) ? (key as ObjectTypeKey) : null;
}
