import type { Json } from '../object-collection';
import type { CollectionGenerator, GeneratorContext } from './generator-context';

/**
 * Tenant-wide policies under `/policies`, one object each (partners and permission grant policies
 * are lists). The ids are Graph's own where it documents one (`authorizationPolicy`, the security
 * defaults' `00000000-0000-0000-0000-000000000005`); the admin consent request policy and the
 * cross-tenant default carry none in Graph's answers, so the emulator keys them internally under
 * the collection name and serves them without an id (see tenant-policies.routes.ts).
 */

/** Built-in role template ids: https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference */
export const GUEST_USER_ROLE_ID = '10dae51f-b6af-4016-8d66-8c2a99b929b3';
const RESTRICTED_GUEST_ROLE_ID = '2af84b1e-32c8-42b7-82bc-daa82404023b';
const GLOBAL_ADMINISTRATOR_ROLE_ID = '62e90394-69f5-4237-9190-012177145e10';

/**
 * The id each singleton is served under (Graph's own, or the emulator's key where Graph serves
 * none). The directory keys objects by lower-cased id, so a singleton is found under its lower-cased
 * key and served with this id (see tenant-policies.routes.ts).
 */
export const TENANT_POLICY_IDS = {
  authorizationPolicy: 'authorizationPolicy',
  identitySecurityDefaultsEnforcementPolicy: '00000000-0000-0000-0000-000000000005',
  authenticationMethodsPolicy: 'authenticationMethodsPolicy',
  crossTenantAccessPolicy: 'crossTenantAccessPolicy',
  crossTenantAccessPolicyDefault: 'crossTenantAccessPolicyDefault',
  adminConsentRequestPolicy: 'adminConsentRequestPolicy',
  defaultAppManagementPolicy: '00000000-0000-0000-0000-000000000000',
} as const;

const one = (generate: (ctx: GeneratorContext) => Json, id: string): CollectionGenerator => ({
  fixedIds: [id.toLowerCase()],
  count: () => 1,
  generate: (ctx) => generate(ctx),
});

/** https://learn.microsoft.com/graph/api/resources/authorizationpolicy */
export const authorizationPolicyGenerator = one((ctx) => {
  const rng = ctx.rng(60, 0);
  return {
    id: 'authorizationPolicy',
    displayName: 'Authorization Policy',
    description: 'Used to manage authorization related settings across the company.',
    allowInvitesFrom: rng.int(2) === 0 ? 'everyone' : 'adminsAndGuestInviters',
    allowedToSignUpEmailBasedSubscriptions: true,
    allowedToUseSSPR: true,
    allowEmailVerifiedUsersToJoinOrganization: false,
    allowUserConsentForRiskyApps: false,
    blockMsolPowerShell: ctx.spec.premium,
    guestUserRoleId: ctx.spec.premium ? RESTRICTED_GUEST_ROLE_ID : GUEST_USER_ROLE_ID,
    defaultUserRolePermissions: {
      allowedToCreateApps: rng.int(2) === 0,
      allowedToCreateSecurityGroups: true,
      allowedToCreateTenants: false,
      allowedToReadBitlockerKeysForOwnedDevice: true,
      allowedToReadOtherUsers: true,
      permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-low'],
    },
  };
}, 'authorizationPolicy');

/** https://learn.microsoft.com/graph/api/resources/identitysecuritydefaultsenforcementpolicy */
export const identitySecurityDefaultsEnforcementPolicyGenerator = one(
  (ctx) => ({
    id: '00000000-0000-0000-0000-000000000005',
    displayName: 'Security Defaults',
    description:
      'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization.',
    // Tenants that use Conditional Access (premium) have security defaults off.
    isEnabled: !ctx.spec.premium,
  }),
  '00000000-0000-0000-0000-000000000005',
);

