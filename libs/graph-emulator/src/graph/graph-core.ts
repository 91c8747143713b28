import type { Json } from '../directory/object-collection';
import { withoutCertificateKeys } from './certificate-keys';
import { DirectoryError, type TenantDirectory } from '../directory/tenant-directory';
import type { EmulatorWorld } from '../directory/world';
import type { PlatformRequestHooks } from '../platform/platform-hooks';
import type { GraphRequestContext } from '../shared/graph-context';
import { GraphHttpError } from '../shared/graph-error';
import {
  badRequest,
  decodeToken,
  encodeToken,
  fingerprint,
  idsOnly,
  isExtensionName,
  matches,
  parseExpand,
  parseFilter,
  parseSelect,
  project,
  unsupportedQuery,
  type ParsedFilter,
} from './odata';
import { defaultView, type ResourceType } from './resource-types';

export type GraphVersion = 'v1.0' | 'beta';
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GraphRequest {
  method: HttpMethod;
  version: GraphVersion;
  /** Path after the version, e.g. `/users/abc/manager`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
  ctx: GraphRequestContext;
  /** `https://host:port`, from the request (X-Forwarded-Proto honoured). */
  baseUrl: string;
  tenant: TenantDirectory;
  world: EmulatorWorld;
  /** The platform's hooks (replication-delay faults), when the request came through the front door. */
  platform?: PlatformRequestHooks;
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** text/plain body (`/$count`). */
  text?: string;
  /** Directory audit entries for this write, when the path alone does not name them (see write-audit.ts). */
  audit?: AuditHint[];
}

/** One directory audit entry a write asks for: the Entra ID activity and its target. */
export interface AuditHint {
  category: string;
  activity: string;
  type: string;
  service?: string;
  targetId: string;
}

export interface RouteDef {
  method: HttpMethod;
  /** Path template relative to the version root, `{name}` for parameters. */
  path: string;
  /** Accepted application permissions, least privileged first (any one suffices). */
  permissions: readonly string[];
  /** Permissions required in addition to one of `permissions` (documented "and" requirements). */
  alsoRequires?: readonly string[];
  versions?: readonly GraphVersion[];
  handle(req: GraphRequest, params: Record<string, string>): GraphResponse;
}

export function ok(body: unknown, status = 200, headers: Record<string, string> = {}): GraphResponse {
  return { status, body, headers };
}

export function noContent(): GraphResponse {
  return { status: 204 };
}

