import type { Descriptor } from '../descriptor';
import { directoryRecycleBin, odataString, RestorePhase } from './restore.shared';
import { type BrowseSpec, countOf, DIRECTORY_TARGETS } from '../browse-spec';

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

const ADMIN_UNITS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Name', kind: 'text', value: 'displayName' },
    {
      key: 'membershipType',
      label: 'Membership type',
      kind: 'enum',
      value: (o) => (o['membershipType'] === 'Dynamic' ? 'Dynamic' : 'Assigned'),
    },
    {
      key: 'visibility',
      label: 'Restricted management',
      kind: 'boolean',
      value: 'isMemberManagementRestricted',
    },
    { key: 'memberCount', label: 'Members', kind: 'number', value: countOf('members') },
  ],
  search: ['displayName'],
  relations: [
    {
      key: 'members',
      label: 'Members',
      path: 'members',
      targets: DIRECTORY_TARGETS,
      reverseLabel: 'Administrative units',
    },
    {
      // Roles held over the unit; indexed so a deleted principal's scoped roles are found.
      key: 'scopedRoleMembers',
      label: 'Scoped role members',
      path: 'scopedRoleMembers',
      itemId: 'roleMemberInfo.id',
      targets: DIRECTORY_TARGETS,
      reverseLabel: 'Roles over administrative units',
    },
  ],
};

export const adminUnitsDescriptor: Descriptor = {
  key: 'adminUnits',
  collections: [
    {
      name: 'administrativeUnits',
      browse: ADMIN_UNITS_BROWSE,
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
      restore: {
        phase: RestorePhase.ADMINISTRATIVE_UNITS,
        createPath: '/directory/administrativeUnits',
        itemPath: (id) => `/directory/administrativeUnits/${id}`,
        // Scoped role members are role assignments scoped to the unit: restored with the roles.
        readOnly: ['id', 'deletedDateTime', 'scopedRoleMembers'],
        recycleBin: directoryRecycleBin('administrativeUnit'),
        links: [
          {
            relation: 'members',
            phase: RestorePhase.ADMINISTRATIVE_UNIT_LINKS,
            refPath: (id) => `/directory/administrativeUnits/${id}/members`,
            unwritable: (unit) =>
              unit['membershipType'] === 'Dynamic'
                ? 'Dynamic membership: members follow the membership rule'
                : null,
          },
        ],
        findCreated: (body) =>
          typeof body['displayName'] === 'string'
            ? `displayName eq '${odataString(body['displayName'])}'`
            : null,
      },
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
