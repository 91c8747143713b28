import { type BrowseSpec, DIRECTORY_TARGETS, ROLE_TARGETS } from '../browse-spec';
import type { CollectionSpec } from '../descriptor';
import type { CollectionRestore } from '../restore-spec';
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
    {
      // Which PIM policy applies to which role: Graph makes one policy per role definition and ties
      // them here; the policy itself does not name its role. Read-only (Graph writes the ties itself).
      // The list needs its $filter: https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicyassignments
      // RoleManagement.Read.Directory, the type's own permission, is among those it accepts.
      name: 'roleManagementPolicyAssignments',
      browse: POLICY_ASSIGNMENTS_BROWSE,
      version: 'v1.0',
      path: '/policies/roleManagementPolicyAssignments',
      filter: DIRECTORY_ROLE_SCOPE,
      pageSize: 100,
      supportsTop: false,
      keepReferencing: ofTheseRoles,
    },
    {
      // Each role's PIM settings (activation duration, MFA, justification, ticketing, approval and
      // approvers, notifications, expiration) as the policy's 17 rules, polymorphic by `@odata.type`:
      // https://learn.microsoft.com/graph/api/policyroot-list-rolemanagementpolicies,
      // https://learn.microsoft.com/graph/identity-governance-pim-rules-overview
      // A policy belongs to the role its assignment names, so policies are split like the assignments.
      name: 'roleManagementPolicies',
      browse: POLICIES_BROWSE,
      version: 'v1.0',
      path: '/policies/roleManagementPolicies',
      filter: DIRECTORY_ROLE_SCOPE,
      expand: 'rules',
      pageSize: 100,
      supportsTop: false,
      keepReferencing: { property: 'id', collection: 'roleManagementPolicyAssignments', through: 'policyId' },
      restore: ROLE_POLICY_RESTORE,
    },
  ];
}

/** The list filter Graph requires for the policies and ties of directory roles. */
const DIRECTORY_ROLE_SCOPE = "scopeId eq '/' and scopeType eq 'DirectoryRole'";

/**
 * Policies are neither created nor deleted (Graph does both with the role): each changed rule is
 * written with `PATCH .../rules/{ruleId}`, its `@odata.type` included as Graph requires. A policy is
 * found through its assignment's role, so a re-created custom role's new policy gets the rules.
 * RoleManagement.ReadWrite.Directory, the type's write permission, is among those the update accepts:
 * https://learn.microsoft.com/graph/api/unifiedrolemanagementpolicyrule-update
 */
export const ROLE_POLICY_RESTORE: CollectionRestore = {
  phase: RestorePhase.ROLE_POLICIES,
  cannotCreate: 'Microsoft Graph creates a role management policy with its role: it cannot be created',
  itemPath: (id) => `/policies/roleManagementPolicies/${id}`,
  readOnly: [
    'id',
    'displayName',
    'description',
    'isOrganizationDefault',
    'scopeId',
    'scopeType',
    'lastModifiedBy',
    'lastModifiedDateTime',
    'effectiveRules',
  ],
  childProperties: ['rules'],
  itemWriters: {
    rules: {
      key: 'id',
      write: (policyId, rule) => ({
        method: 'PATCH',
        path: `/policies/roleManagementPolicies/${policyId}/rules/${encodeURIComponent(String(rule['id']))}`,
        body: rule,
      }),
    },
  },
  ownedBy: {
    collection: 'roleManagementPolicyAssignments',
    object: 'policyId',
    owner: 'roleDefinitionId',
    owners: 'roleDefinitions',
    find: (roleDefinitionId) => ({
      path: '/policies/roleManagementPolicyAssignments',
      filter: `${DIRECTORY_ROLE_SCOPE} and roleDefinitionId eq '${odataString(roleDefinitionId)}'`,
    }),
  },
};

/** A rule of a stored policy, by id. */
function ruleOf(policy: Readonly<Record<string, unknown>>, id: string): Record<string, unknown> | undefined {
  const rules = Array.isArray(policy['rules']) ? (policy['rules'] as Record<string, unknown>[]) : [];
  return rules.find((r) => r['id'] === id);
}

const POLICIES_BROWSE: BrowseSpec = {
  columns: [
    { key: 'id', label: 'Policy', kind: 'text', value: 'id' },
    {
      key: 'activation',
      label: 'Activation (max)',
      kind: 'text',
      value: (o) => {
        const value = ruleOf(o, 'Expiration_EndUser_Assignment')?.['maximumDuration'];
        return typeof value === 'string' ? value : null;
      },
    },
    {
      key: 'activationRequires',
      label: 'Activation requires',
      kind: 'text',
      value: (o) => {
        const rules = ruleOf(o, 'Enablement_EndUser_Assignment')?.['enabledRules'];
        return Array.isArray(rules) ? rules.join(', ') : null;
      },
    },
    {
      key: 'approval',
      label: 'Approval',
      kind: 'boolean',
      value: (o) => {
        const setting = ruleOf(o, 'Approval_EndUser_Assignment')?.['setting'] as
          Record<string, unknown> | undefined;
        return typeof setting?.['isApprovalRequired'] === 'boolean' ? setting['isApprovalRequired'] : null;
      },
      filter: [
        { value: 'true', label: 'Required' },
        { value: 'false', label: 'Not required' },
      ],
    },
    { key: 'lastModifiedDateTime', label: 'Modified', kind: 'date', value: 'lastModifiedDateTime' },
  ],
  search: ['id'],
};

const POLICY_ASSIGNMENTS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'role', label: 'Role', kind: 'text', value: 'roleDefinitionId' },
    { key: 'policyId', label: 'Policy', kind: 'text', value: 'policyId' },
  ],
  search: ['roleDefinitionId', 'policyId'],
  relations: [
    {
      key: 'role',
      label: 'Role',
      path: 'roleDefinitionId',
      targets: ROLE_TARGETS,
      reverseLabel: 'PIM policy',
    },
  ],
};

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
