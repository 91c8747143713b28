import { type BrowseSpec, DIRECTORY_TARGETS, ROLE_TARGETS } from '../browse-spec';
import type { CollectionSpec } from '../descriptor';
import { deleteWrite, odataString, RestorePhase } from './restore.shared';

/** The scope and role an assignment or eligibility connects, plus its principal. */
const ROLE_LINK_KEY = ['principalId', 'roleDefinitionId', 'directoryScopeId', 'appScopeId'] as const;

function scopeOf(assignment: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return assignment['appScopeId'] !== null && assignment['appScopeId'] !== undefined
    ? { appScopeId: assignment['appScopeId'] }
    : { directoryScopeId: assignment['directoryScopeId'] ?? '/' };
}

const ROLE_DEFINITIONS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Role', kind: 'text', value: 'displayName' },
    { key: 'description', label: 'Description', kind: 'text', value: 'description' },
    {
      key: 'isEnabled',
      label: 'Enabled',
      kind: 'boolean',
      value: 'isEnabled',
      filter: [
        { value: 'true', label: 'Enabled' },
        { value: 'false', label: 'Disabled' },
      ],
    },
  ],
  search: ['displayName', 'templateId'],
};

function roleLinkBrowse(reverseLabel: string): BrowseSpec {
  return {
    columns: [
      { key: 'principal', label: 'Principal', kind: 'text', value: 'principalId' },
      { key: 'role', label: 'Role', kind: 'text', value: 'roleDefinitionId' },
      { key: 'directoryScopeId', label: 'Scope', kind: 'text', value: 'directoryScopeId' },
    ],
    search: ['principalId', 'roleDefinitionId'],
    relations: [
      {
        key: 'principal',
        label: 'Principal',
        path: 'principalId',
        targets: DIRECTORY_TARGETS,
        reverseLabel,
        reverseShows: 'role',
      },
      {
        key: 'role',
        label: 'Role',
        path: 'roleDefinitionId',
        targets: ROLE_TARGETS,
        reverseLabel: 'Assignments',
      },
    ],
  };
}

/**
 * Unified RBAC role definitions, split into built-in and custom by `isBuiltIn`
 * (https://learn.microsoft.com/graph/api/rbacapplication-list-roledefinitions), with the
 * assignments and eligibility schedules that point at them.
 */
export function roleCollections(builtIn: boolean): readonly [CollectionSpec, ...CollectionSpec[]] {
  const ofTheseRoles = { property: 'roleDefinitionId', collection: 'roleDefinitions' };
  return [
    {
      name: 'roleDefinitions',
      browse: ROLE_DEFINITIONS_BROWSE,
      version: 'v1.0',
      path: '/roleManagement/directory/roleDefinitions',
      filter: `isBuiltIn eq ${builtIn}`,
      pageSize: 999,
      supportsTop: false,
      restore: {
        phase: RestorePhase.ROLE_DEFINITIONS,
        createPath: '/roleManagement/directory/roleDefinitions',
        itemPath: (id) => `/roleManagement/directory/roleDefinitions/${id}`,
        // https://learn.microsoft.com/graph/api/resources/unifiedroledefinition
        readOnly: ['id', 'isBuiltIn', 'inheritsPermissionsFrom', 'resourceScopes', 'templateId', 'version'],
        // Custom role definitions are soft-deleted since 2026:
        // https://learn.microsoft.com/graph/api/unifiedroledefinition-delete
        recycleBin: {
          version: 'v1.0',
          list: '/roleManagement/directory/deletedItems/roleDefinitions',
          restore: (id) => `/roleManagement/directory/deletedItems/roleDefinitions/${id}/restore`,
        },
        unwritable: (definition) =>
          definition['isBuiltIn'] === true ? 'Built-in role definitions cannot be changed' : null,
        findCreated: (body) =>
          typeof body['displayName'] === 'string'
            ? `displayName eq '${odataString(body['displayName'])}'`
            : null,
      },
    },
    {
      name: 'roleAssignments',
      browse: roleLinkBrowse('Roles'),
      version: 'v1.0',
      path: '/roleManagement/directory/roleAssignments',
      // Only $filter, $expand and $select are supported (no $top); Graph pages on its own:
      // https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments
      pageSize: 100,
      supportsTop: false,
      keepReferencing: ofTheseRoles,
      // https://learn.microsoft.com/graph/api/rbacapplication-post-roleassignments
      assignments: {
        phase: RestorePhase.ROLE_ASSIGNMENTS,
        assignment: {
          key: ROLE_LINK_KEY,
          principal: 'principalId',
          // A role assignment carries no end date: a time-limited one comes back through its schedule.
          deferTo: { collection: 'roleAssignmentSchedules', when: isTimeLimited },
          add: (a) => ({
            method: 'POST',
            path: '/roleManagement/directory/roleAssignments',
            body: { principalId: a['principalId'], roleDefinitionId: a['roleDefinitionId'], ...scopeOf(a) },
          }),
          remove: (a) => deleteWrite(`/roleManagement/directory/roleAssignments/${String(a['id'])}`),
        },
      },
    },
    {
      // The schedules of active assignments, made directly or through PIM; only they say when a
      // time-limited assignment ends: https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignmentschedules
      // RoleManagement.Read.Directory, the type's permission, is among those the list accepts.
      name: 'roleAssignmentSchedules',
      browse: roleLinkBrowse('Active role schedules'),
      version: 'v1.0',
      path: '/roleManagement/directory/roleAssignmentSchedules',
      pageSize: 100,
      supportsTop: false,
      keepReferencing: ofTheseRoles,
      // Permanent assignments come back through roleAssignments; a time-limited one through an
      // adminAssign request with its schedule, ending when it ended in the snapshot:
      // https://learn.microsoft.com/graph/api/rbacapplication-post-roleassignmentschedulerequests
      assignments: {
        phase: RestorePhase.ROLE_ASSIGNMENTS,
        assignment: {
          key: ROLE_LINK_KEY,
          principal: 'principalId',
          only: isTimeLimited,
          lapsed: (a, now) => {
            const end = endOf(a);
            return end !== null && end.getTime() <= now.getTime()
              ? `Active assignment ended at ${end.toISOString()}: not restored`
              : null;
          },
          add: (a) => ({
            method: 'POST',
            path: '/roleManagement/directory/roleAssignmentScheduleRequests',
            body: scheduleRequest('adminAssign', a),
          }),
          remove: (a) => ({
            method: 'POST',
            path: '/roleManagement/directory/roleAssignmentScheduleRequests',
            body: scheduleRequest('adminRemove', a),
          }),
        },
      },
      emptyWhen: [
        {
          status: 400,
          code: 'AadPremiumLicenseRequired',
          reason: 'No Entra ID P2 licence: no role assignment schedules',
        },
      ],
    },
    {
      // Eligible (PIM) assignments are not role assignments; without them a restore misses every
      // eligible administrator: https://learn.microsoft.com/graph/api/rbacapplication-list-roleeligibilityschedules
      name: 'roleEligibilitySchedules',
      browse: roleLinkBrowse('Eligible roles'),
      version: 'v1.0',
      path: '/roleManagement/directory/roleEligibilitySchedules',
      pageSize: 100,
      supportsTop: false,
      keepReferencing: ofTheseRoles,
      // PIM needs Entra ID P2 (or ID Governance); other tenants answer 400 AadPremiumLicenseRequired
      // and have no eligible assignments at all.
      // Schedules are read-only: eligibility is written through schedule requests.
      // https://learn.microsoft.com/graph/api/rbacapplication-post-roleeligibilityschedulerequests
      assignments: {
        phase: RestorePhase.ROLE_ASSIGNMENTS,
        assignment: {
          key: ROLE_LINK_KEY,
          principal: 'principalId',
          add: (a) => ({
            method: 'POST',
            path: '/roleManagement/directory/roleEligibilityScheduleRequests',
            body: eligibilityRequest('adminAssign', a),
          }),
          remove: (a) => ({
            method: 'POST',
            path: '/roleManagement/directory/roleEligibilityScheduleRequests',
            body: eligibilityRequest('adminRemove', a),
          }),
        },
      },
      emptyWhen: [
        {
          status: 400,
          code: 'AadPremiumLicenseRequired',
          reason: 'No Entra ID P2 licence: no eligible role assignments',
        },
      ],
    },
  ];
}

