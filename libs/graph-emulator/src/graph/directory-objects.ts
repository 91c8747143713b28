import type { Json } from '../directory/object-collection';
import {
  ODATA_TYPES,
  type DirectoryObjectCollection,
  type TenantDirectory,
} from '../directory/tenant-directory';
import { project } from './odata';
import { defaultView, RESOURCE_TYPES, type ResourceType } from './resource-types';

export const COLLECTION_TYPES: Record<DirectoryObjectCollection, ResourceType> = {
  users: RESOURCE_TYPES.user,
  groups: RESOURCE_TYPES.group,
  devices: RESOURCE_TYPES.device,
  servicePrincipals: RESOURCE_TYPES.servicePrincipal,
  applications: RESOURCE_TYPES.application,
  administrativeUnits: RESOURCE_TYPES.administrativeUnit,
};

/** A directory object as Graph returns it in `members`/`owners`/`manager`: `@odata.type` plus its default set. */
export function presentDirectoryObject(
  tenant: TenantDirectory,
  id: string,
  select?: string[],
): Json | undefined {
  const found = tenant.resolve(id);
  if (!found) return undefined;
  const type = COLLECTION_TYPES[found.collection];
  const body = select ? project(found.object, select) : defaultView(found.object, type);
  delete body['@odata.type'];
  return { '@odata.type': ODATA_TYPES[found.collection], ...body };
}

/** Properties of a type, from a generated sample: used to reject unknown `$select` names. */
export function knownProperties(
  tenant: TenantDirectory,
  collection: Parameters<TenantDirectory['collection']>[0],
  extra: readonly string[] = [],
): ReadonlySet<string> {
  const sample = tenant.gen.generate(collection, 0);
  return new Set([...Object.keys(sample), ...extra]);
}
