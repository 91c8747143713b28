import type { Json } from '../directory/object-collection';
import { withoutCertificateKeys } from './certificate-keys';
import { ODATA_TYPES, type ChangeEntry, type DirectoryObjectCollection } from '../directory/tenant-directory';
import { DAY_MS } from '../directory/tenant-generator';
import { GraphHttpError } from '../shared/graph-error';
import { COLLECTION_TYPES, knownProperties } from './directory-objects';
import { contextUrl, ok, parseAllowedFilter, type GraphRequest, type GraphResponse } from './graph-core';
import {
  badRequest,
  decodeToken,
  encodeToken,
  idsOnly,
  isExtensionName,
  parseSelect,
  project,
} from './odata';
import { defaultView } from './resource-types';
import { withExtensionValues } from './extension-values';

/** Directory delta links live 7 days. https://devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources/ */
export const DELTA_TOKEN_LIFETIME_MS = 7 * DAY_MS;
const DEFAULT_DELTA_PAGE = 100;
const MAX_DELTA_PAGE = 999;

interface DeltaState extends Json {
  k: 'delta' | 'dskip';
  c: DirectoryObjectCollection;
  /** Issued at (ms, emulator clock). */
  t: number;
  sel: string | null;
  flt: string | null;
  /** Initial round: next position; change round: index into the change list. */
  p: number;
  /** Sequence the round started from (change rounds) and the sequence it reports up to. */
  from: number;
  upto: number;
  mode: 'initial' | 'changes';
}

function pageSize(req: GraphRequest): number {
  const prefer = req.headers['prefer'] ?? '';
  const match = /odata\.maxpagesize=(\d+)/i.exec(prefer);
  if (!match) return DEFAULT_DELTA_PAGE;
  return Math.max(1, Math.min(MAX_DELTA_PAGE, Number(match[1])));
}

function link(
  req: GraphRequest,
  entitySet: string,
  name: '$skiptoken' | '$deltatoken',
  state: DeltaState,
): string {
  return `${req.baseUrl}/${req.version}/${entitySet}/delta?${name}=${encodeToken(state)}`;
}

function checkToken(
  req: GraphRequest,
  state: DeltaState,
  collection: DirectoryObjectCollection,
  entitySet: string,
): void {
  if (state.c !== collection) throw badRequest('The delta token does not belong to this resource.');
  if (req.tenant.clock.now() - state.t > DELTA_TOKEN_LIFETIME_MS) {
    throw new GraphHttpError(
      400,
      'syncStateNotFound',
      'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
    );
  }
  const resync = req.tenant.resyncBefore.get(collection);
  if (resync !== undefined && state.upto <= resync) {
    const params = new URLSearchParams();
    if (state.sel) params.set('$select', state.sel);
    if (state.flt) params.set('$filter', state.flt);
    const query = params.toString().replace(/%24/g, '$').replace(/%2C/g, ',');
    // 410 Gone with a Location to restart from: https://learn.microsoft.com/graph/delta-query-overview
    throw new GraphHttpError(
      410,
      'resyncRequired',
      'The delta token is no longer valid; a full synchronization is required.',
      {
        Location: `${req.baseUrl}/${req.version}/${entitySet}/delta${query ? `?${query}` : ''}`,
      },
    );
  }
}

function renderDelta(
  req: GraphRequest,
  collection: DirectoryObjectCollection,
  obj: Json,
  select: string[] | undefined,
): Json {
  const type = COLLECTION_TYPES[collection];
  const structural = select?.filter((p) => p !== 'members' && p !== 'owners' && p !== 'manager');
  const listed =
    collection === 'users' || collection === 'groups'
      ? withExtensionValues(req.tenant, collection, withoutCertificateKeys(obj), select)
      : withoutCertificateKeys(obj);
  const out: Json =
    structural && structural.length > 0
      ? project(listed, structural)
      : select
        ? {}
        : defaultView(listed, type);
  // The id is always part of a delta item.
  out['id'] = obj['id'];
  const id = String(obj['id']);
  if (select?.includes('members') && collection === 'groups') {
    out['members@delta'] = req.tenant
      .related('members', 'groups', id)
      .map((m) => ({ '@odata.type': odataTypeOf(req, m), id: m }));
  }
  if (select?.includes('owners') && collection === 'groups') {
    out['owners@delta'] = req.tenant
      .related('owners', 'groups', id)
      .map((m) => ({ '@odata.type': odataTypeOf(req, m), id: m }));
  }
  if (select?.includes('manager') && collection === 'users') {
    const manager = req.tenant.manager(id);
    if (manager) out['manager@delta'] = [{ '@odata.type': '#microsoft.graph.user', id: manager }];
  }
  return out;
}

