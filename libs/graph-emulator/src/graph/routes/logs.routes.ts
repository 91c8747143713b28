import type { Json } from '../../directory/object-collection';
import { GraphHttpError } from '../../shared/graph-error';
import {
  contextUrl,
  nextLink,
  notFound,
  ok,
  parseAllowedFilter,
  parseAllowedSelect,
  parseTop,
  render,
  type GraphRequest,
  type GraphResponse,
  type RouteDef,
} from '../graph-core';
import { badRequest, decodeToken, encodeToken, fingerprint, unsupportedQuery } from '../odata';
import { RESOURCE_TYPES, type ResourceType } from '../resource-types';
import type { ActivityLog, LogCursor } from '../../directory/activity-log';

const AUDIT_READ = ['AuditLog.Read.All'];
const BITLOCKER_BASIC = ['BitlockerKey.ReadBasic.All', 'BitlockerKey.Read.All'];
const BITLOCKER_KEY = ['BitlockerKey.Read.All'];

/** Sign-ins and audits: newest first, `$top` up to 1000, time-window filters, opaque skiptokens. */
function serveLog(
  req: GraphRequest,
  log: ActivityLog,
  type: ResourceType,
  entitySet: string,
  timeField: 'createdDateTime' | 'activityDateTime',
): GraphResponse {
  if (
    req.query.has('$orderby') &&
    req.query.get('$orderby')!.replace(/\s+/g, ' ').trim() !== `${timeField} desc`
  )
    throw unsupportedQuery(`Only '${timeField} desc' ordering is supported.`);
  const top = parseTop(req, { default: 1000, max: 1000, strict: true });
  const filter = parseAllowedFilter(
    req,
    {
      [timeField]: ['ge', 'le', 'gt', 'lt'],
      userId: ['eq'],
      appId: ['eq'],
      category: ['eq'],
      'initiatedBy/user/id': ['eq'],
      userPrincipalName: ['eq'],
      id: ['eq'],
    },
    type,
  );
  const select = parseAllowedSelect(req, type, undefined, true);
  const now = req.tenant.clock.now();
  let from = now - req.tenant.retentionMs();
  let to = now;
  for (const c of filter?.clauses ?? []) {
    if (c.property !== timeField) continue;
    if (filter!.joiner === 'or') throw unsupportedQuery(`'${timeField}' can only be combined with 'and'.`);
    const t = Date.parse(String(c.value));
    if (Number.isNaN(t)) throw badRequest(`Invalid DateTimeOffset value '${String(c.value)}'.`);
    if (c.op === 'ge') from = Math.max(from, t);
    if (c.op === 'gt') from = Math.max(from, t + 1);
    if (c.op === 'le') to = Math.min(to, t);
    if (c.op === 'lt') to = Math.min(to, t - 1);
  }
  const others = filter
    ? { ...filter, clauses: filter.clauses.filter((c) => c.property !== timeField) }
    : undefined;
  const print = fingerprint([req.path, req.query.get('$filter'), req.query.get('$select')]);
  let cursor: LogCursor | undefined;
  const token = req.query.get('$skiptoken');
  if (token !== null) {
    const state = decodeToken<{ k: string; b: number; i: number; f: string; to: number }>(token, 'log');
    if (state.f !== print) throw badRequest('The $skiptoken does not belong to this query.');
    cursor = { bucket: state.b, index: state.i };
    to = Math.min(to, state.to);
  }
  const items: Json[] = [];
  let next: LogCursor | undefined = cursor;
  let first = true;
  // Filters on other fields scan forward until the page is full or the window is exhausted.
  while (items.length < top && (first || next)) {
    first = false;
    const page = log.read({ from, to }, next, top - items.length);
    for (const e of page.items)
      if (!others || others.clauses.length === 0 || matchesAll(others, e)) items.push(e);
    next = page.next;
    if (!others || others.clauses.length === 0) break;
  }
  const body: Json = { '@odata.context': contextUrl(req, entitySet) };
  if (next)
    body['@odata.nextLink'] = nextLink(
      req,
      encodeToken({ k: 'log', b: next.bucket, i: next.index, f: print, to }),
    );
  body['value'] = items.map((e) => render(e, type, select));
  return ok(body);
}

function matchesAll(
  filter: { joiner: 'and' | 'or'; clauses: Array<{ property: string; value: unknown }> },
  e: Json,
): boolean {
  const results = filter.clauses.map((c) => {
    let v: unknown = e;
    for (const s of c.property.split('/')) v = v && typeof v === 'object' ? (v as Json)[s] : undefined;
    return typeof v === 'string' && typeof c.value === 'string'
      ? v.toLowerCase() === c.value.toLowerCase()
      : v === c.value;
  });
  return filter.joiner === 'or' ? results.some(Boolean) : results.every(Boolean);
}

