import type { Descriptor } from '../descriptor';
import { deleteWrite, directoryRecycleBin, ownersLink, RestorePhase } from './restore.shared';
import { type BrowseSpec, DIRECTORY_TARGETS, SERVICE_PRINCIPAL_TARGET, USER_TARGET } from '../browse-spec';
import { appPolicyCollection } from './app-policies.shared';

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

/** Whether a service principal publishes delegated permissions users may consent to (`type` `User`). */
export function publishesUserConsentableScopes(sp: Readonly<Record<string, unknown>>): boolean {
  const scopes = sp['oauth2PermissionScopes'];
  return (
    Array.isArray(scopes) &&
    scopes.some(
      (s) => typeof s === 'object' && s !== null && (s as Record<string, unknown>)['type'] === 'User',
    )
  );
}

const SERVICE_PRINCIPALS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Name', kind: 'text', value: 'displayName' },
    { key: 'appId', label: 'Application ID', kind: 'text', value: 'appId' },
    {
      key: 'servicePrincipalType',
      label: 'Type',
      kind: 'enum',
      value: 'servicePrincipalType',
      filter: ['Application', 'ManagedIdentity', 'Legacy', 'SocialIdp'].map((v) => ({ value: v, label: v })),
    },
    {
      key: 'accountEnabled',
      label: 'Enabled',
      kind: 'boolean',
      value: 'accountEnabled',
      filter: [
        { value: 'true', label: 'Enabled' },
        { value: 'false', label: 'Disabled' },
      ],
    },
  ],
  search: ['displayName', 'appId'],
  altId: 'appId',
  relations: [
    { key: 'owners', label: 'Owners', path: 'owners', targets: DIRECTORY_TARGETS, reverseLabel: 'Owner of' },
    {
      key: 'appRoleAssignments',
      label: 'Application permissions granted (app roles)',
      path: 'appRoleAssignments',
      itemId: 'resourceId',
      targets: [SERVICE_PRINCIPAL_TARGET],
    },
    {
      // Users, groups and service principals assigned to the app's roles ("Users and groups" in
      // the Entra admin center); indexed so a deleted principal's assignments are found.
      key: 'appRoleAssignedTo',
      label: 'Users and groups assigned',
      path: 'appRoleAssignedTo',
      itemId: 'principalId',
      targets: DIRECTORY_TARGETS,
      reverseLabel: 'Assigned to applications',
    },
  ],
};

const GRANTS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'client', label: 'Client', kind: 'text', value: 'clientId' },
    { key: 'resource', label: 'Resource', kind: 'text', value: 'resourceId' },
    { key: 'consentType', label: 'Consent type', kind: 'enum', value: 'consentType' },
    { key: 'scope', label: 'Scopes', kind: 'text', value: 'scope' },
  ],
  search: ['clientId', 'resourceId', 'principalId', 'scope'],
  relations: [
    {
      key: 'client',
      label: 'Client',
      path: 'clientId',
      targets: [SERVICE_PRINCIPAL_TARGET],
      reverseLabel: 'Delegated permission grants',
      reverseShows: 'resource',
    },
    { key: 'resource', label: 'Resource', path: 'resourceId', targets: [SERVICE_PRINCIPAL_TARGET] },
    { key: 'principal', label: 'User', path: 'principalId', targets: [USER_TARGET] },
  ],
};

