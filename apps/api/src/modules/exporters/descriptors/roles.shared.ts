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
