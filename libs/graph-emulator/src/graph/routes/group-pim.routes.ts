import { randomUUID } from 'node:crypto';
import {
  groupAssignmentSchedules,
  groupEligibilitySchedules,
  pimManageableGroup,
} from '../../directory/group-pim-schedules';
import type { Json } from '../../directory/object-collection';
import { GraphHttpError } from '../../shared/graph-error';
import {
  arraySource,
  contextUrl,
  listCollection,
  notFound,
  ok,
  requireBody,
  type GraphRequest,
  type PageSize,
  type RouteDef,
} from '../graph-core';
import { badRequest, parseFilter } from '../odata';
import { RESOURCE_TYPES } from '../resource-types';
import { requirePimLicence } from './pim.routes';

/**
 * PIM for Groups: eligibility and active assignment schedules of group membership and ownership, and the
 * administrators' requests that change them.
 * https://learn.microsoft.com/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview
 */
const BASE = '/identityGovernance/privilegedAccess/group';
/** https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-eligibilityschedules */
const ELIGIBILITY_READ = [
  'PrivilegedEligibilitySchedule.Read.AzureADGroup',
  'PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup',
];
/** https://learn.microsoft.com/graph/api/privilegedaccessgroup-post-eligibilityschedulerequests */
const ELIGIBILITY_WRITE = ['PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup'];
/** https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentschedules */
const ASSIGNMENT_READ = [
  'PrivilegedAssignmentSchedule.Read.AzureADGroup',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
];
/** https://learn.microsoft.com/graph/api/privilegedaccessgroup-post-assignmentschedulerequests */
const ASSIGNMENT_WRITE = ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'];

const PAGE: PageSize = { default: 100, max: 100, noTop: true };
const ACCESS = ['member', 'owner'];
const ACTIONS = ['adminAssign', 'adminRemove'];

/**
 * The lists need `$filter` on `groupId` or `principalId` (the documented query; Graph documents no error code
 * for a request without it: the emulator answers 400 BadRequest).
 */
function scopeOf(req: GraphRequest): { groupId?: string; principalId?: string } {
  const raw = req.query.get('$filter');
  const filter = raw === null || raw.trim() === '' ? undefined : parseFilter(raw);
  const value = (p: string) => {
    const v = filter?.clauses.find((c) => c.property === p && c.op === 'eq')?.value;
    return typeof v === 'string' ? v : undefined;
  };
  const groupId = value('groupId');
  const principalId = value('principalId');
  if (groupId === undefined && principalId === undefined)
    throw new GraphHttpError(
      400,
      'BadRequest',
      "The request must filter by groupId or principalId ($filter=groupId eq '{groupId}').",
    );
  return { ...(groupId ? { groupId } : {}), ...(principalId ? { principalId } : {}) };
}

function allGroups(req: GraphRequest): string[] {
  return [...req.tenant.collection('groups').values()].filter(pimManageableGroup).map((g) => String(g['id']));
}

function list(req: GraphRequest, kind: 'eligibilitySchedules' | 'assignmentSchedules') {
  requirePimLicence(req);
  const scope = scopeOf(req);
  const read = kind === 'eligibilitySchedules' ? groupEligibilitySchedules : groupAssignmentSchedules;
  const items = (scope.groupId ? [scope.groupId] : allGroups(req)).flatMap((g) => read(req.tenant, g));
  return listCollection(req, {
    entitySet: `identityGovernance/privilegedAccess/group/${kind}`,
    type:
      kind === 'eligibilitySchedules'
        ? RESOURCE_TYPES.privilegedAccessGroupEligibilitySchedule
        : RESOURCE_TYPES.privilegedAccessGroupAssignmentSchedule,
    source: arraySource(items),
    page: PAGE,
    filters: { groupId: ['eq'], principalId: ['eq'], accessId: ['eq'], id: ['eq'] },
  });
}

/**
 * `POST .../eligibilityScheduleRequests` and `.../assignmentScheduleRequests`: an administrator's request is
 * carried out at once (201). `adminAssign` creates the eligibility, or the membership or ownership with its
 * schedule when it is time-limited; `adminRemove` removes it. Other actions are not emulated.
 */
