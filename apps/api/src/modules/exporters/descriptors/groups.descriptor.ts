import type { Descriptor } from '../descriptor';
import {
  deleteWrite,
  directoryRecycleBin,
  EXTENSION_VALUES_LATER,
  odataString,
  onPremisesMastered,
  RestorePhase,
} from './restore.shared';
import { type BrowseSpec, countOf, DIRECTORY_TARGETS, GROUP_TARGET } from '../browse-spec';

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

/** Dynamic groups' members follow their rule: Graph refuses member writes to them. */
export function isDynamic(group: Readonly<Record<string, unknown>>): boolean {
  return Array.isArray(group['groupTypes']) && group['groupTypes'].includes('DynamicMembership');
}

function membersUnwritable(group: Readonly<Record<string, unknown>>): string | null {
  if (isDynamic(group)) return 'Dynamic membership: members follow the membership rule';
  return onPremisesMastered(group);
}

/** The group types the Entra admin center names (https://learn.microsoft.com/entra/fundamentals/concept-learn-about-groups). */
function groupKind(group: Readonly<Record<string, unknown>>): string {
  const types = Array.isArray(group['groupTypes']) ? group['groupTypes'] : [];
  if (types.includes('Unified')) return 'Microsoft 365';
  if (group['mailEnabled'] === true)
    return group['securityEnabled'] === true ? 'Mail-enabled security' : 'Distribution';
  return 'Security';
}

const GROUPS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Name', kind: 'text', value: 'displayName' },
    {
      key: 'groupType',
      label: 'Group type',
      kind: 'enum',
      value: groupKind,
      filter: ['Microsoft 365', 'Security', 'Mail-enabled security', 'Distribution'].map((v) => ({
        value: v,
        label: v,
      })),
    },
    {
      key: 'membershipType',
      label: 'Membership type',
      kind: 'enum',
      value: (group) => (isDynamic(group) ? 'Dynamic' : 'Assigned'),
      filter: [
        { value: 'Assigned', label: 'Assigned' },
        { value: 'Dynamic', label: 'Dynamic' },
      ],
    },
    { key: 'memberCount', label: 'Members', kind: 'number', value: countOf('members') },
    { key: 'mail', label: 'Email', kind: 'text', value: 'mail' },
    { key: 'createdDateTime', label: 'Created', kind: 'date', value: 'createdDateTime' },
  ],
  search: ['displayName', 'mail', 'mailNickname'],
  relations: [
    {
      key: 'members',
      label: 'Members',
      path: 'members',
      targets: DIRECTORY_TARGETS,
      reverseLabel: 'Member of',
    },
    { key: 'owners', label: 'Owners', path: 'owners', targets: DIRECTORY_TARGETS, reverseLabel: 'Owner of' },
  ],
};

/** A setting's `values` as `name=value` pairs, for search and the table. */
function settingValues(setting: Readonly<Record<string, unknown>>): string {
  const values = Array.isArray(setting['values']) ? (setting['values'] as Record<string, unknown>[]) : [];
  return values
    .filter((v) => typeof v['name'] === 'string')
    .map((v) => `${String(v['name'])}=${typeof v['value'] === 'string' ? v['value'] : ''}`)
    .join('; ');
}

const GROUP_SETTINGS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Template', kind: 'text', value: 'displayName' },
    { key: 'templateId', label: 'Template ID', kind: 'text', value: 'templateId' },
    { key: 'values', label: 'Values', kind: 'text', value: settingValues },
  ],
  search: ['displayName', 'templateId'],
};

const GROUP_OWN_SETTINGS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'group', label: 'Group', kind: 'text', value: 'groupId' },
    ...GROUP_SETTINGS_BROWSE.columns,
  ],
  search: ['groupId', ...GROUP_SETTINGS_BROWSE.search],
  relations: [
    {
      key: 'group',
      label: 'Group',
      path: 'groupId',
      targets: [GROUP_TARGET],
      reverseLabel: 'Group settings',
    },
  ],
};

const LIFECYCLE_POLICIES_BROWSE: BrowseSpec = {
  columns: [
    {
      key: 'groupLifetimeInDays',
      label: 'Group lifetime (days)',
      kind: 'number',
      value: 'groupLifetimeInDays',
    },
    {
      key: 'managedGroupTypes',
      label: 'Applies to',
      kind: 'enum',
      value: 'managedGroupTypes',
      filter: ['All', 'Selected', 'None'].map((v) => ({ value: v, label: v })),
    },
    {
      key: 'alternateNotificationEmails',
      label: 'Notification emails',
      kind: 'text',
      value: 'alternateNotificationEmails',
    },
  ],
  search: ['alternateNotificationEmails'],
};

const LIFECYCLE_POLICY_GROUPS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'group', label: 'Group', kind: 'text', value: 'groupId' },
    { key: 'policy', label: 'Lifecycle policy', kind: 'text', value: 'policyId' },
  ],
  search: ['groupId', 'policyId'],
  relations: [
    {
      key: 'group',
      label: 'Group',
      path: 'groupId',
      targets: [GROUP_TARGET],
      reverseLabel: 'Expiration policy (selected groups)',
    },
  ],
};

