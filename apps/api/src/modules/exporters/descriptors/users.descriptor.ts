import { type Descriptor, toReference, withoutAnnotations } from '../descriptor';

/**
 * Every user property needed to restore a user, selected explicitly: the list endpoint returns
 * only 11 properties by default (https://learn.microsoft.com/graph/api/user-list). Properties that
 * are readable only on a single-user GET (aboutMe, birthday, skills, mailboxSettings, ...) are
 * left out: selecting them on the collection or in a delta query answers 501 NotImplemented.
 * `signInActivity` is activity, not configuration, and needs a premium licence plus
 * AuditLog.Read.All, so it is not part of the backup.
 */
export const USER_PROPERTIES = [
  'id',
  'accountEnabled',
  'ageGroup',
  'assignedLicenses',
  'businessPhones',
  'city',
  'companyName',
  'country',
  'createdDateTime',
  'creationType',
  'deletedDateTime',
  'department',
  'displayName',
  'employeeHireDate',
  'employeeId',
  'employeeType',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'faxNumber',
  'givenName',
  'identities',
  'imAddresses',
  'jobTitle',
  'lastPasswordChangeDateTime',
  'mail',
  'mailNickname',
  'mobilePhone',
  'officeLocation',
  'onPremisesDistinguishedName',
  'onPremisesDomainName',
  'onPremisesExtensionAttributes',
  'onPremisesImmutableId',
  'onPremisesLastSyncDateTime',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName',
  'otherMails',
  'passwordPolicies',
  'postalCode',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'securityIdentifier',
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

export const usersDescriptor: Descriptor = {
  key: 'users',
  collections: [
    {
      name: 'users',
      version: 'v1.0',
      path: '/users',
      select: USER_PROPERTIES,
      expand: 'manager($select=id)',
      pageSize: 999,
      supportsTop: true,
      // The delta query returns the manager inline when `manager` is selected, so a full sync needs
      // no request per user: https://learn.microsoft.com/graph/api/user-delta
      delta: { path: '/users/delta', select: [...USER_PROPERTIES, 'manager'], enumerateWithDelta: true, maxPageSize: 999 },
      normalize: normalizeUser,
      dependsOnRemoved: (user, removed) => {
        const manager = user['manager'] as { id?: unknown } | null | undefined;
        return typeof manager?.id === 'string' && removed.has(manager.id);
      },
    },
  ],
  permissions: { read: ['User.Read.All'], write: ['User.ReadWrite.All'] },
  skipWhen: [],
  secretFields: [],
};
