import type { Descriptor } from '../descriptor';

export const ADMINISTRATIVE_UNIT_PROPERTIES = [
  'id',
  'deletedDateTime',
  'description',
  'displayName',
  'isMemberManagementRestricted',
  'membershipRule',
  'membershipRuleProcessingState',
  'membershipType',
  'visibility',
] as const;

export const adminUnitsDescriptor: Descriptor = {
  key: 'adminUnits',
  collections: [
    {
      name: 'administrativeUnits',
      version: 'v1.0',
      path: '/directory/administrativeUnits',
      select: ADMINISTRATIVE_UNIT_PROPERTIES,
      pageSize: 999,
      supportsTop: true,
      delta: {
        path: '/directory/administrativeUnits/delta',
        select: ADMINISTRATIVE_UNIT_PROPERTIES,
        maxPageSize: 999,
      },
      children: [
        {
          name: 'members',
          path: (id) => `/directory/administrativeUnits/${id}/members`,
          select: ['id'],
          top: 999,
          reference: true,
        },
        // Role assignments scoped to the unit: https://learn.microsoft.com/graph/api/administrativeunit-list-scopedrolemembers
        { name: 'scopedRoleMembers', path: (id) => `/directory/administrativeUnits/${id}/scopedRoleMembers` },
      ],
    },
  ],
  permissions: {
    // Scoped role members are read with RoleManagement.Read.Directory.
    read: ['AdministrativeUnit.Read.All', 'RoleManagement.Read.Directory'],
    write: ['AdministrativeUnit.ReadWrite.All', 'RoleManagement.ReadWrite.Directory'],
  },
  skipWhen: [],
  secretFields: [],
};
