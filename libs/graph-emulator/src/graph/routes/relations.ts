import type { CollectionName } from '../../directory/tenant-generator';
import { presentDirectoryObject } from '../directory-objects';
import {
  checkReplicated,
  DIRECTORY_PAGE,
  type PositionSource,
  fromDirectoryError,
  listCollection,
  noContent,
  notFound,
  referencedId,
  requireBody,
  type GraphRequest,
  type GraphResponse,
} from '../graph-core';
import { parseSelect } from '../odata';
import { RESOURCE_TYPES } from '../resource-types';

/** `GET /{collection}/{id}/members|owners`: directory objects with `@odata.type`, paged like the parent. */
export function listRelated(
  req: GraphRequest,
  relation: 'members' | 'owners',
  collection: CollectionName,
  ownerId: string,
  entitySet: string,
  keep?: (id: string) => boolean,
): GraphResponse {
  if (!req.tenant.collection(collection).has(ownerId)) throw notFound(ownerId);
  const ids = req.tenant.related(relation, collection, ownerId).filter((id) => !keep || keep(id));
  const select = parseSelect(req.query.get('$select'));
  // Members are presented only for the requested page: a dynamic group can hold thousands.
  const source: PositionSource = {
    positions: ids.length,
    at: (p) => (ids[p] === undefined ? null : (presentDirectoryObject(req.tenant, ids[p]!, select) ?? null)),
    get: (id) =>
      ids.some((m) => m.toLowerCase() === id.toLowerCase())
        ? presentDirectoryObject(req.tenant, id, select)
        : undefined,
    count: () => ids.length,
  };
  return listCollection(req, {
    entitySet,
    type: RESOURCE_TYPES.directoryObject,
    source,
    page: DIRECTORY_PAGE,
    filters: { id: ['eq'] },
    present: (o) => o,
  });
}

export function addRelatedRef(
  req: GraphRequest,
  relation: 'members' | 'owners',
  collection: CollectionName,
  ownerId: string,
): GraphResponse {
  const memberId = referencedId(requireBody(req));
  checkReplicated(req, ownerId, memberId);
  try {
    req.tenant.addRelated(relation, collection, ownerId, memberId);
  } catch (e) {
    throw fromDirectoryError(e);
  }
  return noContent();
}

export function removeRelatedRef(
  req: GraphRequest,
  relation: 'members' | 'owners',
  collection: CollectionName,
  ownerId: string,
  memberId: string,
): GraphResponse {
  try {
    req.tenant.removeRelated(relation, collection, ownerId, memberId);
  } catch (e) {
    throw fromDirectoryError(e);
  }
  return noContent();
}
