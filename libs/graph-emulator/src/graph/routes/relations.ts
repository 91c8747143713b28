import type { Json } from '../../directory/object-collection';
import type { CollectionName } from '../../directory/tenant-generator';
import { presentDirectoryObject } from '../directory-objects';
import { arraySource, DIRECTORY_PAGE, fromDirectoryError, listCollection, noContent, notFound, referencedId, requireBody, type GraphRequest, type GraphResponse } from '../graph-core';
import { parseSelect } from '../odata';
import { RESOURCE_TYPES } from '../resource-types';

/** `GET /{collection}/{id}/members|owners`: directory objects with `@odata.type`, paged like the parent. */
export function listRelated(req: GraphRequest, relation: 'members' | 'owners', collection: CollectionName, ownerId: string, entitySet: string): GraphResponse {
  if (!req.tenant.collection(collection).has(ownerId)) throw notFound(ownerId);
  const ids = req.tenant.related(relation, collection, ownerId);
  const select = parseSelect(req.query.get('$select'));
  const objects = ids.map((id) => presentDirectoryObject(req.tenant, id, select)).filter((o): o is Json => o !== undefined);
  return listCollection(req, {
    entitySet,
    type: RESOURCE_TYPES.directoryObject,
    source: arraySource(objects),
    page: DIRECTORY_PAGE,
    filters: { id: ['eq'] },
    present: (o) => o,
  });
}

export function addRelatedRef(req: GraphRequest, relation: 'members' | 'owners', collection: CollectionName, ownerId: string): GraphResponse {
  try {
    req.tenant.addRelated(relation, collection, ownerId, referencedId(requireBody(req)));
  } catch (e) {
    throw fromDirectoryError(e);
  }
  return noContent();
}

export function removeRelatedRef(req: GraphRequest, relation: 'members' | 'owners', collection: CollectionName, ownerId: string, memberId: string): GraphResponse {
  try {
    req.tenant.removeRelated(relation, collection, ownerId, memberId);
  } catch (e) {
    throw fromDirectoryError(e);
  }
  return noContent();
}
