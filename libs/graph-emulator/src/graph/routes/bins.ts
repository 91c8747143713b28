import type { SoftDeletableCollection } from '../../directory/soft-delete';
import {
  arraySource,
  contextUrl,
  fromDirectoryError,
  getEntity,
  listCollection,
  noContent,
  notFound,
  ok,
  type GraphRequest,
  type GraphResponse,
  type GraphVersion,
  type PageSize,
  type RouteDef,
} from '../graph-core';
import type { ResourceType } from '../resource-types';
import { binAudit } from '../write-audit';

export interface BinSpec {
  /** Path of the deleted-items collection, e.g. `/identity/conditionalAccess/deletedItems/policies`. */
  path: string;
  collection: SoftDeletableCollection;
  type: ResourceType;
  /** Entity set of the live objects, for the restored object's `@odata.context`. */
  liveEntitySet: string;
  read: readonly string[];
  write: readonly string[];
  writeAlsoRequires?: readonly string[];
  versions?: readonly GraphVersion[];
  page: PageSize;
}

/** The deleted object, or a 404 Request_ResourceNotFound when it is not (or no longer) in this bin. */
function binItem(req: GraphRequest, spec: BinSpec, id: string) {
  const item = req.tenant.deletedItem(id, [spec.collection]);
  if (!item) throw notFound(id);
  return item;
}

function withType(spec: BinSpec, object: Record<string, unknown>): Record<string, unknown> {
  // Polymorphic types (named locations) carry their own @odata.type.
  return typeof object['@odata.type'] === 'string'
    ? object
    : { '@odata.type': spec.type.odataType, ...object };
}

/**
 * A recycle bin outside `/directory/deletedItems`: list, get, restore (200 with the object, same id,
 * `deletedDateTime` null) and permanent delete (204), e.g.
 * https://learn.microsoft.com/graph/api/conditionalaccesspolicy-restore?view=graph-rest-beta and
 * https://learn.microsoft.com/graph/api/unifiedroledefinition-restore
 */
export function binRoutes(spec: BinSpec): RouteDef[] {
  const versions = spec.versions;
  return [
    {
      method: 'GET',
      path: spec.path,
      permissions: spec.read,
      versions,
      handle: (req) =>
        listCollection(req, {
          entitySet: spec.path.slice(1),
          type: spec.type,
          source: arraySource(req.tenant.deletedItems(spec.collection).map((d) => d.object)),
          page: spec.page,
          filters: { id: ['eq'], displayName: ['eq'] },
          present: (o) => withType(spec, o),
        }),
    },
    {
      method: 'GET',
      path: `${spec.path}/{id}`,
      permissions: spec.read,
      versions,
      handle: (req, { id }) =>
        getEntity(req, binItem(req, spec, id!).object, id!, spec.type, spec.path.slice(1), {
          present: (o) => withType(spec, o),
        }),
    },
    {
      method: 'POST',
      path: `${spec.path}/{id}/restore`,
      permissions: spec.write,
      alsoRequires: spec.writeAlsoRequires,
      versions,
      handle: (req, { id }): GraphResponse => {
        binItem(req, spec, id!);
        try {
          const item = req.tenant.restore(id!);
          return {
            ...ok({
              '@odata.context': contextUrl(req, `${spec.liveEntitySet}/$entity`),
              ...withType(spec, item.object),
            }),
            audit: [binAudit(spec.collection, 'restore', String(item.object['id']))],
          };
        } catch (e) {
          throw fromDirectoryError(e);
        }
      },
    },
    {
      method: 'DELETE',
      path: `${spec.path}/{id}`,
      permissions: spec.write,
      alsoRequires: spec.writeAlsoRequires,
      versions,
      handle: (req, { id }) => {
        try {
          const item = req.tenant.purge(id!, { collections: [spec.collection] });
          return { ...noContent(), audit: [binAudit(spec.collection, 'purge', String(item.object['id']))] };
        } catch (e) {
          throw fromDirectoryError(e);
        }
      },
    },
  ];
}
