import { type Descriptor, toReference, withoutAnnotations } from '../descriptor';
import {
  directoryRecycleBin,
  EXTENSION_VALUES_LATER,
  odataString,
  onPremisesMastered,
  RestorePhase,
} from './restore.shared';
import { type BrowseSpec, GROUP_TARGET, USER_TARGET } from '../browse-spec';
import { AUTHENTICATION_METHODS } from './user-authentication.shared';

/**
 * Every user property needed to restore a user, selected explicitly: the list endpoint returns
 * only 11 properties by default (https://learn.microsoft.com/graph/api/user-list). Properties that
 * are readable only on a single-user GET (aboutMe, birthday, skills, mailboxSettings, ...) are
 * left out: selecting them on the collection or in a delta query answers 501 NotImplemented.
 * `signInActivity` is activity, not configuration, and needs a premium licence plus
 * AuditLog.Read.All, so it is not part of the backup, and neither are `employeeLeaveDateTime` and
 * `customSecurityAttributes`, readable only with the extra User-LifeCycleInfo.Read.All and
 * CustomSecAttributeAssignment.Read.All permissions. The read-only properties derived from the
 * writable ones (`assignedPlans`, `provisionedPlans`, `licenseAssignmentStates`,
 * `legalAgeGroupClassification`, provisioning errors) are kept as evidence of the state a restore
 * rebuilds: `licenseAssignmentStates` tells direct licences from group-inherited ones, which a
 * restore must not assign directly. The user delta query does not track changes of
 * `licenseAssignmentStates` (https://learn.microsoft.com/graph/api/user-delta), so it is refreshed
 * with the user's other changes. `passwordProfile` never carries the password, only the
 * forced-change flags.
 */
export const USER_PROPERTIES = [
  'id',
  'accountEnabled',
  'ageGroup',
  'assignedLicenses',
  'assignedPlans',
  'authorizationInfo',
  'businessPhones',
  'city',
  'companyName',
  'consentProvidedForMinor',
  'country',
  'createdDateTime',
  'creationType',
  'deletedDateTime',
  'department',
  'displayName',
  'employeeHireDate',
  'employeeId',
  'employeeOrgData',
  'employeeType',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'faxNumber',
  'givenName',
  'identities',
  'imAddresses',
  'isResourceAccount',
  'jobTitle',
  'lastPasswordChangeDateTime',
  'legalAgeGroupClassification',
  'licenseAssignmentStates',
  'mail',
  'mailNickname',
  'mobilePhone',
  'officeLocation',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesExtensionAttributes',
  'onPremisesImmutableId',
  'onPremisesLastSyncDateTime',
  'onPremisesProvisioningErrors',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName',
  'otherMails',
  'passwordPolicies',
  'passwordProfile',
  'postalCode',
  'preferredDataLocation',
  'preferredLanguage',
  'provisionedPlans',
  'proxyAddresses',
  'securityIdentifier',
  'serviceProvisioningErrors',
  'showInAddressList',
  'signInSessionsValidFromDateTime',
  'state',
  'streetAddress',
  'surname',
  'usageLocation',
  'userPrincipalName',
  'userType',
] as const;

/**
 * The manager arrives as `manager@delta` (a one-element array) from the delta query and as an
 * expanded object from a single GET; both become `manager: {'@odata.type', id}` or null.
 */
function normalizeUser(object: Record<string, unknown>): Record<string, unknown> {
  const { 'manager@delta': managerDelta, manager, ...rest } = object;
  const fromDelta = Array.isArray(managerDelta) ? managerDelta[0] : undefined;
  return { ...withoutAnnotations(rest), manager: toReference(fromDelta ?? manager) };
}

/**
 * User properties a restore never writes: server-owned, derived from licences or from sync, or
 * written through their own API (licences with `assignLicense`, the password never being
 * readable). https://learn.microsoft.com/graph/api/resources/user (read-only properties) and
 * restore-reference §2.1.
 */
export const USER_READ_ONLY = [
  'id',
  'assignedLicenses',
  'assignedPlans',
  'createdDateTime',
  'creationType',
  'deletedDateTime',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'identities',
  'imAddresses',
  'isResourceAccount',
  'lastPasswordChangeDateTime',
  'legalAgeGroupClassification',
  'licenseAssignmentStates',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesImmutableId',
  'onPremisesLastSyncDateTime',
  'onPremisesProvisioningErrors',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName',
  'passwordProfile',
  'provisionedPlans',
  'proxyAddresses',
  'securityIdentifier',
  'serviceProvisioningErrors',
  'signInSessionsValidFromDateTime',
] as const;