export const enterpriseAppsDescriptor: Descriptor = {
  key: 'enterpriseApps',
  collections: [
    {
      name: 'servicePrincipals',
      principal: true,
      browse: SERVICE_PRINCIPALS_BROWSE,
      version: 'v1.0',
      path: '/servicePrincipals',
      select: SERVICE_PRINCIPAL_PROPERTIES,
      pageSize: 999,
      supportsTop: true,
      delta: { path: '/servicePrincipals/delta', select: SERVICE_PRINCIPAL_PROPERTIES, maxPageSize: 999 },
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
        {
          // Classifications of the delegated permissions an API publishes (low impact ones feed user
          // consent policies), read with Application.Read.All. They are configured on the service
          // principal of the API that publishes the permissions, and only permissions users may
          // consent to can be classified, so only such APIs are asked (Microsoft Graph's, typically):
          // https://learn.microsoft.com/graph/api/serviceprincipal-list-delegatedpermissionclassifications,
          // https://learn.microsoft.com/entra/identity/enterprise-apps/configure-permission-classifications
          name: 'delegatedPermissionClassifications',
          path: (id) => `/servicePrincipals/${id}/delegatedPermissionClassifications`,
          when: publishesUserConsentableScopes,
        },
      ],
      restore: {
        phase: RestorePhase.SERVICE_PRINCIPALS,
        createPath: '/servicePrincipals',
        itemPath: (id) => `/servicePrincipals/${id}`,
        // Derived from the application or owned by Microsoft:
        // https://learn.microsoft.com/graph/api/resources/serviceprincipal
        readOnly: [
          'id',
          'appDescription',
          'appDisplayName',
          'appOwnerOrganizationId',
          'appRoles',
          'applicationTemplateId',
          'createdDateTime',
          'deletedDateTime',
          'disabledByMicrosoftStatus',
          'info',
          'keyCredentials',
          'oauth2PermissionScopes',
          'passwordCredentials',
          'resourceSpecificApplicationPermissions',
          'servicePrincipalNames',
          'servicePrincipalType',
          'signInAudience',
          'verifiedPublisher',
        ],
        createOnly: ['appId'],
        // Microsoft's and other multi-tenant applications have a service principal in every tenant
        // that uses them, under another object id: restoring into another tenant links to it.
        naturalKey: (sp) => (typeof sp['appId'] === 'string' ? sp['appId'].toLowerCase() : null),
        recycleBin: directoryRecycleBin('servicePrincipal'),
        links: [ownersLink('/servicePrincipals', RestorePhase.SERVICE_PRINCIPAL_LINKS)],
        // One service principal per application and tenant:
        // https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals
        findCreated: (body) => (typeof body['appId'] === 'string' ? `appId eq '${body['appId']}'` : null),
      },
      // An assignment is listed on both ends; restored from the resource's side.
      // https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto
      embeddedAssignments: [
        {
          relation: 'appRoleAssignedTo',
          phase: RestorePhase.APP_ROLE_ASSIGNMENTS,
          assignment: {
            key: ['principalId', 'resourceId', 'appRoleId'],
            principal: 'principalId',
            add: (a) => ({
              method: 'POST',
              path: `/servicePrincipals/${String(a['resourceId'])}/appRoleAssignedTo`,
              body: { principalId: a['principalId'], resourceId: a['resourceId'], appRoleId: a['appRoleId'] },
            }),
            remove: (a) =>
              deleteWrite(
                `/servicePrincipals/${String(a['resourceId'])}/appRoleAssignedTo/${String(a['id'])}`,
              ),
          },
        },
        {
          // Written with Policy.ReadWrite.PermissionGrant; a classification has no update call, so
          // one classified differently is removed and classified again:
          // https://learn.microsoft.com/graph/api/serviceprincipal-post-delegatedpermissionclassifications,
          // https://learn.microsoft.com/graph/api/serviceprincipal-delete-delegatedpermissionclassifications
          relation: 'delegatedPermissionClassifications',
          parentKey: 'servicePrincipalId',
          phase: RestorePhase.SERVICE_PRINCIPAL_LINKS,
          permissions: { write: ['Policy.ReadWrite.PermissionGrant'] },
          assignment: {
            key: ['servicePrincipalId', 'permissionId', 'classification'],
            principal: 'servicePrincipalId',
            add: (c) => ({
              method: 'POST',
              path: `/servicePrincipals/${String(c['servicePrincipalId'])}/delegatedPermissionClassifications`,
              body: {
                permissionId: c['permissionId'],
                permissionName: c['permissionName'],
                classification: c['classification'],
              },
            }),
            remove: (c) =>
              deleteWrite(
                `/servicePrincipals/${String(c['servicePrincipalId'])}/delegatedPermissionClassifications/${String(c['id'])}`,
              ),
          },
        },
      ],
    },
    {
      // Delegated permission grants, read once for the tenant rather than per service principal.
      name: 'oauth2PermissionGrants',
      browse: GRANTS_BROWSE,
      version: 'v1.0',
      path: '/oauth2PermissionGrants',
      // Listed without $top: Graph pages the grants itself (100 per page assumed for the minimum figure).
      pageSize: 100,
      supportsTop: false,
      // https://learn.microsoft.com/graph/api/oauth2permissiongrant-post
      assignments: {
        phase: RestorePhase.PERMISSION_GRANTS,
        assignment: {
          key: ['clientId', 'resourceId', 'consentType', 'principalId'],
          principal: 'clientId',
          add: (g) => ({
            method: 'POST',
            path: '/oauth2PermissionGrants',
            body: {
              clientId: g['clientId'],
              consentType: g['consentType'],
              resourceId: g['resourceId'],
              scope: g['scope'],
              ...(g['consentType'] === 'Principal' ? { principalId: g['principalId'] } : {}),
            },
          }),
          remove: (g) => deleteWrite(`/oauth2PermissionGrants/${String(g['id'])}`),
          updatable: ['scope'],
          update: (live) => `/oauth2PermissionGrants/${String(live['id'])}`,
        },
      },
    },
    // Policies assigned to service principals only, each with the objects it applies to.
    appPolicyCollection('claimsMappingPolicies'),
    appPolicyCollection('homeRealmDiscoveryPolicies'),
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
