import type { Descriptor } from '../descriptor';

/**
 * Application properties beyond the list's default set that a restore needs. Graph never returns
 * secret text (`passwordCredentials` holds metadata only; new secrets come from `addPassword`):
 * https://learn.microsoft.com/graph/api/resources/passwordcredential
 */
export const APPLICATION_PROPERTIES = [
  'id',
  'addIns',
  'api',
  'appId',
  'applicationTemplateId',
  'appRoles',
  'certification',
  'createdDateTime',
  'defaultRedirectUri',
  'deletedDateTime',
  'description',
  'disabledByMicrosoftStatus',
  'displayName',
  'groupMembershipClaims',
  'identifierUris',
  'info',
  'isDeviceOnlyAuthSupported',
  'isFallbackPublicClient',
  'keyCredentials',
  'notes',
  'oauth2RequirePostResponse',
  'optionalClaims',
  'parentalControlSettings',
  'passwordCredentials',
  'publicClient',
  'publisherDomain',
  'requiredResourceAccess',
  'samlMetadataUrl',
  'serviceManagementReference',
  'servicePrincipalLockConfiguration',
  'signInAudience',
  'spa',
  'tags',
  'tokenEncryptionKeyId',
  'uniqueName',
  'verifiedPublisher',
  'web',
] as const;

export const appRegistrationsDescriptor: Descriptor = {
  key: 'appRegistrations',
  collections: [
    {
      name: 'applications',
      version: 'v1.0',
      path: '/applications',
      select: APPLICATION_PROPERTIES,
      pageSize: 999,
      supportsTop: true,
      delta: { path: '/applications/delta', select: APPLICATION_PROPERTIES, maxPageSize: 999 },
      children: [
        {
          name: 'owners',
          path: (id) => `/applications/${id}/owners`,
          select: ['id'],
          top: 999,
          reference: true,
        },
      ],
    },
  ],
  permissions: { read: ['Application.Read.All'], write: ['Application.ReadWrite.All'] },
  skipWhen: [],
  secretFields: [],
};