export const groupsDescriptor: Descriptor = {
  key: 'groups',
  collections: [
    {
      name: 'groups',
      principal: true,
      browse: GROUPS_BROWSE,
      version: 'v1.0',
      path: '/groups',
      select: GROUP_PROPERTIES,
      // Directory extension values targeting groups, selected by name (added at run time).
      extensionsFor: 'Group',
      pageSize: 999,
      supportsTop: true,
      // `$select=members` makes the delta query report membership changes as `members@delta`, and
      // selecting `owners` reports ownership changes ("You can also track other changes such as
      // ownership by selecting any relationship of the group of type directoryObject collection"):
      // https://learn.microsoft.com/graph/api/group-delta
      delta: { path: '/groups/delta', select: [...GROUP_PROPERTIES, 'members', 'owners'], maxPageSize: 999 },
      children: [
        { name: 'members', path: (id) => `/groups/${id}/members`, select: ['id'], top: 999, reference: true },
        { name: 'owners', path: (id) => `/groups/${id}/owners`, select: ['id'], top: 999, reference: true },
      ],
      restore: {
        phase: RestorePhase.GROUPS,
        createPath: '/groups',
        itemPath: (id) => `/groups/${id}`,
        // https://learn.microsoft.com/graph/api/resources/group (read-only), restore-reference §2.1.
        readOnly: [
          'id',
          'assignedLabels',
          'assignedLicenses',
          'createdDateTime',
          'deletedDateTime',
          'expirationDateTime',
          'licenseProcessingState',
          'mail',
          'onPremisesDomainName',
          'onPremisesLastSyncDateTime',
          'onPremisesNetBiosName',
          'onPremisesProvisioningErrors',
          'onPremisesSamAccountName',
          'onPremisesSecurityIdentifier',
          'onPremisesSyncEnabled',
          'proxyAddresses',
          'renewedDateTime',
          'securityIdentifier',
          'serviceProvisioningErrors',
        ],
        // The kind of a group is fixed at creation; role-assignable only then:
        // https://learn.microsoft.com/graph/api/group-post-groups
        createOnly: [
          'groupTypes',
          'isAssignableToRole',
          'mailEnabled',
          'securityEnabled',
          'resourceBehaviorOptions',
          'resourceProvisioningOptions',
        ],
        recycleBin: directoryRecycleBin('group'),
        deferred: EXTENSION_VALUES_LATER,
        links: [
          {
            relation: 'members',
            phase: RestorePhase.GROUP_LINKS,
            bindInPatch: true,
            refPath: (id) => `/groups/${id}/members`,
            unwritable: membersUnwritable,
          },
          {
            relation: 'owners',
            phase: RestorePhase.GROUP_LINKS,
            refPath: (id) => `/groups/${id}/owners`,
            unwritable: onPremisesMastered,
          },
        ],
        unwritable: onPremisesMastered,
        findCreated: (body) =>
          typeof body['mailNickname'] === 'string'
            ? `mailNickname eq '${odataString(body['mailNickname'])}'`
            : null,
      },
    },
    {
      // A Microsoft 365 group's own settings (`Group.Unified.Guest`: may owners add guests), one
      // per template; they exist only for Microsoft 365 groups, and Group.Read.All reads them:
      // https://learn.microsoft.com/graph/api/group-list-settings. The groups' delta query does
      // not report changes to them, so every Microsoft 365 group's list is read on every run.
      name: 'settings',
      browse: GROUP_OWN_SETTINGS_BROWSE,
      version: 'v1.0',
      path: '/groups/{id}/settings',
      pageSize: 100,
      supportsTop: false,
      perObjectOf: {
        collection: 'groups',
        path: (id) => `/groups/${id}/settings`,
        when: (group) => groupKind(group) === 'Microsoft 365',
        ownerKey: 'groupId',
        refresh: 'everyRun',
      },
      // Writes need GroupSettings.ReadWrite.All (Group.ReadWrite.All is not enough):
      // https://learn.microsoft.com/graph/api/group-post-settings,
      // https://learn.microsoft.com/graph/api/groupsetting-update
      permissions: { read: [], write: ['GroupSettings.ReadWrite.All'] },
      // Matched by group and template; created with the stored values, updated with PATCH,
      // removed with DELETE.
      assignments: {
        phase: RestorePhase.GROUP_LINKS,
        assignment: {
          key: ['groupId', 'templateId'],
          principal: 'groupId',
          add: (setting) => ({
            method: 'POST',
            path: `/groups/${String(setting['groupId'])}/settings`,
            body: { templateId: setting['templateId'], values: setting['values'] },
          }),
          remove: (setting) =>
            deleteWrite(`/groups/${String(setting['groupId'])}/settings/${String(setting['id'])}`),
          updatable: ['values'],
          update: (live) => `/groups/${String(live['groupId'])}/settings/${String(live['id'])}`,
        },
      },
    },
    {
      // Tenant-wide Microsoft 365 group settings (`Group.Unified`: naming policy, blocked words,
      // guest access, who may create groups), one per template. No delta; few objects.
      // Reading them needs GroupSettings.Read.All or a higher permission, Group.Read.All among
      // them: https://learn.microsoft.com/graph/api/group-list-settings
      name: 'groupSettings',
      browse: GROUP_SETTINGS_BROWSE,
      version: 'v1.0',
      path: '/groupSettings',
      pageSize: 100,
      supportsTop: false,
      permissions: {
        read: [],
        // Creating or updating needs GroupSettings.ReadWrite.All (Group.ReadWrite.All is not
        // enough): https://learn.microsoft.com/graph/api/group-post-settings,
        // https://learn.microsoft.com/graph/api/groupsetting-update
        write: ['GroupSettings.ReadWrite.All'],
      },
      restore: {
        phase: RestorePhase.POLICY_OBJECTS,
        // Created from its template (`templateId` with the `values`); `displayName` comes from the
        // template: https://learn.microsoft.com/graph/api/resources/groupsetting
        createPath: '/groupSettings',
        itemPath: (id) => `/groupSettings/${id}`,
        readOnly: ['id', 'displayName'],
        createOnly: ['templateId'],
        // Restoring into another tenant, its setting of the same template is updated instead:
        // Graph allows one setting per template.
        naturalKey: (setting) => (typeof setting['templateId'] === 'string' ? setting['templateId'] : null),
        updateAdopted: true,
        matchCreated: (body) =>
          typeof body['templateId'] === 'string'
            ? (candidate) => candidate['templateId'] === body['templateId']
            : null,
      },
    },
    {
      // Expiration policies of Microsoft 365 groups. Read and written with Directory.Read.All /
      // Directory.ReadWrite.All, the only permissions the docs list:
      // https://learn.microsoft.com/graph/api/grouplifecyclepolicy-list,
      // https://learn.microsoft.com/graph/api/grouplifecyclepolicy-post-grouplifecyclepolicies
      name: 'groupLifecyclePolicies',
      browse: LIFECYCLE_POLICIES_BROWSE,
      version: 'v1.0',
      path: '/groupLifecyclePolicies',
      pageSize: 100,
      supportsTop: false,
      permissions: { read: ['Directory.Read.All'], write: ['Directory.ReadWrite.All'] },
      restore: {
        phase: RestorePhase.POLICY_OBJECTS,
        createPath: '/groupLifecyclePolicies',
        itemPath: (id) => `/groupLifecyclePolicies/${id}`,
        readOnly: ['id'],
        // "Only one policy exists in the tenant": another tenant's policy is updated instead.
        naturalKey: () => 'groupLifecyclePolicy',
        updateAdopted: true,
        matchCreated: () => () => true,
      },
    },
    {
      // Which Microsoft 365 groups a lifecycle policy set to "Selected" applies to. Graph tells it
      // only from the group's side, listing the policies a group is under (those set to "All" too,
      // not kept here): https://learn.microsoft.com/graph/api/group-list-grouplifecyclepolicies,
      // with Directory.Read.All like the policy. Adding a group is not a change of the group, so
      // every Microsoft 365 group is asked on every run.
      name: 'lifecyclePolicyGroups',
      browse: LIFECYCLE_POLICY_GROUPS_BROWSE,
      version: 'v1.0',
      path: '/groups/{id}/groupLifecyclePolicies',
      pageSize: 100,
      supportsTop: false,
      perObjectOf: {
        collection: 'groups',
        path: (id) => `/groups/${id}/groupLifecyclePolicies`,
        when: (group) => groupKind(group) === 'Microsoft 365',
        ownerKey: 'groupId',
        keep: (item) => item['managedGroupTypes'] === 'Selected',
        refresh: 'everyRun',
      },
      // One item per group and policy: the policy's id is the same for every group it applies to.
      normalize: (policy) => ({
        id: `${String(policy['groupId'])}_${String(policy['id'])}`,
        policyId: policy['id'],
        groupId: policy['groupId'],
        managedGroupTypes: policy['managedGroupTypes'],
      }),
      permissions: { read: ['Directory.Read.All'], write: ['Directory.ReadWrite.All'] },
      // https://learn.microsoft.com/graph/api/grouplifecyclepolicy-addgroup,
      // https://learn.microsoft.com/graph/api/grouplifecyclepolicy-removegroup
      assignments: {
        phase: RestorePhase.GROUP_LINKS,
        assignment: {
          key: ['policyId', 'groupId'],
          principal: 'groupId',
          add: (a) => ({
            method: 'POST',
            path: `/groupLifecyclePolicies/${String(a['policyId'])}/addGroup`,
            body: { groupId: a['groupId'] },
          }),
          remove: (a) => ({
            method: 'POST',
            path: `/groupLifecyclePolicies/${String(a['policyId'])}/removeGroup`,
            body: { groupId: a['groupId'] },
          }),
        },
      },
    },
  ],
  // Group delta with members needs GroupMember.Read.All or Group.Read.All; Group.Read.All covers
  // both the group properties and the membership.
  permissions: { read: ['Group.Read.All'], write: ['Group.ReadWrite.All'] },
  skipWhen: [],
  secretFields: [],
};