function createRequest(req: GraphRequest, kind: 'eligibility' | 'assignment') {
  requirePimLicence(req);
  const resource =
    kind === 'eligibility'
      ? 'PrivilegedAccessGroupEligibilityScheduleRequest'
      : 'PrivilegedAccessGroupAssignmentScheduleRequest';
  const body = requireBody(req);
  const action = body['action'];
  if (typeof action !== 'string' || !ACTIONS.includes(action))
    throw badRequest(`Invalid value specified for property 'action' of resource '${resource}'.`);
  for (const p of ['principalId', 'groupId'])
    if (typeof body[p] !== 'string')
      throw badRequest(`Invalid value specified for property '${p}' of resource '${resource}'.`);
  const accessId = body['accessId'];
  if (typeof accessId !== 'string' || !ACCESS.includes(accessId))
    throw badRequest(`Invalid value specified for property 'accessId' of resource '${resource}'.`);
  const group = req.tenant.collection('groups').get(String(body['groupId']));
  if (!group) throw notFound(String(body['groupId']));
  if (!pimManageableGroup(group))
    throw badRequest('Dynamic groups and groups synchronized from on-premises cannot be managed in PIM.');
  const principal = req.tenant.resolve(String(body['principalId']));
  if (!principal) throw notFound(String(body['principalId']));
  const groupId = String(group['id']);
  const principalId = String(principal.object['id']);
  const now = req.tenant.nowIso();
  const info = (body['scheduleInfo'] as Json | undefined) ?? {};
  const expiration = (info['expiration'] as Json | undefined) ?? { type: 'noExpiration' };
  if (!['noExpiration', 'afterDateTime', 'afterDuration'].includes(String(expiration['type'])))
    throw badRequest("Invalid value specified for property 'expiration' of resource 'RequestSchedule'.");
  const scheduleInfo: Json = {
    startDateTime: typeof info['startDateTime'] === 'string' ? info['startDateTime'] : now,
    recurrence: null,
    expiration: {
      type: expiration['type'],
      endDateTime: expiration['endDateTime'] ?? null,
      duration: expiration['duration'] ?? null,
    },
  };
  const relation = accessId === 'member' ? 'members' : 'owners';
  const same = (s: Json) =>
    s['accessId'] === accessId && String(s['principalId']).toLowerCase() === principalId.toLowerCase();
  const collection = kind === 'eligibility' ? 'groupEligibilitySchedules' : 'groupAssignmentSchedules';
  const existing =
    kind === 'eligibility'
      ? groupEligibilitySchedules(req.tenant, groupId).find(same)
      : groupAssignmentSchedules(req.tenant, groupId).find(same);
  if (action === 'adminAssign' && existing)
    throw new GraphHttpError(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
  if (action === 'adminRemove' && !existing)
    throw new GraphHttpError(400, 'RoleAssignmentDoesNotExist', 'The Role assignment does not exist.');
  const requestId = randomUUID();
  let targetScheduleId: string | null = null;
  const stored = [...req.tenant.collection(collection).values()].find(
    (s) => String(s['groupId']).toLowerCase() === groupId && same(s),
  );
  if (action === 'adminAssign') {
    const timeLimited = expiration['type'] !== 'noExpiration';
    if (kind === 'assignment') req.tenant.addRelated(relation, 'groups', groupId, principalId);
    if (kind === 'eligibility' || timeLimited) {
      const created = req.tenant.create(collection, {
        id: requestId,
        accessId,
        ...(kind === 'assignment' ? { assignmentType: 'assigned' } : {}),
        createdDateTime: now,
        createdUsing: requestId,
        groupId,
        memberType: 'direct',
        modifiedDateTime: null,
        principalId,
        status: 'Provisioned',
        scheduleInfo,
      });
      targetScheduleId = String(created['id']);
    }
  } else {
    if (stored) req.tenant.remove(collection, String(stored['id']));
    if (kind === 'assignment') req.tenant.removeRelated(relation, 'groups', groupId, principalId);
  }
  const list = kind === 'eligibility' ? 'eligibilityScheduleRequests' : 'assignmentScheduleRequests';
  return {
    ...ok(
      {
        '@odata.context': contextUrl(req, `identityGovernance/privilegedAccess/group/${list}/$entity`),
        id: requestId,
        status: action === 'adminRemove' ? 'Revoked' : 'Provisioned',
        action,
        accessId,
        groupId,
        principalId,
        createdDateTime: now,
        completedDateTime: action === 'adminRemove' ? null : now,
        isValidationOnly: false,
        targetScheduleId,
        justification: typeof body['justification'] === 'string' ? body['justification'] : null,
        scheduleInfo: action === 'adminRemove' ? null : scheduleInfo,
      },
      201,
    ),
    // PIM's own audit activities: https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities
    audit: [
      {
        category: 'GroupManagement',
        activity:
          action === 'adminAssign'
            ? `Add ${kind === 'eligibility' ? 'eligible ' : ''}member to group in PIM completed`
            : `Remove ${kind === 'eligibility' ? 'eligible ' : ''}member from group in PIM completed`,
        type: 'Group',
        service: 'PIM',
        targetId: groupId,
      },
    ],
  };
}

export const groupPimRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: `${BASE}/eligibilitySchedules`,
    permissions: ELIGIBILITY_READ,
    handle: (req) => list(req, 'eligibilitySchedules'),
  },
  {
    method: 'GET',
    path: `${BASE}/assignmentSchedules`,
    permissions: ASSIGNMENT_READ,
    handle: (req) => list(req, 'assignmentSchedules'),
  },
  {
    method: 'POST',
    path: `${BASE}/eligibilityScheduleRequests`,
    permissions: ELIGIBILITY_WRITE,
    handle: (req) => createRequest(req, 'eligibility'),
  },
  {
    method: 'POST',
    path: `${BASE}/assignmentScheduleRequests`,
    permissions: ASSIGNMENT_WRITE,
    handle: (req) => createRequest(req, 'assignment'),
  },
];
