import type { Descriptor } from '../descriptor';
import { deleteWrite, directoryRecycleBin, odataString, ownersLink, RestorePhase } from './restore.shared';
import { type BrowseSpec, DIRECTORY_TARGETS } from '../browse-spec';
import { appPolicyCollection } from './app-policies.shared';
import { DEFAULT_APP_MANAGEMENT_POLICY } from './tenant-policies.shared';

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

/** Certificates that can be uploaded again: those stored with their public certificate (`key`). */
export function uploadableCertificates(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (c): c is Record<string, unknown> =>
      typeof c === 'object' && c !== null && typeof (c as Record<string, unknown>)['key'] === 'string',
  );
}

/** `extension_{appId without dashes}_{name}` → `name`, the name an extension definition is created with. */
export function extensionShortName(name: unknown): string {
  return typeof name === 'string' ? name.replace(/^extension_[0-9a-f]{32}_/i, '') : '';
}

function pick(object: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((n) => object[n] !== undefined).map((n) => [n, object[n]]));
}

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
        // Workload identity federation (GitHub Actions, Kubernetes, other clouds): configuration
        // only, no secret. https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials
        {
          name: 'federatedIdentityCredentials',
          path: (id) => `/applications/${id}/federatedIdentityCredentials`,
        },
        // Directory extension definitions, named `extension_{appId without dashes}_{name}`:
        // https://learn.microsoft.com/graph/api/application-list-extensionproperty
        { name: 'extensionProperties', path: (id) => `/applications/${id}/extensionProperties` },
        // A certificate's public part (`key`) is null on lists and returned only on a single
        // application read with `$select=keyCredentials`:
        // https://learn.microsoft.com/graph/api/resources/keycredential
        {
          name: 'keyCredentials',
          path: (id) => `/applications/${id}`,
          select: ['keyCredentials'],
          singleObjectProperty: true,
          when: (app) => Array.isArray(app['keyCredentials']) && app['keyCredentials'].length > 0,
        },
      ],
      restore: {
        phase: RestorePhase.APPLICATIONS,
        createPath: '/applications',
        itemPath: (id) => `/applications/${id}`,
        // https://learn.microsoft.com/graph/api/resources/application. Secrets are never readable
        // (addPassword issues new ones); certificates are uploaded with PATCH (below).
        readOnly: [
          'id',
          'appId',
          'applicationTemplateId',
          'certification',
          'createdDateTime',
          'deletedDateTime',
          'disabledByMicrosoftStatus',
          'passwordCredentials',
          'publisherDomain',
          'verifiedPublisher',
        ],
        // The certificates, read with their public key, are written back with PATCH — allowed for
        // keyCredentials, while addKey needs a proof of possession signed with an existing key:
        // https://learn.microsoft.com/graph/api/application-update,
        // https://learn.microsoft.com/graph/api/application-addkey. A re-created application gets
        // them right after its creation; a certificate stored without its key is left out.
        childProperties: ['keyCredentials'],
        propertyWriters: {
          keyCredentials: (id, value) => ({
            method: 'PATCH',
            path: `/applications/${id}`,
            body: { keyCredentials: uploadableCertificates(value) },
          }),
        },
        // PATCH replaces the whole set: without every public key the set cannot be written back.
        unwritableProperties: {
          keyCredentials: (app) =>
            uploadableCertificates(app['keyCredentials']).length ===
            (Array.isArray(app['keyCredentials']) ? app['keyCredentials'].length : 0)
              ? null
              : 'certificates backed up without their public key cannot be uploaded again',
        },
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
          const withoutKey = certificates - uploadableCertificates(app['keyCredentials']).length;
          const lost = [
            secrets > 0 ? `${secrets} client secret(s)` : '',
            withoutKey > 0 ? `${withoutKey} certificate(s) backed up without their public key` : '',
          ].filter((part) => part !== '');
          if (lost.length === 0)
            return certificates > 0
              ? 'Re-created with a new application (client) id; its public certificates are uploaded again'
              : 'Re-created with a new application (client) id';
          return (
            'Re-created with a new application (client) id and without its ' +
            lost.join(' and ') +
            ': secret values can never be read back, so re-issue them' +
            (certificates > withoutKey ? '; its other public certificates are uploaded again' : '')
          );
        },
      },
      embeddedAssignments: [
        {
          relation: 'federatedIdentityCredentials',
          parentKey: 'applicationObjectId',
          phase: RestorePhase.APPLICATION_LINKS,
          assignment: {
            key: ['applicationObjectId', 'name'],
            principal: 'applicationObjectId',
            // https://learn.microsoft.com/graph/api/application-post-federatedidentitycredentials
            add: (credential) => ({
              method: 'POST',
              path: `/applications/${String(credential['applicationObjectId'])}/federatedIdentityCredentials`,
              body: pick(credential, ['name', 'issuer', 'subject', 'audiences', 'description']),
            }),
            remove: (credential) =>
              deleteWrite(
                `/applications/${String(credential['applicationObjectId'])}/federatedIdentityCredentials/${String(credential['id'])}`,
              ),
          },
        },
        {
          relation: 'extensionProperties',
          parentKey: 'applicationObjectId',
          phase: RestorePhase.APPLICATION_LINKS,
          assignment: {
            // A re-created application defines `extension_{its new appId}_{name}`: created from the
            // short name (its parent is re-created, so it is added whatever the full name).
            key: ['applicationObjectId', 'name'],
            principal: 'applicationObjectId',
            // https://learn.microsoft.com/graph/api/application-post-extensionproperty
            add: (extension) => ({
              method: 'POST',
              path: `/applications/${String(extension['applicationObjectId'])}/extensionProperties`,
              body: {
                name: extensionShortName(extension['name']),
                dataType: extension['dataType'],
                targetObjects: extension['targetObjects'],
                isMultiValued: extension['isMultiValued'] === true,
              },
            }),
            remove: (extension) =>
              deleteWrite(
                `/applications/${String(extension['applicationObjectId'])}/extensionProperties/${String(extension['id'])}`,
              ),
          },
        },
      ],
    },
    // Policies assigned to applications (token lifetime also to service principals, app management
    // to both), each with the objects it applies to.
    appPolicyCollection('tokenLifetimePolicies'),
    appPolicyCollection('tokenIssuancePolicies'),
    appPolicyCollection('appManagementPolicies'),
    DEFAULT_APP_MANAGEMENT_POLICY,
  ],
  permissions: { read: ['Application.Read.All'], write: ['Application.ReadWrite.All'] },
  skipWhen: [],
  secretFields: [],
};
