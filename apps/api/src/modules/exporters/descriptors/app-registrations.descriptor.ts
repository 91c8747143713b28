import type { Descriptor } from '../descriptor';
import { directoryRecycleBin, odataString, ownersLink, RestorePhase } from './restore.shared';
import { type BrowseSpec, DIRECTORY_TARGETS } from '../browse-spec';
import { appPolicyCollection } from './app-policies.shared';

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

const APPLICATIONS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Display name', kind: 'text', value: 'displayName' },
    { key: 'appId', label: 'Application (client) ID', kind: 'text', value: 'appId' },
    { key: 'signInAudience', label: 'Supported accounts', kind: 'enum', value: 'signInAudience' },
    { key: 'createdDateTime', label: 'Created', kind: 'date', value: 'createdDateTime' },
  ],
  search: ['displayName', 'appId'],
  altId: 'appId',
  relations: [
    { key: 'owners', label: 'Owners', path: 'owners', targets: DIRECTORY_TARGETS, reverseLabel: 'Owner of' },
  ],
};

export const appRegistrationsDescriptor: Descriptor = {
  key: 'appRegistrations',
  collections: [
    {
      name: 'applications',
      browse: APPLICATIONS_BROWSE,
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
      restore: {
        phase: RestorePhase.APPLICATIONS,
        createPath: '/applications',
        itemPath: (id) => `/applications/${id}`,
        // https://learn.microsoft.com/graph/api/resources/application; credentials are written with
        // addPassword/addKey, never by PATCH: https://learn.microsoft.com/graph/api/application-update
        readOnly: [
          'id',
          'appId',
          'applicationTemplateId',
          'certification',
          'createdDateTime',
          'deletedDateTime',
          'disabledByMicrosoftStatus',
          'keyCredentials',
          'passwordCredentials',
          'publisherDomain',
          'verifiedPublisher',
        ],
        createOnly: ['uniqueName'],
        // Other apps' permissions and pre-authorized clients are named by appId.
        referencesIn: ['requiredResourceAccess', 'api'],
        recycleBin: directoryRecycleBin('application'),
        links: [ownersLink('/applications', RestorePhase.APPLICATION_LINKS)],
        findCreated: (body) =>
          typeof body['uniqueName'] === 'string'
            ? `uniqueName eq '${odataString(body['uniqueName'])}'`
            : typeof body['displayName'] === 'string'
              ? `displayName eq '${odataString(body['displayName'])}'`
              : null,
        caveat: (app) => {
          const secrets = Array.isArray(app['passwordCredentials']) ? app['passwordCredentials'].length : 0;
          const certificates = Array.isArray(app['keyCredentials']) ? app['keyCredentials'].length : 0;
          if (secrets + certificates === 0) return 'Re-created with a new application (client) id';
          return (
            'Re-created with a new application (client) id and without its ' +
            [
              secrets > 0 ? `${secrets} client secret(s)` : '',
              certificates > 0 ? `${certificates} certificate(s)` : '',
            ]
              .filter((part) => part !== '')
              .join(' and ') +
            ': secret values can never be read back, so re-issue them'
          );
        },
      },
    },
    // Policies assigned to applications (token lifetime also to service principals, app management
    // to both), each with the objects it applies to.
    appPolicyCollection('tokenLifetimePolicies'),
    appPolicyCollection('tokenIssuancePolicies'),
    appPolicyCollection('appManagementPolicies'),
  ],
  permissions: { read: ['Application.Read.All'], write: ['Application.ReadWrite.All'] },
  skipWhen: [],
  secretFields: [],
};