export const ROLE_PERMISSIONS = {
  read: ['RoleManagement.Read.Directory'],
  write: ['RoleManagement.ReadWrite.Directory'],
} as const;

function eligibilityRequest(action: string, a: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    action,
    principalId: a['principalId'],
    roleDefinitionId: a['roleDefinitionId'],
    ...scopeOf(a),
    justification: 'Restored by entra-backup',
    ...(action === 'adminAssign' && a['scheduleInfo'] !== undefined
      ? { scheduleInfo: a['scheduleInfo'] }
      : {}),
  };
}

/** An active assignment whose schedule ends (`afterDateTime` or `afterDuration`), not a permanent one. */
export function isTimeLimited(schedule: Readonly<Record<string, unknown>>): boolean {
  const info = schedule['scheduleInfo'] as Record<string, unknown> | null | undefined;
  const expiration = info?.['expiration'] as Record<string, unknown> | null | undefined;
  const type = expiration?.['type'];
  return type === 'afterDateTime' || type === 'afterDuration';
}

/** When a schedule ends: its `endDateTime`, or its start plus an ISO 8601 day/time `duration`. */
function endOf(schedule: Readonly<Record<string, unknown>>): Date | null {
  const info = schedule['scheduleInfo'] as Record<string, unknown> | null | undefined;
  const expiration = info?.['expiration'] as Record<string, unknown> | null | undefined;
  if (typeof expiration?.['endDateTime'] === 'string') return new Date(expiration['endDateTime']);
  const duration = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(
    String(expiration?.['duration'] ?? ''),
  );
  if (!duration || typeof info?.['startDateTime'] !== 'string') return null;
  const [, d, h, m, sec] = duration.map((v) => Number(v ?? 0));
  const ms = (((d! * 24 + h!) * 60 + m!) * 60 + sec!) * 1000;
  return new Date(new Date(info['startDateTime']).getTime() + ms);
}

/**
 * An administrator's request for an active assignment; `adminAssign` keeps the stored schedule
 * (start and expiration) so a time-limited assignment comes back time-limited.
 */
function scheduleRequest(action: string, a: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const info = a['scheduleInfo'] as Record<string, unknown> | undefined;
  return {
    action,
    principalId: a['principalId'],
    roleDefinitionId: a['roleDefinitionId'],
    ...scopeOf(a),
    justification: 'Restored by entra-backup',
    ...(action === 'adminAssign' && info !== undefined
      ? { scheduleInfo: { startDateTime: info['startDateTime'], expiration: info['expiration'] } }
      : {}),
  };
}
