import type { Json } from '../../directory/object-collection';
import type { CollectionName } from '../../directory/tenant-generator';
import {
  contextUrl,
  getEntity,
  listCollection,
  noContent,
  notFound,
  ok,
  rejectReadOnly,
  rejectUnknown,
  requireBody,
  requireProperties,
  type FilterRules,
  type GraphRequest,
  type GraphVersion,
  type ListSpec,
  type PageSize,
  type RouteDef,
} from '../graph-core';
import { knownProperties } from '../directory-objects';
import { badRequest } from '../odata';
import type { ResourceType } from '../resource-types';

export interface CrudSpec {
  path: string;
  collection: CollectionName;
  type: ResourceType;
  entitySet: string;
  read: readonly string[];
  write?: readonly string[];
  page: PageSize;
  filters?: FilterRules;
  versions?: readonly GraphVersion[];
  expand?: (req: GraphRequest) => ListSpec['expand'];
  /** Server-owned properties rejected in write bodies. */
  readOnly?: readonly string[];
  /** Properties settable only when the object is created (immutable afterwards). */
  readOnlyOnUpdate?: readonly string[];
  /** Alternate key of `PATCH /{collection}({key}='...')` upserts with `Prefer: create-if-missing`. */
  upsertKey?: 'uniqueName' | 'appId';
  required?: readonly string[];
  /** Validation of a create (`existing` undefined) or update body, after the read-only and unknown checks. */
  validate?: (req: GraphRequest, body: Json, existing: Json | undefined) => void;
  /** Extra validation / defaults before create; returns the object to store. */
  onCreate?: (req: GraphRequest, body: Json) => Json;
  /** Rejects updates or deletes of an object (e.g. built-in role definitions). */
  guard?: (obj: Json, op: 'update' | 'delete') => void;
  /** Restrict listed objects (e.g. hide assignments whose principal is gone). */
  where?: (obj: Json, req: GraphRequest) => boolean;
  /** Permissions needed on writes in addition to one of `write`. */
  writeAlsoRequires?: readonly string[];
  /** Write-only properties accepted besides the readable ones (e.g. passwordProfile). */
  writableExtras?: readonly string[];
  /** Fields stamped on create/update. */
  stamp?: (req: GraphRequest, op: 'create' | 'update') => Json;
}

/** By id, or by an alternate key segment such as `servicePrincipals(appId='...')`, `applications(uniqueName='...')`. */
function lookup(
  req: GraphRequest,
  collection: CollectionName,
  id: string,
  where?: (o: Json, req: GraphRequest) => boolean,
): Json | undefined {
  const alternate = /^(appId|deviceId|uniqueName)=(.+)$/.exec(id);
  let obj: Json | undefined;
  if (alternate) {
    for (const candidate of req.tenant.collection(collection).values()) {
      const value = candidate[alternate[1]!];
      if (typeof value === 'string' && value.toLowerCase() === alternate[2]!.toLowerCase()) {
        obj = candidate;
        break;
      }
    }
  } else obj = req.tenant.collection(collection).get(id);
  return obj && (!where || where(obj, req)) ? obj : undefined;
}

/** Finds by id or alternate key (see `lookup`); 404 Request_ResourceNotFound when absent. */
export function findIn(
  req: GraphRequest,
  collection: CollectionName,
  id: string,
  where?: (o: Json, req: GraphRequest) => boolean,
): Json {
  const obj = lookup(req, collection, id, where);
  if (!obj) throw notFound(/^(appId|deviceId|uniqueName)=(.+)$/.exec(id)?.[2] ?? id);
  return obj;
}

