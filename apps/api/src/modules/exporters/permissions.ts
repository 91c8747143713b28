import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from '@entra-backup/common';
import { EXTENSION_LOOKUP_PERMISSIONS, EXTENSION_VALUES_PART } from './directory-extensions';
import { DESCRIPTORS } from './registry';

export interface TypePermissions {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/**
 * The application permissions one type needs to be backed up (read) and restored (write) in full:
 * the type's own and those of its collections.
 */
export function permissionsOf(type: ObjectTypeKey): TypePermissions {
  const descriptor = DESCRIPTORS[type];
  const collections = collectionPermissionsOf(type);
  return {
    read: unique([...descriptor.permissions.read, ...collections.flatMap((p) => p.read)]),
    write: unique([...descriptor.permissions.write, ...collections.flatMap((p) => p.write)]),
  };
}

/** A type's own permissions: what it needs to be backed up (read) and restored (write) at all. */
export function ownPermissionsOf(type: ObjectTypeKey): TypePermissions {
  const { read, write } = DESCRIPTORS[type].permissions;
  return { read: unique(read), write: unique(write) };
}

/**
 * The collections of a type that need permissions beyond the type's own, with those permissions;
 * also the parts of a collection that do (its directory extension values, embedded items written
 * with a permission of their own), named after the part.
 */
export function collectionPermissionsOf(
  type: ObjectTypeKey,
): ReadonlyArray<TypePermissions & { readonly collection: string }> {
  return DESCRIPTORS[type].collections.flatMap((c) => [
    ...(c.permissions
      ? [{ collection: c.name, read: unique(c.permissions.read), write: unique(c.permissions.write) }]
      : []),
    ...(c.extensionsFor !== undefined
      ? [{ collection: EXTENSION_VALUES_PART, read: [...EXTENSION_LOOKUP_PERMISSIONS], write: [] }]
      : []),
    ...(c.embeddedAssignments ?? []).flatMap((e) =>
      e.permissions ? [{ collection: e.relation, read: [], write: unique(e.permissions.write) }] : [],
    ),
  ]);
}

/** The embedded items of a collection (`relation`) whose extra write permissions `granted` lacks. */
export function missingEmbeddedWrite(
  type: ObjectTypeKey,
  collection: string,
  relation: string,
  granted: readonly string[],
): string[] {
  const spec = DESCRIPTORS[type].collections.find((c) => c.name === collection);
  const embedded = spec?.embeddedAssignments?.find((e) => e.relation === relation);
  return unique((embedded?.permissions?.write ?? []).filter((p) => !granted.includes(p)));
}

/** Read permissions the given types need (all types by default), sorted and de-duplicated. */
export function requiredReadPermissions(types: readonly ObjectTypeKey[] = OBJECT_TYPE_KEYS): string[] {
  return unique(types.flatMap((t) => permissionsOf(t).read));
}

/** Write permissions the given types need to be restored. */
export function requiredWritePermissions(types: readonly ObjectTypeKey[] = OBJECT_TYPE_KEYS): string[] {
  return unique(types.flatMap((t) => permissionsOf(t).write));
}

/**
 * Every application permission the product's app registration requests (admin consent with
 * `/.default` grants exactly these): read and write of all 14 types.
 */
export function requiredAppRoles(): string[] {
  return unique([...requiredReadPermissions(), ...requiredWritePermissions()]);
}

/** Whether a tenant's granted permissions let the product back up a type. */
export function canBackUp(type: ObjectTypeKey, granted: readonly string[]): boolean {
  return DESCRIPTORS[type].permissions.read.every((p) => granted.includes(p));
}

/**
 * Whether a tenant's granted permissions let the product restore a type (archive-only types:
 * never); with `collection`, also whether they cover that collection's extra write permissions.
 */
export function canRestore(type: ObjectTypeKey, granted: readonly string[], collection?: string): boolean {
  const { write } = DESCRIPTORS[type].permissions;
  if (write.length === 0 || !write.every((p) => granted.includes(p))) return false;
  return missingCollectionWrite(type, collection, granted).length === 0;
}

/** The extra write permissions of one collection of a type that `granted` lacks. */
export function missingCollectionWrite(
  type: ObjectTypeKey,
  collection: string | undefined,
  granted: readonly string[],
): string[] {
  if (collection === undefined) return [];
  const spec = DESCRIPTORS[type].collections.find((c) => c.name === collection);
  return unique((spec?.permissions?.write ?? []).filter((p) => !granted.includes(p)));
}