export function notFound(id: string): GraphHttpError {
  return new GraphHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

/**
 * Writes that reference objects created moments ago can fail until the directory has replicated them
 * (https://learn.microsoft.com/graph/api/group-post-members); the fault injector decides (off by default).
 */
export function checkReplicated(req: GraphRequest, ...ids: Array<string | null | undefined>): void {
  const hook = req.platform?.replicationLag;
  if (!hook) return;
  let youngest: { id: string; age: number } | undefined;
  for (const id of ids) {
    if (!id) continue;
    const created = req.tenant.createdAtOf(id);
    if (created === undefined) continue;
    const age = req.tenant.clock.now() - created;
    if (!youngest || age < youngest.age) youngest = { id, age };
  }
  if (!youngest) return;
  const fault = hook(youngest.age, youngest.id);
  if (fault) throw new GraphHttpError(fault.status, fault.code, fault.message);
}

export function fromDirectoryError(e: unknown): unknown {
  if (e instanceof DirectoryError) {
    if (e.kind === 'notFound') return new GraphHttpError(404, 'Request_ResourceNotFound', e.message);
    if (e.kind === 'conflict')
      return new GraphHttpError(409, 'Request_MultipleObjectsWithSameKeyValue', e.message);
    if (e.kind === 'forbidden') return new GraphHttpError(403, 'Authorization_RequestDenied', e.message);
    return new GraphHttpError(400, 'Request_BadRequest', e.message, {}, e.details);
  }
  return e;
}

export function contextUrl(req: GraphRequest, fragment: string): string {
  return `${req.baseUrl}/${req.version}/$metadata#${fragment}`;
}

/** Advanced query capability: `$count=true` only counts with `ConsistencyLevel: eventual`. */
export function wantsCount(req: GraphRequest): boolean {
  return (
    req.query.get('$count') === 'true' && (req.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual'
  );
}

export interface PageSize {
  default: number;
  max: number;
  /** 400 when `$top` exceeds `max` (directory collections); otherwise clamp. */
  strict?: boolean;
  /** The list does not support `$top` at all (Graph pages on its own): any `$top` is 400. */
  noTop?: boolean;
}

export const DIRECTORY_PAGE: PageSize = { default: 100, max: 999, strict: true };

export function parseTop(req: GraphRequest, size: PageSize): number {
  const raw = req.query.get('$top');
  if (raw === null) return size.default;
  if (size.noTop) throw unsupportedQuery("The query parameter '$top' is not supported on this resource.");
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1 || (size.strict && top > size.max)) {
    throw unsupportedQuery(
      `Invalid page size specified: '${raw}'. Must be between 1 and ${size.max} inclusive.`,
    );
  }
  return Math.min(top, size.max);
}

export type FilterRules = Record<string, ReadonlyArray<'eq' | 'ne' | 'ge' | 'le' | 'gt' | 'lt'>>;

export function parseAllowedFilter(
  req: GraphRequest,
  rules: FilterRules | undefined,
  type: ResourceType,
): ParsedFilter | undefined {
  const raw = req.query.get('$filter');
  if (raw === null || raw.trim() === '') return undefined;
  const filter = parseFilter(raw);
  for (const clause of filter.clauses) {
    const ops = rules?.[clause.property];
    if (!ops || !ops.includes(clause.op)) {
      throw unsupportedQuery(
        `Unsupported or invalid query filter clause specified for property '${clause.property}' of resource '${type.label}'.`,
      );
    }
  }
  return filter;
}

/** Validates `$select` against a type: unknown property 400, single-GET-only properties 501 on collections. */
export function parseAllowedSelect(
  req: GraphRequest,
  type: ResourceType,
  known: ReadonlySet<string> | undefined,
  collection: boolean,
): string[] | undefined {
  const select = parseSelect(req.query.get('$select'));
  if (!select) return undefined;
  for (const p of select) {
    if (collection && type.singleOnly?.includes(p)) {
      // https://learn.microsoft.com/graph/api/user-list: these properties are only returned for a single user.
      throw new GraphHttpError(501, 'NotImplemented', 'This operation target is not yet supported.');
    }
    if (p === '*' || p.startsWith('@')) continue;
    // Directory extension values are selected by name; one without a value (or an extension not
    // defined) is simply not returned.
    if (isExtensionName(p)) continue;
    if (req.version === 'v1.0' && type.betaOnly?.includes(p))
      throw badRequest(`Could not find a property named '${p}' on type '${type.name}'.`);
    if (
      known &&
      !type.polymorphic &&
      !known.has(p) &&
      !type.singleOnly?.includes(p) &&
      !type.selectOnly?.includes(p) &&
      !type.navigation?.includes(p)
    ) {
      throw badRequest(`Could not find a property named '${p}' on type '${type.name}'.`);
    }
  }
  return select.includes('*') ? undefined : select;
}

export function render(obj: Json, type: ResourceType, select: string[] | undefined): Json {
  return select ? project(obj, select) : defaultView(obj, type);
}

export interface PositionSource {
  positions: number;
  at(position: number): Json | null;
  get?(id: string): Json | undefined;
  count?(): number;
}

export function arraySource(items: Json[]): PositionSource {
  return { positions: items.length, at: (p) => items[p] ?? null, count: () => items.length };
}

export interface ListSpec {
  entitySet: string;
  type: ResourceType;
  source: PositionSource;
  page: PageSize;
  filters?: FilterRules;
  known?: ReadonlySet<string>;
  /** `$expand` handlers by navigation name: return the value to embed. */
  expand?: Record<string, (obj: Json, nestedOptions: string) => unknown>;
  /** Turns a stored object into its Graph representation before projection (e.g. adds `@odata.type`). */
  present?: (obj: Json) => Json;
  /** Per-request hook after paging (e.g. premium check for signInActivity). */
  beforeRender?: (select: string[] | undefined) => void;
}

/** Serves a collection GET: $top, $filter, $select, $expand, $count and opaque $skiptoken paging. */
export function listCollection(req: GraphRequest, spec: ListSpec): GraphResponse {
  for (const p of ['$orderby', '$search', '$skip']) {
    if (req.query.has(p))
      throw unsupportedQuery(`Query option '${p}' is not supported by this emulated API.`);
  }
  const top = parseTop(req, spec.page);
  const filter = parseAllowedFilter(req, spec.filters, spec.type);
  const select = parseAllowedSelect(req, spec.type, spec.known, true);
  spec.beforeRender?.(select);
  const expands = parseExpand(req.query.get('$expand'));
  for (const e of expands) {
    if (!spec.expand?.[e.name])
      throw badRequest(`Could not find a property named '${e.name}' on type '${spec.type.name}'.`);
  }
  const print = fingerprint([
    req.path,
    req.query.get('$filter'),
    req.query.get('$select'),
    req.query.get('$expand'),
  ]);
  let position = 0;
  const token = req.query.get('$skiptoken');
  if (token !== null) {
    const decoded = decodeToken<{ k: string; p: number; f: string }>(token, 'page');
    if (decoded.f !== print) throw badRequest('The $skiptoken does not belong to this query.');
    position = decoded.p;
  }
  const items: Json[] = [];
  let next: number | undefined;
  const ids = idsOnly(filter);
  if (ids && spec.source.get) {
    for (const id of ids.slice(position)) {
      const obj = spec.source.get(id);
      if (obj) items.push(obj);
    }
  } else {
    let p = position;
    for (; p < spec.source.positions && items.length < top; p++) {
      const obj = spec.source.at(p);
      if (obj && (!filter || matches(filter, spec.present ? spec.present(obj) : obj))) items.push(obj);
    }
    if (items.length === top && hasMore(spec.source, p, filter, spec.present)) next = p;
  }
  const value = items.map((obj) => {
    const presented = spec.present ? spec.present(obj) : obj;
    const out = render(withoutCertificateKeys(presented), spec.type, select);
    for (const e of expands) out[e.name] = spec.expand![e.name]!(obj, e.options);
    return out;
  });
  const body: Json = {
    '@odata.context': contextUrl(req, select ? `${spec.entitySet}(${select.join(',')})` : spec.entitySet),
  };
  if (token === null && wantsCount(req))
    body['@odata.count'] = countMatching(spec.source, filter, spec.present);
  if (next !== undefined)
    body['@odata.nextLink'] = nextLink(req, encodeToken({ k: 'page', p: next, f: print }));
  body['value'] = value;
  return ok(body);
}

function hasMore(
  source: PositionSource,
  from: number,
  filter: ParsedFilter | undefined,
  present?: (o: Json) => Json,
): boolean {
  if (!filter) {
    // Removed objects leave holes; stop at the first live position.
    for (let p = from; p < source.positions; p++) if (source.at(p)) return true;
    return false;
  }
  for (let p = from; p < source.positions; p++) {
    const obj = source.at(p);
    if (obj && matches(filter, present ? present(obj) : obj)) return true;
  }
  return false;
}

function countMatching(
  source: PositionSource,
  filter: ParsedFilter | undefined,
  present?: (o: Json) => Json,
): number {
  if (!filter && source.count) return source.count();
  let n = 0;
  for (let p = 0; p < source.positions; p++) {
    const obj = source.at(p);
    if (obj && matches(filter, present ? present(obj) : obj)) n++;
  }
  return n;
}

/** The request URL with its query options and a new token (absolute, like Graph's nextLink). */
export function nextLink(
  req: GraphRequest,
  token: string,
  tokenName = '$skiptoken',
  drop: string[] = [],
): string {
  const params = new URLSearchParams();
  for (const [k, v] of req.query) {
    if (k === '$skiptoken' || k === '$deltatoken' || drop.includes(k)) continue;
    params.append(k, v);
  }
  params.append(tokenName, token);
  return `${req.baseUrl}/${req.version}${req.path}?${params.toString().replace(/%24/g, '$').replace(/%2C/g, ',')}`;
}

/** Serves a single entity GET with `$select` and `$expand`. */
export function getEntity(
  req: GraphRequest,
  obj: Json | undefined,
  id: string,
  type: ResourceType,
  entitySet: string,
  options: { known?: ReadonlySet<string>; expand?: ListSpec['expand']; present?: (o: Json) => Json } = {},
): GraphResponse {
  if (!obj) throw notFound(id);
  const select = parseAllowedSelect(req, type, options.known, false);
  const expands = parseExpand(req.query.get('$expand'));
  const presented = options.present ? options.present(obj) : obj;
  const out: Json = {
    '@odata.context': contextUrl(
      req,
      select ? `${entitySet}(${select.join(',')})/$entity` : `${entitySet}/$entity`,
    ),
    ...render(
      select?.includes('keyCredentials') ? presented : withoutCertificateKeys(presented),
      type,
      select,
    ),
  };
  for (const e of expands) {
    const handler = options.expand?.[e.name];
    if (!handler) throw badRequest(`Could not find a property named '${e.name}' on type '${type.name}'.`);
    out[e.name] = handler(obj, e.options);
  }
  return ok(out);
}

export function requireBody(req: GraphRequest): Json {
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw badRequest(
      'Write requests (excluding DELETE) must contain the Content-Type header declaration and a JSON object body.',
    );
  }
  return req.body as Json;
}

