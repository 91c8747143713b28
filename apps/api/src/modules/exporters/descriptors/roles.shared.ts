import type { CollectionSpec } from '../descriptor';

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
      version: 'v1.0',
      path: '/roleManagement/directory/roleDefinitions',
      filter: `isBuiltIn eq ${builtIn}`,
      pageSize: 999,
      supportsTop: false,
    },
    {
      name: 'roleAssignments',
      version: 'v1.0',
      path: '/roleManagement/directory/roleAssignments',
      // Only $filter, $expand and $select are supported (no $top); Graph pages on its own:
      // https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments
      pageSize: 100,
      supportsTop: false,
      keepReferencing: ofTheseRoles,
    },
    {
      // Eligible (PIM) assignments are not role assignments; without them a restore misses every
      // eligible administrator: https://learn.microsoft.com/graph/api/rbacapplication-list-roleeligibilityschedules
      name: 'roleEligibilitySchedules',
      version: 'v1.0',
      path: '/roleManagement/directory/roleEligibilitySchedules',
      pageSize: 100,
      supportsTop: false,
      keepReferencing: ofTheseRoles,
      // PIM needs Entra ID P2 (or ID Governance); other tenants answer 400 AadPremiumLicenseRequired
      // and have no eligible assignments at all.
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
