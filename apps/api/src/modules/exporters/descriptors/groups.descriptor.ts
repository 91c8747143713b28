import type { Descriptor } from '../descriptor';

/**
 * The group's directory properties. Returned only on `$select`: `assignedLicenses` (group-based
 * licensing), `assignedLabels` (sensitivity labels), `licenseProcessingState`, the
 * `resource*Options` set when a Microsoft 365 group is created, and provisioning errors.
 * `hasMembersWithLicenseErrors` and `isArchived` are not returned through `$select` at all, and
 * the Exchange settings (`allowExternalSenders`, `autoSubscribeNewMembers`, ...) only on a
 * single-group GET: https://learn.microsoft.com/graph/api/group-get
 */
export const GROUP_PROPERTIES = [
  'id',
  'assignedLabels',
  'assignedLicenses',
  'classification',
  'createdDateTime',
  'deletedDateTime',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'licenseProcessingState',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesDomainName',
  'onPremisesLastSyncDateTime',
  'onPremisesNetBiosName',
  'onPremisesProvisioningErrors',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'securityIdentifier',
  'serviceProvisioningErrors',
  'theme',
  'visibility',
] as const;

export const groupsDescriptor: Descriptor = {
  key: 'groups',
  collections: [
    {
      name: 'groups',
      version: 'v1.0',
      path: '/groups',
      select: GROUP_PROPERTIES,
      pageSize: 999,
      supportsTop: true,
      // `$select=members` makes the delta query report membership changes as `members@delta`:
      // https://learn.microsoft.com/graph/api/group-delta
      delta: { path: '/groups/delta', select: [...GROUP_PROPERTIES, 'members'], maxPageSize: 999 },
      children: [
        { name: 'members', path: (id) => `/groups/${id}/members`, select: ['id'], top: 999, reference: true },
        { name: 'owners', path: (id) => `/groups/${id}/owners`, select: ['id'], top: 999, reference: true },
      ],
    },
  ],
  // Group delta with members needs GroupMember.Read.All or Group.Read.All; Group.Read.All covers
  // both the group properties and the membership.
  permissions: { read: ['Group.Read.All'], write: ['Group.ReadWrite.All'] },
  skipWhen: [],
  secretFields: [],
};