function bitlockerList(req: GraphRequest): GraphResponse {
  // The list never returns the key; it must be read one key at a time with $select=key.
  // https://learn.microsoft.com/graph/api/bitlocker-list-recoverykeys
  if (
    (req.query.get('$select') ?? '')
      .split(',')
      .map((s) => s.trim())
      .includes('key')
  ) {
    throw badRequest("The 'key' property can only be selected when getting a single BitLocker recovery key.");
  }
  const filter = parseAllowedFilter(req, { deviceId: ['eq'] }, RESOURCE_TYPES.bitlockerRecoveryKey);
  // "This method does not support $top": https://learn.microsoft.com/graph/api/bitlocker-list-recoverykeys
  const top = parseTop(req, { default: 100, max: 999, noTop: true });
  const source = req.tenant.collection('bitlockerRecoveryKeys');
  const deviceId = filter?.clauses[0]?.value;
  const print = fingerprint([req.path, req.query.get('$filter'), req.query.get('$select')]);
  const token = req.query.get('$skiptoken');
  let p = token ? decodeToken<{ k: string; p: number; f: string }>(token, 'page').p : 0;
  const select = parseAllowedSelect(req, RESOURCE_TYPES.bitlockerRecoveryKey, undefined, true);
  const items: Json[] = [];
  for (; p < source.positions && items.length < top; p++) {
    const key = source.at(p);
    if (
      key &&
      (deviceId === undefined || String(key['deviceId']).toLowerCase() === String(deviceId).toLowerCase())
    )
      items.push(render(key, RESOURCE_TYPES.bitlockerRecoveryKey, select));
  }
  const body: Json = { '@odata.context': contextUrl(req, 'informationProtection/bitlocker/recoveryKeys') };
  if (p < source.positions && items.length === top)
    body['@odata.nextLink'] = nextLink(req, encodeToken({ k: 'page', p, f: print }));
  body['value'] = items;
  return ok(body);
}

function bitlockerGet(req: GraphRequest, id: string): GraphResponse {
  const key = req.tenant.collection('bitlockerRecoveryKeys').get(id);
  if (!key) throw notFound(id);
  const select = parseAllowedSelect(req, RESOURCE_TYPES.bitlockerRecoveryKey, undefined, false);
  const wantsKey = select?.includes('key') ?? false;
  if (wantsKey) {
    const granted = req.ctx.kind === 'app' ? req.ctx.roles : req.ctx.scopes;
    if (!BITLOCKER_KEY.some((p) => granted.includes(p)))
      throw new GraphHttpError(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    const ordinal = req.tenant.collection('bitlockerRecoveryKeys').ordinalOf(id);
    key['key'] = ordinal !== undefined ? req.tenant.gen.bitlockerKeyValue(ordinal) : String(key['key'] ?? '');
    // Reading the key is audited under KeyManagement: https://learn.microsoft.com/graph/api/bitlockerrecoverykey-get
    req.tenant.recordAudit({
      category: 'KeyManagement',
      activityDisplayName: 'Read BitLocker key',
      operationType: 'Read',
      result: 'success',
      loggedByService: 'Core Directory',
      initiatedBy:
        req.ctx.kind === 'app'
          ? { app: { appId: req.ctx.appId, displayName: req.ctx.appId } }
          : { user: { id: req.ctx.userId ?? '', userPrincipalName: '' } },
      targetResources: [{ id: String(key['deviceId']), type: 'Device' }],
      additionalDetails: [{ key: 'RecoveryKeyId', value: String(key['id']) }],
    });
  }
  // The documented response to `$select=key` carries the key with the usual properties:
  // https://learn.microsoft.com/graph/api/bitlockerrecoverykey-get#example-2-get-the-bitlocker-key-with-the-key-property
  const projection =
    select && select.length === 1 && select[0] === 'key'
      ? ['id', 'createdDateTime', 'volumeType', 'deviceId', 'key']
      : select;
  return ok({
    '@odata.context': contextUrl(
      req,
      select
        ? `informationProtection/bitlocker/recoveryKeys(${select.join(',')})/$entity`
        : 'informationProtection/bitlocker/recoveryKeys/$entity',
    ),
    '@odata.type': '#microsoft.graph.bitlockerRecoveryKey',
    ...render(key, RESOURCE_TYPES.bitlockerRecoveryKey, projection),
  });
}

export const logRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/auditLogs/signIns',
    permissions: AUDIT_READ,
    handle: (req) => {
      // Sign-in logs need Entra ID P1/P2: https://learn.microsoft.com/graph/api/signin-list
      if (!req.tenant.premium)
        throw new GraphHttpError(
          403,
          'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
          "Neither tenant is B2C or tenant doesn't have premium license",
        );
      return serveLog(req, req.tenant.signIns, RESOURCE_TYPES.signIn, 'auditLogs/signIns', 'createdDateTime');
    },
  },
  {
    method: 'GET',
    path: '/auditLogs/directoryAudits',
    permissions: AUDIT_READ,
    handle: (req) =>
      serveLog(
        req,
        req.tenant.directoryAudits,
        RESOURCE_TYPES.directoryAudit,
        'auditLogs/directoryAudits',
        'activityDateTime',
      ),
  },
  {
    method: 'GET',
    path: '/informationProtection/bitlocker/recoveryKeys',
    permissions: BITLOCKER_BASIC,
    handle: bitlockerList,
  },
  {
    method: 'GET',
    path: '/informationProtection/bitlocker/recoveryKeys/{id}',
    permissions: BITLOCKER_BASIC,
    handle: (req, { id }) => bitlockerGet(req, id!),
  },
];
