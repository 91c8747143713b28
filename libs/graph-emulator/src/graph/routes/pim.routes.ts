import { randomUUID } from 'node:crypto';
import type { Json } from '../../directory/object-collection';
import { GraphHttpError } from '../../shared/graph-error';
import { activeAssignmentSchedules, roleLinkKey } from '../../directory/role-assignment-schedules';
import { presentDirectoryObject } from '../directory-objects';
import {
  arraySource,
  checkReplicated,
  contextUrl,
  getEntity,
  listCollection,
  notFound,
  ok,
  requireBody,
  type GraphRequest,
  type PageSize,
  type RouteDef,
} from '../graph-core';
import { badRequest } from '../odata';
import { RESOURCE_TYPES } from '../resource-types';

/** https://learn.microsoft.com/graph/api/rbacapplication-post-roleeligibilityschedulerequests */
const ELIGIBILITY_WRITE = [
  'RoleEligibilitySchedule.ReadWrite.Directory',
  'RoleManagement.ReadWrite.Directory',
];

const ACTIONS = ['adminAssign', 'adminUpdate', 'adminRemove', 'adminExtend', 'adminRenew'] as const;
type AdminAction = (typeof ACTIONS)[number];

/**
 * Privileged Identity Management needs Microsoft Entra ID P2 (or ID Governance); other tenants are refused with
 * 400 AadPremiumLicenseRequired, on reads of eligibility schedules as on requests.
 * https://learn.microsoft.com/entra/id-governance/privileged-identity-management/subscription-requirements
 */
export function requirePimLicence(req: GraphRequest): void {
  if (!req.tenant.premium)
    throw new GraphHttpError(
      400,
      'AadPremiumLicenseRequired',
      'The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.',
    );
}

function scheduleInfoOf(
  req: GraphRequest,
  value: unknown,
  resource = 'UnifiedRoleEligibilityScheduleRequest',
): Json {
  const now = req.tenant.nowIso();
  if (value === undefined || value === null)
    return {
      startDateTime: now,
      recurrence: null,
      expiration: { type: 'noExpiration', endDateTime: null, duration: null },
    };
  if (typeof value !== 'object' || Array.isArray(value))
    throw badRequest(`Invalid value specified for property 'scheduleInfo' of resource '${resource}'.`);
  const info = value as Json;
  const expiration = (info['expiration'] as Json | undefined) ?? { type: 'noExpiration' };
  const type = expiration['type'] ?? 'noExpiration';
  if (!['noExpiration', 'afterDateTime', 'afterDuration'].includes(String(type)))
    throw badRequest("Invalid value specified for property 'expiration' of resource 'RequestSchedule'.");
  if (type === 'afterDateTime' && typeof expiration['endDateTime'] !== 'string')
    throw badRequest("Invalid value specified for property 'endDateTime' of resource 'ExpirationPattern'.");
  return {
    startDateTime: typeof info['startDateTime'] === 'string' ? info['startDateTime'] : now,
    recurrence: info['recurrence'] ?? null,
    expiration: {
      type,
      endDateTime: expiration['endDateTime'] ?? null,
      duration: expiration['duration'] ?? null,
    },
  };
}

/**
 * What every role schedule request (eligibility or active assignment) must carry, checked as Graph
 * checks it: a known admin action, the principal and role (both existing), and a directory or app
 * scope (an administrative unit scope naming an existing unit).
 */
function parseScheduleRequest(
  req: GraphRequest,
  resource: 'UnifiedRoleEligibilityScheduleRequest' | 'UnifiedRoleAssignmentScheduleRequest',
): {
  body: Json;
  kind: AdminAction;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string | null;
  appScopeId: string | null;
} {
  requirePimLicence(req);
  const body = requireBody(req);
  const action = body['action'];
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action))
    throw badRequest(`Invalid value specified for property 'action' of resource '${resource}'.`);
  for (const p of ['principalId', 'roleDefinitionId'])
    if (typeof body[p] !== 'string')
      throw badRequest(`Invalid value specified for property '${p}' of resource '${resource}'.`);
  const directoryScopeId = typeof body['directoryScopeId'] === 'string' ? body['directoryScopeId'] : null;
  const appScopeId = typeof body['appScopeId'] === 'string' ? body['appScopeId'] : null;
  if (directoryScopeId === null && appScopeId === null)
    throw badRequest('Either directoryScopeId or appScopeId is required.');
  const principal = req.tenant.resolve(String(body['principalId']));
  if (!principal) throw notFound(String(body['principalId']));
  const roleDefinitionId = String(body['roleDefinitionId']);
  if (!req.tenant.collection('roleDefinitions').get(roleDefinitionId)) throw notFound(roleDefinitionId);
  const unit = directoryScopeId ? /^\/administrativeUnits\/([0-9a-f-]{36})$/i.exec(directoryScopeId) : null;
  if (unit && !req.tenant.collection('administrativeUnits').has(unit[1]!)) throw notFound(unit[1]!);
  const principalId = String(principal.object['id']);
  checkReplicated(req, principalId, roleDefinitionId);
  return { body, kind: action as AdminAction, principalId, roleDefinitionId, directoryScopeId, appScopeId };
}

