import type { CollectionSpec } from '../descriptor';
import { type BrowseColumn, countOf, namedSpec } from '../browse-spec';
import type { CollectionRestore, GraphWrite } from '../restore-spec';
import { RestorePhase } from './restore.shared';

/**
 * Tenant-wide policies under `/policies`: secondary collections of the Conditional Access type,
 * whose Policy.Read.All reads all of them except the permission grant policies (below). Most are
 * one object per tenant (`singleton`): Graph has them in every tenant, so a restore updates them in
 * place and never creates or deletes one. Each collection declares its own least-privileged write
 * permission, so a restore that lacks it leaves that collection out and says why.
 */

/** What a singleton restore never does: it exists in every tenant from its creation. */
const TENANT_WIDE = 'A tenant-wide policy exists in every tenant: Microsoft Graph cannot create or delete it';

interface SingletonOptions {
  readonly name: string;
  readonly path: string;
  readonly write: string;
  readonly readOnly: readonly string[];
  /** How browse names the policy when Graph gives it no display name. */
  readonly label: string;
  readonly browse: readonly BrowseColumn[];
  readonly phase?: RestorePhase;
  readonly extraRestore?: Partial<CollectionRestore>;
  /** Extra read permission beyond the type's own. */
  readonly read?: readonly string[];
}

/** One tenant-wide policy object at a fixed path: read with one GET, updated in place. */
export function singletonPolicy(options: SingletonOptions): CollectionSpec {
  return {
    name: options.name,
    version: 'v1.0',
    path: options.path,
    singleton: true,
    pageSize: 1,
    supportsTop: false,
    permissions: { read: options.read ?? [], write: [options.write] },
    browse: {
      columns: [
        {
          key: 'name',
          label: 'Name',
          kind: 'text',
          value: (o) => (typeof o['displayName'] === 'string' ? o['displayName'] : options.label),
        },
        ...options.browse,
      ],
      search: ['displayName'],
    },
    restore: {
      phase: options.phase ?? RestorePhase.TENANT_POLICIES,
      cannotCreate: TENANT_WIDE,
      itemPath: () => options.path,
      readOnly: options.readOnly,
      // Into another tenant, the same policy there is brought to the snapshot's state.
      naturalKey: () => options.name,
      updateAdopted: true,
      ...options.extraRestore,
    },
  };
}

const AUTHORIZATION_POLICY = singletonPolicy({
  // https://learn.microsoft.com/graph/api/authorizationpolicy-get (Policy.Read.All);
  // https://learn.microsoft.com/graph/api/authorizationpolicy-update (Policy.ReadWrite.Authorization).
  // v1.0 holds the user consent setting in `defaultUserRolePermissions.permissionGrantPoliciesAssigned`.
  name: 'authorizationPolicy',
  label: 'Authorization policy',
  path: '/policies/authorizationPolicy',
  write: 'Policy.ReadWrite.Authorization',
  readOnly: ['id'],
  browse: [
    { key: 'allowInvitesFrom', label: 'Who can invite guests', kind: 'enum', value: 'allowInvitesFrom' },
    { key: 'guestUserRoleId', label: 'Guest user role', kind: 'text', value: 'guestUserRoleId' },
    {
      key: 'userConsent',
      label: 'User consent policies',
      kind: 'text',
      value: (o) => {
        const assigned = (o['defaultUserRolePermissions'] as Record<string, unknown> | undefined)?.[
          'permissionGrantPoliciesAssigned'
        ];
        return Array.isArray(assigned) ? assigned.join(', ') : null;
      },
    },
  ],
});

const SECURITY_DEFAULTS = singletonPolicy({
  // https://learn.microsoft.com/graph/api/identitysecuritydefaultsenforcementpolicy-update: only `isEnabled` is written.
  name: 'identitySecurityDefaultsEnforcementPolicy',
  label: 'Security defaults',
  path: '/policies/identitySecurityDefaultsEnforcementPolicy',
  write: 'Policy.ReadWrite.SecurityDefaults',
  readOnly: ['id', 'displayName', 'description'],
  browse: [{ key: 'isEnabled', label: 'Enabled', kind: 'boolean', value: 'isEnabled' }],
});

const METHODS_POLICY_PATH = '/policies/authenticationMethodsPolicy';

/** One method configuration (`fido2`, `microsoftAuthenticator`, ...) written back by its id. */
export function methodConfigurationWrite(item: Readonly<Record<string, unknown>>): GraphWrite {
  const { id, ...body } = item;
  // https://learn.microsoft.com/graph/api/authenticationmethodspolicy-update: configurations are
  // updated one by one, with their `@odata.type`.
  return {
    method: 'PATCH',
    path: `${METHODS_POLICY_PATH}/authenticationMethodConfigurations/${String(id)}`,
    body,
  };
}