/** Method configurations as GET returns them inline: https://learn.microsoft.com/graph/api/authenticationmethodspolicy-get */
function methodConfigurations(ctx: GeneratorContext): Json[] {
  const allUsers = [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }];
  return [
    {
      '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration',
      id: 'Fido2',
      state: ctx.spec.premium ? 'enabled' : 'disabled',
      isSelfServiceRegistrationAllowed: true,
      isAttestationEnforced: false,
      excludeTargets: [],
      keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] },
      includeTargets: allUsers,
    },
    {
      '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration',
      id: 'MicrosoftAuthenticator',
      state: 'enabled',
      isSoftwareOathEnabled: false,
      excludeTargets: [],
      includeTargets: [{ ...allUsers[0]!, authenticationMode: 'any' }],
    },
    {
      '@odata.type': '#microsoft.graph.smsAuthenticationMethodConfiguration',
      id: 'Sms',
      state: 'disabled',
      excludeTargets: [],
      includeTargets: [{ ...allUsers[0]!, isUsableForSignIn: true }],
    },
    {
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
      id: 'TemporaryAccessPass',
      state: 'enabled',
      defaultLifetimeInMinutes: 60,
      defaultLength: 8,
      minimumLifetimeInMinutes: 60,
      maximumLifetimeInMinutes: 480,
      isUsableOnce: false,
      excludeTargets: [],
      includeTargets: allUsers,
    },
  ];
}

/** https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy */
export const authenticationMethodsPolicyGenerator = one(
  (ctx) => ({
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    description:
      'The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings',
    lastModifiedDateTime: new Date(ctx.createdAt(62, 0, 1)).toISOString(),
    policyVersion: '1.5',
    policyMigrationState: 'migrationComplete',
    reconfirmationInDays: 0,
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        state: 'default',
        excludeTargets: [],
        includeTargets: [
          { id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' },
        ],
      },
    },
    authenticationMethodConfigurations: methodConfigurations(ctx),
  }),
  'authenticationMethodsPolicy',
);

/** https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicy (served without an id). */
export const crossTenantAccessPolicyGenerator = one(
  () => ({
    id: 'crossTenantAccessPolicy',
    displayName: 'CrossTenantAccessPolicy',
    allowedCloudEndpoints: [],
  }),
  'crossTenantAccessPolicy',
);

const allApplications = (accessType: 'allowed' | 'blocked'): Json => ({
  accessType,
  targets: [{ target: 'AllApplications', targetType: 'application' }],
});
const allUsersTarget = (accessType: 'allowed' | 'blocked'): Json => ({
  accessType,
  targets: [{ target: 'AllUsers', targetType: 'user' }],
});
const b2bSetting = (accessType: 'allowed' | 'blocked'): Json => ({
  usersAndGroups: allUsersTarget(accessType),
  applications: allApplications(accessType),
});

/** https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicyconfigurationdefault (served without an id). */
export const crossTenantAccessPolicyDefaultGenerator = one(
  () => ({
    id: 'crossTenantAccessPolicyDefault',
    isServiceDefault: true,
    inboundTrust: {
      isMfaAccepted: false,
      isCompliantDeviceAccepted: false,
      isHybridAzureADJoinedDeviceAccepted: false,
    },
    automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
    b2bCollaborationInbound: b2bSetting('allowed'),
    b2bCollaborationOutbound: b2bSetting('allowed'),
    b2bDirectConnectInbound: b2bSetting('blocked'),
    b2bDirectConnectOutbound: b2bSetting('blocked'),
    invitationRedemptionIdentityProviderConfiguration: {
      primaryIdentityProviderPrecedenceOrder: [
        'azureActiveDirectory',
        'externalFederation',
        'socialIdentityProviders',
      ],
      fallbackIdentityProvider: 'defaultConfiguredIdp',
    },
  }),
  'crossTenantAccessPolicyDefault',
);

/**
 * Two partner organizations, keyed by their tenant id (stored as `id`, served as `tenantId` only):
 * https://learn.microsoft.com/graph/api/resources/crosstenantaccesspolicyconfigurationpartner
 */
export const crossTenantAccessPolicyPartnersGenerator: CollectionGenerator = {
  count: () => 2,
  generate: (ctx, ordinal) => {
    const tenantId = ctx.id('crossTenantAccessPolicyPartners', ordinal);
    return {
      id: tenantId,
      tenantId,
      isServiceProvider: ordinal === 1,
      isInMultiTenantOrganization: false,
      inboundTrust: {
        isMfaAccepted: ordinal === 0,
        isCompliantDeviceAccepted: ordinal === 0,
        isHybridAzureADJoinedDeviceAccepted: false,
      },
      automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: ordinal === 0 },
      b2bCollaborationInbound: null,
      b2bCollaborationOutbound: null,
      b2bDirectConnectInbound: ordinal === 0 ? b2bSetting('allowed') : null,
      b2bDirectConnectOutbound: null,
      tenantRestrictions: null,
    };
  },
};