/** The eligibility a request targets: same principal, role and scope. */
function findEligibility(
  req: GraphRequest,
  principalId: string,
  roleDefinitionId: string,
  scope: string,
): Json | undefined {
  for (const s of req.tenant.collection('roleEligibilitySchedules').values()) {
    if (
      String(s['principalId']).toLowerCase() === principalId &&
      String(s['roleDefinitionId']).toLowerCase() === roleDefinitionId.toLowerCase() &&
      (s['directoryScopeId'] ?? null) === scope
    )
      return s;
  }
  return undefined;
}

/**
 * `POST /roleManagement/directory/roleEligibilityScheduleRequests`: an administrator's request is carried out at
 * once. `adminAssign` creates the eligibility that `/roleEligibilitySchedules` lists, `adminRemove` removes it,
 * `adminUpdate`/`adminExtend`/`adminRenew` change its schedule; 201 with the request (`status` Provisioned or
 * Revoked). Self-service actions need a signed-in user and are not emulated.
 */
function createEligibilityRequest(req: GraphRequest) {
  const { body, kind, principalId, roleDefinitionId, directoryScopeId, appScopeId } = parseScheduleRequest(
    req,
    'UnifiedRoleEligibilityScheduleRequest',
  );
  const existing = findEligibility(req, principalId, roleDefinitionId, directoryScopeId ?? '/');
  const validationOnly = body['isValidationOnly'] === true;
  const scheduleInfo = kind === 'adminRemove' ? null : scheduleInfoOf(req, body['scheduleInfo']);
  if (kind === 'adminAssign' && existing)
    throw new GraphHttpError(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
  if (kind !== 'adminAssign' && !existing)
    throw new GraphHttpError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');

  const requestId = randomUUID();
  let targetScheduleId: string | null = null;
  if (!validationOnly) {
    if (kind === 'adminAssign') {
      const created = req.tenant.create('roleEligibilitySchedules', {
        id: requestId,
        appScopeId,
        createdDateTime: req.tenant.nowIso(),
        createdUsing: requestId,
        directoryScopeId: directoryScopeId ?? '/',
        memberType: 'Direct',
        modifiedDateTime: null,
        principalId,
        roleDefinitionId,
        status: 'Provisioned',
        scheduleInfo,
      });
      targetScheduleId = String(created['id']);
    } else if (kind === 'adminRemove') {
      req.tenant.remove('roleEligibilitySchedules', String(existing!['id']));
    } else {
      req.tenant.update('roleEligibilitySchedules', String(existing!['id']), {
        scheduleInfo,
        modifiedDateTime: req.tenant.nowIso(),
      });
      targetScheduleId = String(existing!['id']);
    }
  }
  const response = ok(
    scheduleRequest(req, 'roleEligibilityScheduleRequests', body, {
      id: requestId,
      action: kind,
      principalId,
      roleDefinitionId,
      directoryScopeId,
      appScopeId,
      isValidationOnly: validationOnly,
      targetScheduleId,
      scheduleInfo,
    }),
    201,
  );
  if (validationOnly) return { ...response, audit: [] };
  // PIM's own audit activities: https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities
  const permanent = (scheduleInfo?.['expiration'] as Json | undefined)?.['type'] === 'noExpiration';
  const activity =
    kind === 'adminAssign'
      ? `Add eligible member to role in PIM completed (${permanent ? 'permanent' : 'timebound'})`
      : kind === 'adminRemove'
        ? 'Remove eligible member from role in PIM completed'
        : 'Update eligible member in role in PIM completed';
  return {
    ...response,
    audit: [
      { category: 'RoleManagement', activity, type: 'Role', service: 'PIM', targetId: roleDefinitionId },
    ],
  };
}

/**
 * `roleAssignmentSchedules` read permissions, least privileged first:
 * https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignmentschedules
 */
const ASSIGNMENT_SCHEDULE_READ = [
  'RoleAssignmentSchedule.Read.Directory',
  'RoleAssignmentSchedule.ReadWrite.Directory',
  'RoleManagement.Read.All',
  'RoleManagement.Read.Directory',
  'RoleManagement.ReadWrite.Directory',
];

/** https://learn.microsoft.com/graph/api/rbacapplication-post-roleassignmentschedulerequests */
const ASSIGNMENT_SCHEDULE_WRITE = [
  'RoleAssignmentSchedule.ReadWrite.Directory',
  'RoleManagement.ReadWrite.Directory',
];

const ASSIGNMENT_PAGE: PageSize = { default: 100, max: 999, strict: true, noTop: true };

const SCHEDULE_PROPERTIES = new Set([
  'id',
  'appScopeId',
  'assignmentType',
  'createdDateTime',
  'createdUsing',
  'directoryScopeId',
  'memberType',
  'modifiedDateTime',
  'principalId',
  'roleDefinitionId',
  'status',
  'scheduleInfo',
]);

function scheduleExpand(req: GraphRequest) {
  return {
    principal: (obj: Json) => presentDirectoryObject(req.tenant, String(obj['principalId'])) ?? null,
    roleDefinition: (obj: Json) =>
      req.tenant.collection('roleDefinitions').get(String(obj['roleDefinitionId'])) ?? null,
  };
}

function listAssignmentSchedules(req: GraphRequest) {
  requirePimLicence(req);
  return listCollection(req, {
    entitySet: 'roleManagement/directory/roleAssignmentSchedules',
    type: RESOURCE_TYPES.unifiedRoleAssignmentSchedule,
    source: arraySource(activeAssignmentSchedules(req.tenant)),
    page: ASSIGNMENT_PAGE,
    filters: {
      principalId: ['eq'],
      roleDefinitionId: ['eq'],
      directoryScopeId: ['eq'],
      assignmentType: ['eq'],
      id: ['eq'],
    },
    known: SCHEDULE_PROPERTIES,
    expand: scheduleExpand(req),
  });
}

function getAssignmentSchedule(req: GraphRequest, id: string) {
  requirePimLicence(req);
  const found = activeAssignmentSchedules(req.tenant).find(
    (s) => s['id'] === id.toLowerCase() || s['id'] === id,
  );
  if (!found) throw notFound(id);
  return getEntity(
    req,
    found,
    id,
    RESOURCE_TYPES.unifiedRoleAssignmentSchedule,
    'roleManagement/directory/roleAssignmentSchedules',
    { known: SCHEDULE_PROPERTIES, expand: scheduleExpand(req) },
  );
}

/**
 * `POST /roleManagement/directory/roleAssignmentScheduleRequests`: an administrator's request for an active
 * assignment is carried out at once. `adminAssign` creates the role assignment (and, with an expiration, its
 * schedule), `adminRemove` removes it, `adminUpdate`/`adminExtend`/`adminRenew` change its schedule; 201 with
 * the request. Self-service activation needs a signed-in user and is not emulated.
 */
function createAssignmentRequest(req: GraphRequest) {
  const resource = 'UnifiedRoleAssignmentScheduleRequest';
  const { body, kind, principalId, roleDefinitionId, directoryScopeId, appScopeId } = parseScheduleRequest(
    req,
    resource,
  );
  const key = roleLinkKey({
    principalId,
    roleDefinitionId,
    directoryScopeId: directoryScopeId ?? '/',
    appScopeId,
  });
  const existing = [...req.tenant.collection('roleAssignments').values()].find((a) => roleLinkKey(a) === key);
  const limited = [...req.tenant.collection('roleAssignmentSchedules').values()].find(
    (s) => roleLinkKey(s) === key,
  );
  const validationOnly = body['isValidationOnly'] === true;
  const scheduleInfo = kind === 'adminRemove' ? null : scheduleInfoOf(req, body['scheduleInfo'], resource);
  if (kind === 'adminAssign' && existing)
    throw new GraphHttpError(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
  if (kind !== 'adminAssign' && !existing)
    throw new GraphHttpError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
  const expiration = (scheduleInfo?.['expiration'] as Json | undefined)?.['type'];
  const timeLimited = expiration !== undefined && expiration !== 'noExpiration';

  const requestId = randomUUID();
  let targetScheduleId: string | null = null;
  if (!validationOnly) {
    const now = req.tenant.nowIso();
    const record = (id: string): Json => ({
      id,
      appScopeId,
      assignmentType: 'Assigned',
      createdDateTime: now,
      createdUsing: requestId,
      directoryScopeId: directoryScopeId ?? '/',
      memberType: 'Direct',
      modifiedDateTime: null,
      principalId,
      roleDefinitionId,
      status: 'Provisioned',
      scheduleInfo,
    });
    if (kind === 'adminAssign') {
      const created = req.tenant.create('roleAssignments', {
        id: requestId,
        principalId,
        roleDefinitionId,
        directoryScopeId: directoryScopeId ?? '/',
        appScopeId,
        condition: null,
      });
      targetScheduleId = String(created['id']);
      if (timeLimited) req.tenant.create('roleAssignmentSchedules', record(targetScheduleId));
    } else if (kind === 'adminRemove') {
      req.tenant.remove('roleAssignments', String(existing!['id']));
      if (limited) req.tenant.remove('roleAssignmentSchedules', String(limited['id']));
    } else {
      targetScheduleId = String(limited?.['id'] ?? existing!['id']);
      if (limited) req.tenant.remove('roleAssignmentSchedules', String(limited['id']));
      if (timeLimited)
        req.tenant.create('roleAssignmentSchedules', { ...record(targetScheduleId), modifiedDateTime: now });
    }
  }
  const response = ok(
    scheduleRequest(req, 'roleAssignmentScheduleRequests', body, {
      id: requestId,
      action: kind,
      principalId,
      roleDefinitionId,
      directoryScopeId,
      appScopeId,
      isValidationOnly: validationOnly,
      targetScheduleId,
      scheduleInfo,
    }),
    201,
  );
  if (validationOnly) return { ...response, audit: [] };
  // PIM's own audit activities: https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities
  const activity =
    kind === 'adminAssign'
      ? `Add member to role in PIM completed (${timeLimited ? 'timebound' : 'permanent'})`
      : kind === 'adminRemove'
        ? 'Remove member from role in PIM completed'
        : 'Update member in role in PIM completed';
  return {
    ...response,
    audit: [
      { category: 'RoleManagement', activity, type: 'Role', service: 'PIM', targetId: roleDefinitionId },
    ],
  };
}

function requester(req: GraphRequest): Json {
  const sp = req.ctx.kind === 'app' ? req.tenant.servicePrincipalByAppId(req.ctx.appId) : undefined;
  return req.ctx.kind === 'app'
    ? {
        application: { id: req.ctx.appId, displayName: sp?.['displayName'] ?? null },
        device: null,
        user: null,
      }
    : { application: null, device: null, user: { id: req.ctx.userId ?? null, displayName: null } };
}

/**
 * The body Graph answers a role eligibility or assignment schedule request with (201): the request
 * as stored, provisioned at once (the emulator has no approvals).
 * https://learn.microsoft.com/graph/api/resources/unifiedroleassignmentschedulerequest
 */
function scheduleRequest(
  req: GraphRequest,
  collection: 'roleEligibilityScheduleRequests' | 'roleAssignmentScheduleRequests',
  body: Json,
  request: Json & { readonly action: string },
): Json {
  const ticketInfo = body['ticketInfo'] as Json | undefined;
  return {
    '@odata.context': contextUrl(req, `roleManagement/directory/${collection}/$entity`),
    id: request['id'],
    status: request.action === 'adminRemove' ? 'Revoked' : 'Provisioned',
    createdDateTime: req.tenant.nowIso(),
    completedDateTime: request.action === 'adminRemove' ? null : req.tenant.nowIso(),
    approvalId: null,
    customData: null,
    action: request.action,
    principalId: request['principalId'],
    roleDefinitionId: request['roleDefinitionId'],
    directoryScopeId: request['directoryScopeId'],
    appScopeId: request['appScopeId'],
    isValidationOnly: request['isValidationOnly'],
    targetScheduleId: request['targetScheduleId'],
    justification: typeof body['justification'] === 'string' ? body['justification'] : null,
    createdBy: requester(req),
    scheduleInfo: request['scheduleInfo'],
    ticketInfo: {
      ticketNumber: ticketInfo?.['ticketNumber'] ?? null,
      ticketSystem: ticketInfo?.['ticketSystem'] ?? null,
    },
  };
}

export const pimRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/roleManagement/directory/roleAssignmentSchedules',
    permissions: ASSIGNMENT_SCHEDULE_READ,
    handle: listAssignmentSchedules,
  },
  {
    method: 'GET',
    path: '/roleManagement/directory/roleAssignmentSchedules/{id}',
    permissions: ASSIGNMENT_SCHEDULE_READ,
    handle: (req, { id }) => getAssignmentSchedule(req, id!),
  },
  {
    method: 'POST',
    path: '/roleManagement/directory/roleAssignmentScheduleRequests',
    permissions: ASSIGNMENT_SCHEDULE_WRITE,
    handle: createAssignmentRequest,
  },
  {
    method: 'POST',
    path: '/roleManagement/directory/roleEligibilityScheduleRequests',
    permissions: ELIGIBILITY_WRITE,
    handle: createEligibilityRequest,
  },
];