const AUTHENTICATION_METHODS_POLICY = singletonPolicy({
  // GET returns the method configurations inline:
  // https://learn.microsoft.com/graph/api/authenticationmethodspolicy-get
  name: 'authenticationMethodsPolicy',
  label: 'Authentication methods policy',
  path: METHODS_POLICY_PATH,
  write: 'Policy.ReadWrite.AuthenticationMethod',
  readOnly: ['id', 'displayName', 'description', 'lastModifiedDateTime', 'policyVersion'],
  browse: [
    {
      key: 'methods',
      label: 'Methods enabled',
      kind: 'number',
      value: (o) =>
        Array.isArray(o['authenticationMethodConfigurations'])
          ? (o['authenticationMethodConfigurations'] as Array<Record<string, unknown>>).filter(
              (c) => c['state'] === 'enabled',
            ).length
          : null,
    },
    { key: 'lastModifiedDateTime', label: 'Modified', kind: 'date', value: 'lastModifiedDateTime' },
  ],
  extraRestore: {
    itemWriters: {
      authenticationMethodConfigurations: {
        key: 'id',
        write: (_policy, item) => methodConfigurationWrite(item),
      },
    },
  },
});

const CROSS_TENANT_PATH = '/policies/crossTenantAccessPolicy';
const CROSS_TENANT_WRITE = 'Policy.ReadWrite.CrossTenantAccess';

const CROSS_TENANT_POLICY = singletonPolicy({
  // https://learn.microsoft.com/graph/api/crosstenantaccesspolicy-update
  name: 'crossTenantAccessPolicy',
  label: 'Cross-tenant access policy',
  path: CROSS_TENANT_PATH,
  write: CROSS_TENANT_WRITE,
  readOnly: ['id'],
  browse: [
    {
      key: 'allowedCloudEndpoints',
      label: 'Other clouds',
      kind: 'number',
      value: countOf('allowedCloudEndpoints'),
    },
  ],
});

/**
 * The default configuration is an object of its own with its own path (`/default`, PATCHed, reset
 * with an action), not a property of the policy: kept as its own collection, as Graph serves it.
 * https://learn.microsoft.com/graph/api/crosstenantaccesspolicyconfigurationdefault-update
 */
const CROSS_TENANT_DEFAULT = singletonPolicy({
  name: 'crossTenantAccessPolicyDefault',
  label: 'Cross-tenant access default settings',
  path: `${CROSS_TENANT_PATH}/default`,
  write: CROSS_TENANT_WRITE,
  readOnly: ['id', 'isServiceDefault'],
  browse: [{ key: 'isServiceDefault', label: 'Service default', kind: 'boolean', value: 'isServiceDefault' }],
});

/**
 * Partner configurations are keyed by the partner's `tenantId` (no `id`): stored under it, and
 * written back with `POST /partners` and `PATCH`/`DELETE /partners/{tenantId}`.
 * https://learn.microsoft.com/graph/api/crosstenantaccesspolicy-post-partners
 */
const CROSS_TENANT_PARTNERS: CollectionSpec = {
  name: 'crossTenantAccessPolicyPartners',
  version: 'v1.0',
  path: `${CROSS_TENANT_PATH}/partners`,
  pageSize: 100,
  supportsTop: false,
  normalize: (partner) =>
    typeof partner['tenantId'] === 'string' ? { ...partner, id: partner['tenantId'] } : partner,
  permissions: { read: [], write: [CROSS_TENANT_WRITE] },
  browse: {
    columns: [
      { key: 'tenantId', label: 'Partner tenant', kind: 'text', value: 'tenantId' },
      { key: 'isServiceProvider', label: 'Service provider', kind: 'boolean', value: 'isServiceProvider' },
      {
        key: 'isInMultiTenantOrganization',
        label: 'In multitenant organization',
        kind: 'boolean',
        value: 'isInMultiTenantOrganization',
      },
    ],
    search: ['tenantId'],
  },
  restore: {
    phase: RestorePhase.TENANT_POLICIES,
    createPath: `${CROSS_TENANT_PATH}/partners`,
    itemPath: (tenantId) => `${CROSS_TENANT_PATH}/partners/${tenantId}`,
    // `id` is ours (the tenantId); `isInMultiTenantOrganization` is set by the multitenant organization.
    readOnly: ['id', 'isInMultiTenantOrganization'],
    createOnly: ['tenantId'],
    matchCreated: (body) => (candidate) => candidate['tenantId'] === body['tenantId'],
  },
};

const CONSENT_REQUEST_POLICY = singletonPolicy({
  // Updated with PUT, which replaces it: https://learn.microsoft.com/graph/api/adminconsentrequestpolicy-update
  name: 'adminConsentRequestPolicy',
  label: 'Admin consent request policy',
  path: '/policies/adminConsentRequestPolicy',
  write: 'Policy.ReadWrite.ConsentRequest',
  readOnly: ['id', 'version'],
  browse: [
    { key: 'isEnabled', label: 'Requests enabled', kind: 'boolean', value: 'isEnabled' },
    { key: 'reviewers', label: 'Reviewers', kind: 'number', value: countOf('reviewers') },
    {
      key: 'requestDurationInDays',
      label: 'Expires after (days)',
      kind: 'number',
      value: 'requestDurationInDays',
    },
  ],
  extraRestore: { replace: true, referencesIn: ['reviewers'] },
});