function odataTypeOf(req: GraphRequest, id: string): string {
  const kind = req.tenant.kindOf(id);
  return kind ? ODATA_TYPES[kind] : '#microsoft.graph.directoryObject';
}

interface Change {
  id: string;
  last: ChangeEntry;
  members: Map<string, { odataType: string; removed: boolean }>;
  /** Manager references set (false) or removed (true) in the window. */
  manager: Map<string, boolean>;
  /** Owners added or removed in the window. */
  ownersChanged: boolean;
  propertiesChanged: boolean;
}

function collectChanges(
  req: GraphRequest,
  collection: DirectoryObjectCollection,
  from: number,
  upto: number,
): Change[] {
  const byId = new Map<string, Change>();
  for (let seq = from + 1; seq <= upto; seq++) {
    const entry = req.tenant.changes[seq - 1]!;
    if (entry.collection !== collection) continue;
    let change = byId.get(entry.id);
    if (!change) {
      change = {
        id: entry.id,
        last: entry,
        members: new Map(),
        manager: new Map(),
        ownersChanged: false,
        propertiesChanged: false,
      };
      byId.set(entry.id, change);
    }
    change.last = entry;
    if (entry.member?.relation === 'members')
      change.members.set(entry.member.id, {
        odataType: entry.member.odataType,
        removed: entry.member.removed,
      });
    else if (entry.member?.relation === 'manager') change.manager.set(entry.member.id, entry.member.removed);
    else if (entry.member?.relation === 'owners') change.ownersChanged = true;
    else change.propertiesChanged = true;
  }
  return [...byId.values()];
}

/**
 * Delta query: an initial round pages through every object, then a deltaLink; later rounds return
 * only what changed since, with `@removed` for deletions and `members@delta` for membership.
 * https://learn.microsoft.com/graph/delta-query-overview
 */
