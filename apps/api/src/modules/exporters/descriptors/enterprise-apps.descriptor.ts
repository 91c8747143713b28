import type { Descriptor } from '../descriptor';

export const SERVICE_PRINCIPAL_PROPERTIES = [
  'id',
  'accountEnabled',
  'addIns',
  'alternativeNames',
  'appDescription',
  'appDisplayName',
  'appId',
  'applicationTemplateId',
  'appOwnerOrganizationId',
  'appRoleAssignmentRequired',
  'appRoles',
  'createdDateTime',
  'deletedDateTime',
  'description',
  'disabledByMicrosoftStatus',
  'displayName',
  'homepage',
  'info',
  'keyCredentials',
  'loginUrl',
  'logoutUrl',
  'notes',
  'notificationEmailAddresses',
  'oauth2PermissionScopes',
  'passwordCredentials',
  'preferredSingleSignOnMode',
  'preferredTokenSigningKeyThumbprint',
  'replyUrls',
  'resourceSpecificApplicationPermissions',
  'samlSingleSignOnSettings',
  'servicePrincipalNames',
  'servicePrincipalType',
  'signInAudience',
  'tags',
  'tokenEncryptionKeyId',
  'verifiedPublisher',
] as const;

export const enterpriseAppsDescriptor: Descriptor = {
  key: 'enterpriseApps',
  collections: [
    {
      name: 'servicePrincipals',
      version: 'v1.0',
      path: '/servicePrincipals',
      select: SERVICE_PRINCIPAL_PROPERTIES,
      pageSize: 999,
      supportsTop: true,
      delta: { path: '/servicePrincipals/delta', select: SERVICE_PRINCIPAL_PROPERTIES, maxPageSize: 999 },
      // A deleted app's service principal disappears from the resources it held permissions on.
      dependsOnRemoved: (sp, removed) =>
        Array.isArray(sp['appRoleAssignedTo']) &&
        (sp['appRoleAssignedTo'] as Array<{ principalId?: unknown }>).some(
          (a) => typeof a.principalId === 'string' && removed.has(a.principalId),
        ),
      children: [
        // App permissions granted to this app, and users, groups and apps assigned to its roles:
        // https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto
        { name: 'appRoleAssignments', path: (id) => `/servicePrincipals/${id}/appRoleAssignments`, top: 999 },
        { name: 'appRoleAssignedTo', path: (id) => `/servicePrincipals/${id}/appRoleAssignedTo`, top: 999 },
        {
          name: 'owners',
          path: (id) => `/servicePrincipals/${id}/owners`,
          select: ['id'],
          top: 999,
          reference: true,
        },
      ],
    },
    {
      // Delegated permission grants, read once for the tenant rather than per service principal.
      name: 'oauth2PermissionGrants',
      version: 'v1.0',
      path: '/oauth2PermissionGrants',
      // Listed without $top: Graph pages the grants itself (100 per page assumed for the minimum figure).
      pageSize: 100,
      supportsTop: false,
    },
  ],
  permissions: {
    read: ['Application.Read.All'],
    // Recreating app role assignments needs AppRoleAssignment.ReadWrite.All, delegated grants
    // DelegatedPermissionGrant.ReadWrite.All: https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto
    write: [
      'Application.ReadWrite.All',
      'AppRoleAssignment.ReadWrite.All',
      'DelegatedPermissionGrant.ReadWrite.All',
    ],
  },
  skipWhen: [],
  secretFields: [],
};