/** https://learn.microsoft.com/graph/api/resources/adminconsentrequestpolicy (served without an id). */
export const adminConsentRequestPolicyGenerator = one(
  (ctx) => ({
    id: 'adminConsentRequestPolicy',
    isEnabled: true,
    notifyReviewers: true,
    remindersEnabled: true,
    requestDurationInDays: 30,
    version: 0,
    reviewers: [
      { query: `/users/${ctx.id('users', 0)}`, queryType: 'MicrosoftGraph', queryRoot: null },
      {
        query: `/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${GLOBAL_ADMINISTRATOR_ROLE_ID}'`,
        queryType: 'MicrosoftGraph',
        queryRoot: null,
      },
    ],
  }),
  'adminConsentRequestPolicy',
);

/** A permission grant condition set: Graph's defaults (`all`, `any`) for what `overrides` leaves out. */
export const conditionSet = (id: string, overrides: Json = {}): Json => ({
  id,
  permissionClassification: 'all',
  permissionType: 'delegated',
  resourceApplication: 'any',
  permissions: ['all'],
  clientApplicationIds: ['all'],
  clientApplicationTenantIds: ['all'],
  clientApplicationPublisherIds: ['all'],
  clientApplicationsFromVerifiedPublisherOnly: false,
  certifiedClientApplicationsOnly: false,
  scopeSensitivityLabels: null,
  ...overrides,
});

/**
 * Built-in app consent policies (`microsoft-*`) and one custom policy, with their condition
 * sets expanded as GET returns them: https://learn.microsoft.com/graph/api/permissiongrantpolicy-list
 */
const BUILT_IN_GRANT_POLICIES = [
  {
    id: 'microsoft-user-default-low',
    displayName: 'Default policy for user consent (low impact permissions)',
    description: 'Includes delegated permissions classified as low impact.',
    includes: [{ permissionClassification: 'low', clientApplicationsFromVerifiedPublisherOnly: true }],
  },
  {
    id: 'microsoft-all-application-permissions',
    displayName: 'All application permissions, for any client app',
    description:
      'Includes all application permissions (app roles), for all APIs, for any client application.',
    includes: [{ permissionType: 'application' }],
  },
];

export const permissionGrantPoliciesGenerator: CollectionGenerator = {
  fixedIds: [...BUILT_IN_GRANT_POLICIES.map((p) => p.id), 'custom-verified-publishers'],
  count: () => BUILT_IN_GRANT_POLICIES.length + 1,
  generate: (ctx, ordinal) => {
    const builtIn = BUILT_IN_GRANT_POLICIES[ordinal];
    if (builtIn !== undefined)
      return {
        id: builtIn.id,
        displayName: builtIn.displayName,
        description: builtIn.description,
        includes: builtIn.includes.map((o, i) => conditionSet(ctx.guid(67, ordinal * 10 + i), o)),
        excludes: [],
      };
    return {
      id: 'custom-verified-publishers',
      displayName: 'Verified publishers, low impact',
      description:
        'Delegated low-impact permissions to apps of verified publishers, Microsoft Graph excluded.',
      includes: [
        conditionSet(ctx.guid(67, ordinal * 10), {
          permissionClassification: 'low',
          clientApplicationsFromVerifiedPublisherOnly: true,
        }),
      ],
      excludes: [
        conditionSet(ctx.guid(67, ordinal * 10 + 5), {
          resourceApplication: '00000003-0000-0000-c000-000000000000',
        }),
      ],
    };
  },
};

/** https://learn.microsoft.com/graph/api/resources/tenantappmanagementpolicy */
export const defaultAppManagementPolicyGenerator = one(
  (ctx) => ({
    id: '00000000-0000-0000-0000-000000000000',
    displayName: 'Default app management tenant policy',
    description:
      'Default tenant policy that enforces app management restrictions on applications and service principals.',
    isEnabled: ctx.spec.premium,
    applicationRestrictions: {
      passwordCredentials: [
        {
          restrictionType: 'passwordLifetime',
          state: 'enabled',
          maxLifetime: 'P365D',
          restrictForAppsCreatedAfterDateTime: '2024-01-01T00:00:00Z',
        },
      ],
      keyCredentials: [],
    },
    servicePrincipalRestrictions: { passwordCredentials: [], keyCredentials: [] },
  }),
  '00000000-0000-0000-0000-000000000000',
);