export function serveDelta(
  req: GraphRequest,
  collection: DirectoryObjectCollection,
  entitySet: string,
): GraphResponse {
  const type = COLLECTION_TYPES[collection];
  for (const p of ['$expand', '$orderby', '$top']) {
    if (req.query.has(p))
      throw badRequest(
        `The query parameter '${p}' is not supported with change tracking over the '${entitySet}' resource.`,
        'Request_UnsupportedQuery',
      );
  }
  const skip = req.query.get('$skiptoken');
  const deltaToken = req.query.get('$deltatoken');
  const size = pageSize(req);
  let state: DeltaState;
  if (deltaToken === 'latest') {
    const latest: DeltaState = {
      k: 'delta',
      c: collection,
      t: req.tenant.clock.now(),
      sel: req.query.get('$select'),
      flt: req.query.get('$filter'),
      p: 0,
      from: req.tenant.seq,
      upto: req.tenant.seq,
      mode: 'changes',
    };
    return ok({
      '@odata.context': contextUrl(req, entitySet),
      '@odata.deltaLink': link(req, entitySet, '$deltatoken', latest),
      value: [],
    });
  }
  if (skip !== null) {
    state = decodeToken<DeltaState>(skip, 'dskip');
    checkToken(req, state, collection, entitySet);
  } else if (deltaToken !== null) {
    const previous = decodeToken<DeltaState>(deltaToken, 'delta');
    checkToken(req, previous, collection, entitySet);
    state = { ...previous, k: 'dskip', p: 0, from: previous.upto, upto: req.tenant.seq, mode: 'changes' };
  } else {
    const requested = parseSelect(req.query.get('$select'));
    const known = knownProperties(req.tenant, collection, ['members', 'owners', 'manager']);
    for (const p of requested ?? []) {
      // Properties stored outside the directory cannot be tracked: https://learn.microsoft.com/graph/delta-query-overview
      if (type.singleOnly?.includes(p))
        throw new GraphHttpError(501, 'NotImplemented', 'This operation target is not yet supported.');
      if (isExtensionName(p)) continue;
      if (!known.has(p) || (req.version === 'v1.0' && type.betaOnly?.includes(p)))
        throw badRequest(`Could not find a property named '${p}' on type '${type.name}'.`);
    }
    state = {
      k: 'dskip',
      c: collection,
      t: req.tenant.clock.now(),
      sel: req.query.get('$select'),
      flt: req.query.get('$filter'),
      p: 0,
      from: 0,
      upto: req.tenant.seq,
      mode: 'initial',
    };
  }
  const select = parseSelect(state.sel);
  const filterRequest = { ...req, query: new URLSearchParams(state.flt ? { $filter: state.flt } : {}) };
  const filter = parseAllowedFilter(filterRequest, { id: ['eq'] }, type);
  const wanted = idsOnly(filter);
  const wantedSet = wanted ? new Set(wanted.map((w) => w.toLowerCase())) : undefined;
  const items: Json[] = [];
  let done = false;
  if (state.mode === 'initial') {
    const source = req.tenant.collection(collection);
    let p = state.p;
    if (wanted) {
      for (const id of wanted) {
        const obj = source.get(id);
        if (obj) items.push(renderDelta(req, collection, obj, select));
      }
      done = true;
    } else {
      for (; p < source.positions && items.length < size; p++) {
        const obj = source.at(p);
        if (obj) items.push(renderDelta(req, collection, obj, select));
      }
      done = p >= source.positions;
    }
    state = { ...state, p };
  } else {
    // Ownership changes are tracked only when the query selects `owners` ("You can also track other
    // changes such as ownership by selecting any relationship of the group of type directoryObject
    // collection": https://learn.microsoft.com/graph/api/group-delta).
    const tracksOwners = collection !== 'groups' || select?.includes('owners') === true;
    const changes = collectChanges(req, collection, state.from, state.upto).filter(
      (c) =>
        (!wantedSet || wantedSet.has(c.id)) &&
        (c.last.kind !== 'upsert' ||
          c.propertiesChanged ||
          c.members.size > 0 ||
          c.manager.size > 0 ||
          (c.ownersChanged && tracksOwners)),
    );
    let i = state.p;
    for (; i < changes.length && items.length < size; i++) {
      const change = changes[i]!;
      const obj = req.tenant.collection(collection).get(change.id);
      if (!obj) {
        const reason = req.tenant.deletedItem(change.id) ? 'changed' : 'deleted';
        items.push({ id: change.id, '@removed': { reason } });
        continue;
      }
      const out = renderDelta(req, collection, obj, select);
      if (collection === 'users' && select?.includes('manager') && change.manager.size > 0) {
        // A removed manager is reported as such, so a mirror can clear it.
        const current = (out['manager@delta'] as Json[] | undefined) ?? [];
        const removed = [...change.manager]
          .filter(([id, gone]) => gone && !current.some((m) => m['id'] === id))
          .map(([id]) => ({ '@odata.type': '#microsoft.graph.user', id, '@removed': { reason: 'deleted' } }));
        out['manager@delta'] = [...current, ...removed];
      }
      if (collection === 'groups' && select?.includes('members')) {
        if (change.members.size > 0 && !change.propertiesChanged) {
          out['members@delta'] = [...change.members].map(([id, m]) =>
            m.removed
              ? { '@odata.type': m.odataType, id, '@removed': { reason: 'deleted' } }
              : { '@odata.type': m.odataType, id },
          );
        } else if (change.members.size > 0) {
          const current = (out['members@delta'] as Json[]) ?? [];
          const removed = [...change.members]
            .filter(([, m]) => m.removed)
            .map(([id, m]) => ({ '@odata.type': m.odataType, id, '@removed': { reason: 'deleted' } }));
          out['members@delta'] = [...current, ...removed];
        }
      }
      items.push(out);
    }
    done = i >= changes.length;
    state = { ...state, p: i };
  }
  const body: Json = { '@odata.context': contextUrl(req, `${entitySet}(${select ? select.join(',') : ''})`) };
  if (done)
    body['@odata.deltaLink'] = link(req, entitySet, '$deltatoken', {
      ...state,
      k: 'delta',
      t: req.tenant.clock.now(),
      p: 0,
    });
  else body['@odata.nextLink'] = link(req, entitySet, '$skiptoken', state);
  body['value'] = items;
  const prefer = /odata\.maxpagesize=\d+/i.exec(req.headers['prefer'] ?? '');
  return ok(body, 200, prefer ? { 'Preference-Applied': `odata.maxpagesize=${size}` } : {});
}