/** Browse columns: what the Entra admin center's user list shows. */
const USERS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Display name', kind: 'text', value: 'displayName' },
    { key: 'userPrincipalName', label: 'User principal name', kind: 'text', value: 'userPrincipalName' },
    { key: 'department', label: 'Department', kind: 'text', value: 'department' },
    {
      key: 'accountEnabled',
      label: 'Account enabled',
      kind: 'boolean',
      value: 'accountEnabled',
      filter: [
        { value: 'true', label: 'Enabled' },
        { value: 'false', label: 'Disabled' },
      ],
    },
    {
      key: 'userType',
      label: 'User type',
      kind: 'enum',
      value: 'userType',
      filter: [
        { value: 'Member', label: 'Member' },
        { value: 'Guest', label: 'Guest' },
      ],
    },
    { key: 'createdDateTime', label: 'Created', kind: 'date', value: 'createdDateTime' },
  ],
  search: ['displayName', 'userPrincipalName', 'mail'],
  relations: [
    {
      key: 'manager',
      label: 'Manager',
      path: 'manager',
      targets: [USER_TARGET],
      reverseLabel: 'Direct reports',
    },
    {
      key: 'sponsors',
      label: 'Sponsors',
      path: 'sponsors',
      targets: [USER_TARGET, GROUP_TARGET],
      reverseLabel: 'Sponsor of',
    },
  ],
};

export const usersDescriptor: Descriptor = {
  key: 'users',
  collections: [
    {
      name: 'users',
      principal: true,
      browse: USERS_BROWSE,
      version: 'v1.0',
      path: '/users',
      select: USER_PROPERTIES,
      // Directory extension values, selected by name (added at run time); also through the delta
      // query, whose `$select` takes any property stored in the directory:
      // https://learn.microsoft.com/graph/api/user-delta
      extensionsFor: 'User',
      expand: 'manager($select=id)',
      pageSize: 999,
      supportsTop: true,
      // The delta query returns the manager inline when `manager` is selected, so a full sync needs
      // no request per user: https://learn.microsoft.com/graph/api/user-delta
      delta: {
        path: '/users/delta',
        select: [...USER_PROPERTIES, 'manager'],
        enumerateWithDelta: true,
        maxPageSize: 999,
      },
      // Sponsors (users or groups responsible for a guest) need no permission beyond User.Read.All
      // (https://learn.microsoft.com/graph/api/user-list-sponsors). The user delta query does not
      // document sponsor changes (https://learn.microsoft.com/graph/api/user-delta): an incremental
      // run re-reads the sponsors of users it saw change, the periodic full run every user's.
      children: [
        { name: 'sponsors', path: (id) => `/users/${id}/sponsors`, select: ['id'], reference: true },
      ],
      normalize: normalizeUser,
      restore: {
        phase: RestorePhase.USERS,
        createPath: '/users',
        itemPath: (id) => `/users/${id}`,
        readOnly: USER_READ_ONLY,
        deferred: EXTENSION_VALUES_LATER,
        recycleBin: directoryRecycleBin('user'),
        links: [
          {
            relation: 'manager',
            phase: RestorePhase.MANAGERS,
            single: true,
            refPath: (id) => `/users/${id}/manager`,
          },
          {
            // POST /users/{id}/sponsors/$ref, DELETE /users/{id}/sponsors/{sponsorId}/$ref with
            // User.ReadWrite.All: https://learn.microsoft.com/graph/api/user-post-sponsors,
            // https://learn.microsoft.com/graph/api/user-delete-sponsors
            relation: 'sponsors',
            phase: RestorePhase.SPONSORS,
            refPath: (id) => `/users/${id}/sponsors`,
          },
        ],
        unwritable: onPremisesMastered,
        naturalKey: (user) =>
          typeof user['userPrincipalName'] === 'string' ? user['userPrincipalName'].toLowerCase() : null,
        updateAdopted: true,
        // A password cannot be read, so a re-created user gets a temporary one that must be changed
        // at the next sign-in: https://learn.microsoft.com/graph/api/user-post-users
        prepareCreate: (body, _stored, context) => ({
          ...body,
          passwordProfile: { forceChangePasswordNextSignIn: true, password: context.temporaryPassword() },
        }),
        findCreated: (body) =>
          typeof body['userPrincipalName'] === 'string'
            ? `userPrincipalName eq '${odataString(body['userPrincipalName'])}'`
            : null,
        // Phone and email methods come back through `authenticationMethods`; the user registers
        // the others again.
        caveat: (user) =>
          'Re-created with a temporary password (change at next sign-in); authentication methods ' +
          'other than phone and email ' +
          `${Array.isArray(user['assignedLicenses']) && user['assignedLicenses'].length > 0 ? 'and licences ' : ''}` +
          'are not restored',
      },
    },
    AUTHENTICATION_METHODS,
  ],
  permissions: { read: ['User.Read.All'], write: ['User.ReadWrite.All'] },
  skipWhen: [],
  secretFields: [],
};
