import type { GraphWrite, LinkSpec, RecycleBinSpec } from '../restore-spec';
import { RestorePhase } from '../restore-spec';
import { isExtensionProperty } from '../directory-extensions';

/**
 * The directory recycle bin of one type: listed with the type's cast segment (a list without
 * it is not supported), restored by id. https://learn.microsoft.com/graph/api/directory-deleteditems-list
 */
export function directoryRecycleBin(cast: string): RecycleBinSpec {
  return {
    version: 'v1.0',
    list: `/directory/deletedItems/microsoft.graph.${cast}`,
    restore: (id) => `/directory/deletedItems/${id}/restore`,
  };
}

/** Owners of applications and service principals, as `$ref` links. */
export function ownersLink(collectionPath: string, phase: RestorePhase): LinkSpec {
  return { relation: 'owners', phase, refPath: (id) => `${collectionPath}/${id}/owners` };
}

/** `@odata.id` of a directory object, as `$ref` and `@odata.bind` take it. */
export function directoryObjectUrl(id: string): string {
  return `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;
}

export function deleteWrite(path: string): GraphWrite {
  return { method: 'DELETE', path };
}

/** Objects synchronised from on-premises are mastered there: Graph refuses to write them. */
export function onPremisesMastered(object: Readonly<Record<string, unknown>>): string | null {
  return object['onPremisesSyncEnabled'] === true
    ? 'Synchronised from on-premises Active Directory: restore it there and let the sync bring it back'
    : null;
}

/** An OData string literal's content: single quotes doubled. */
export function odataString(value: string): string {
  return value.replace(/'/g, "''");
}

export { RestorePhase };

/**
 * Directory extension values are written after the applications defining them have their
 * extensions again (a re-created application re-creates them under its new appId; the id
 * rewriter renames the values): https://learn.microsoft.com/graph/api/resources/extensionproperty
 */
export const EXTENSION_VALUES_LATER = {
  matches: isExtensionProperty,
  phase: RestorePhase.EXTENSION_VALUES,
} as const;