/** GET list, GET one, and (with write permissions) POST, PATCH, DELETE for a simple collection. */
export function crudRoutes(spec: CrudSpec): RouteDef[] {
  const versions = spec.versions;
  const source = (req: GraphRequest) => {
    const c = req.tenant.collection(spec.collection);
    if (!spec.where) return c;
    const where = spec.where;
    return {
      positions: c.positions,
      at: (p: number) => {
        const o = c.at(p);
        return o && where(o, req) ? o : null;
      },
      get: (id: string) => {
        const o = c.get(id);
        return o && where(o, req) ? o : undefined;
      },
    };
  };
  const routes: RouteDef[] = [
    {
      method: 'GET',
      path: spec.path,
      permissions: spec.read,
      versions,
      handle: (req) =>
        listCollection(req, {
          entitySet: spec.entitySet,
          type: spec.type,
          source: source(req),
          page: spec.page,
          filters: spec.filters,
          known: knownProperties(req.tenant, spec.collection),
          expand: spec.expand?.(req),
        }),
    },
    {
      method: 'GET',
      path: `${spec.path}/{id}`,
      permissions: spec.read,
      versions,
      handle: (req, { id }) =>
        getEntity(req, findIn(req, spec.collection, id!, spec.where), id!, spec.type, spec.entitySet, {
          known: knownProperties(req.tenant, spec.collection),
          expand: spec.expand?.(req),
        }),
    },
  ];
  if (!spec.write) return routes;
  const create = (req: GraphRequest, body: Json): Json => {
    rejectReadOnly(body, spec.readOnly ?? ['id']);
    if (!spec.type.polymorphic)
      rejectUnknown(body, knownProperties(req.tenant, spec.collection), spec.type.name, spec.writableExtras);
    if (spec.required) requireProperties(body, spec.required, spec.type.label);
    spec.validate?.(req, body, undefined);
    const toStore = spec.onCreate ? spec.onCreate(req, body) : body;
    return req.tenant.create(spec.collection, { ...toStore, ...(spec.stamp?.(req, 'create') ?? {}) });
  };
  routes.push(
    {
      method: 'POST',
      path: spec.path,
      permissions: spec.write,
      alsoRequires: spec.writeAlsoRequires,
      versions,
      handle: (req) => {
        const created = create(req, requireBody(req));
        return ok({ '@odata.context': contextUrl(req, `${spec.entitySet}/$entity`), ...created }, 201);
      },
    },
    {
      method: 'PATCH',
      path: `${spec.path}/{id}`,
      permissions: spec.write,
      alsoRequires: spec.writeAlsoRequires,
      versions,
      handle: (req, { id }) => {
        const alternate = /^(\w+)=(.+)$/.exec(id!);
        if (
          spec.upsertKey &&
          alternate?.[1] === spec.upsertKey &&
          !lookup(req, spec.collection, id!, spec.where)
        ) {
          // Upsert by alternate key: created (201 + object) only with `Prefer: create-if-missing`, else 404.
          // https://learn.microsoft.com/graph/api/application-upsert, https://learn.microsoft.com/graph/api/serviceprincipal-upsert
          if (!/(^|[,;\s])create-if-missing($|[,;\s])/i.test(req.headers['prefer'] ?? ''))
            throw notFound(alternate[2]!);
          const body = requireBody(req);
          const created = create(req, { ...body, [spec.upsertKey]: alternate[2]! });
          return ok({ '@odata.context': contextUrl(req, `${spec.entitySet}/$entity`), ...created }, 201);
        }
        const obj = findIn(req, spec.collection, id!, spec.where);
        spec.guard?.(obj, 'update');
        const body = requireBody(req);
        rejectReadOnly(body, [...(spec.readOnly ?? ['id']), ...(spec.readOnlyOnUpdate ?? [])]);
        if (!spec.type.polymorphic)
          rejectUnknown(
            body,
            knownProperties(req.tenant, spec.collection),
            spec.type.name,
            spec.writableExtras,
          );
        if (
          typeof body['@odata.type'] === 'string' &&
          typeof obj['@odata.type'] === 'string' &&
          body['@odata.type'] !== obj['@odata.type']
        ) {
          throw badRequest(
            `The type '${String(body['@odata.type'])}' of the payload does not match the type of the entity.`,
          );
        }
        spec.validate?.(req, body, obj);
        req.tenant.update(spec.collection, String(obj['id']), {
          ...body,
          ...(spec.stamp?.(req, 'update') ?? {}),
        });
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: `${spec.path}/{id}`,
      permissions: spec.write,
      alsoRequires: spec.writeAlsoRequires,
      versions,
      handle: (req, { id }) => {
        const obj = findIn(req, spec.collection, id!, spec.where);
        spec.guard?.(obj, 'delete');
        req.tenant.remove(spec.collection, String(obj['id']));
        return noContent();
      },
    },
  );
  return routes;
}