/** Adds a permission grant policy's condition sets, one POST each (Graph assigns their ids). */
function conditionSetWrites(kind: 'includes' | 'excludes') {
  return (policyId: string, value: unknown): GraphWrite[] =>
    (Array.isArray(value) ? (value as Array<Record<string, unknown>>) : []).map(({ id: _id, ...body }) => ({
      method: 'POST',
      path: `${PERMISSION_GRANT_PATH}/${policyId}/${kind}`,
      body,
    }));
}

const PERMISSION_GRANT_PATH = '/policies/permissionGrantPolicies';

/**
 * Permission grant (app consent) policies, with their `includes` and `excludes` condition sets,
 * which Graph expands on GET: https://learn.microsoft.com/graph/api/permissiongrantpolicy-list.
 * Policy.Read.All is not among the documented read permissions: the least privileged is
 * Policy.Read.PermissionGrant. The built-in policies (`microsoft-*`) cannot be written; a custom one
 * is created under its own id (https://learn.microsoft.com/graph/api/permissiongrantpolicy-post-permissiongrantpolicies)
 * and its condition sets added one by one
 * (https://learn.microsoft.com/graph/api/permissiongrantpolicy-post-includes).
 */
const PERMISSION_GRANT_POLICIES: CollectionSpec = {
  name: 'permissionGrantPolicies',
  version: 'v1.0',
  path: PERMISSION_GRANT_PATH,
  pageSize: 100,
  supportsTop: false,
  permissions: { read: ['Policy.Read.PermissionGrant'], write: ['Policy.ReadWrite.PermissionGrant'] },
  browse: namedSpec(
    [
      { key: 'id', label: 'ID', kind: 'text', value: 'id' },
      {
        key: 'builtIn',
        label: 'Built-in',
        kind: 'boolean',
        value: (o) => typeof o['id'] === 'string' && o['id'].startsWith('microsoft-'),
      },
      { key: 'includes', label: 'Included condition sets', kind: 'number', value: countOf('includes') },
      { key: 'excludes', label: 'Excluded condition sets', kind: 'number', value: countOf('excludes') },
    ],
    ['description'],
  ),
  restore: {
    // Before the authorization policy, which assigns them to the default user role.
    phase: RestorePhase.TENANT_POLICIES,
    createPath: PERMISSION_GRANT_PATH,
    itemPath: (id) => `${PERMISSION_GRANT_PATH}/${id}`,
    readOnly: ['id', 'deletedDateTime'],
    // Condition sets are added and removed one by one, by their own ids: a re-created policy gets
    // them back; changed ones on an existing policy are reported, not rewritten.
    createOnly: ['includes', 'excludes'],
    propertyWriters: { includes: conditionSetWrites('includes'), excludes: conditionSetWrites('excludes') },
    // The id is chosen by the creator and names the policy in the authorization policy's
    // `permissionGrantPoliciesAssigned` (`ManagePermissionGrantsForSelf.{id}`): kept.
    prepareCreate: (body, stored) => ({ id: stored['id'], ...body }),
    unwritable: (policy) =>
      typeof policy['id'] === 'string' && policy['id'].startsWith('microsoft-')
        ? 'Built-in permission grant policies cannot be changed'
        : null,
    matchCreated: (body) => (candidate) => candidate['id'] === body['id'],
  },
};

/** The Conditional Access type's tenant-wide policy collections, in restore order. */
export const TENANT_POLICY_COLLECTIONS: readonly CollectionSpec[] = [
  AUTHORIZATION_POLICY,
  SECURITY_DEFAULTS,
  AUTHENTICATION_METHODS_POLICY,
  CROSS_TENANT_POLICY,
  CROSS_TENANT_DEFAULT,
  CROSS_TENANT_PARTNERS,
  CONSENT_REQUEST_POLICY,
  PERMISSION_GRANT_POLICIES,
];

/**
 * The tenant's default app management policy (credential restrictions of every application and
 * service principal): a secondary collection of app registrations.
 * Read: Policy.Read.All (https://learn.microsoft.com/graph/api/tenantappmanagementpolicy-get);
 * write: Policy.ReadWrite.ApplicationConfiguration (https://learn.microsoft.com/graph/api/tenantappmanagementpolicy-update).
 */
export const DEFAULT_APP_MANAGEMENT_POLICY: CollectionSpec = singletonPolicy({
  name: 'defaultAppManagementPolicy',
  label: 'Default app management policy',
  path: '/policies/defaultAppManagementPolicy',
  read: ['Policy.Read.All'],
  write: 'Policy.ReadWrite.ApplicationConfiguration',
  readOnly: ['id'],
  phase: RestorePhase.APPLICATION_POLICIES,
  browse: [{ key: 'isEnabled', label: 'Enforced', kind: 'boolean', value: 'isEnabled' }],
});