/** Server-owned properties in a write body are rejected, which surfaces restore code that forgot to strip them. */
export function rejectReadOnly(body: Json, readOnly: readonly string[]): void {
  for (const p of readOnly) {
    if (p in body) throw badRequest(`Property '${p}' is read-only and cannot be set.`);
  }
}

/** Unknown properties in a write body are a 400, as the directory answers. */
export function rejectUnknown(
  body: Json,
  known: ReadonlySet<string>,
  typeName: string,
  writableExtras: readonly string[] = [],
): void {
  for (const p of Object.keys(body)) {
    if (p.startsWith('@odata.') || p.includes('@odata.bind') || known.has(p) || writableExtras.includes(p))
      continue;
    throw badRequest(`Property '${p}' does not exist on type '${typeName}'.`);
  }
}

export function requireProperties(body: Json, required: readonly string[], typeName: string): void {
  const missing = required.filter((p) => body[p] === undefined || body[p] === null || body[p] === '');
  if (missing.length > 0)
    throw badRequest(`Invalid value specified for property '${missing[0]}' of resource '${typeName}'.`);
}

/** Extracts the object id from an `@odata.id` reference such as https://graph.microsoft.com/v1.0/directoryObjects/{id}. */
export function referencedId(body: Json): string {
  const ref = body['@odata.id'];
  if (typeof ref !== 'string' || ref.length === 0)
    throw badRequest("The request body must contain an '@odata.id' reference.");
  const match = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(ref);
  if (!match) throw badRequest(`Invalid object identifier '${ref}'.`);
  return match[1]!.toLowerCase();
}
