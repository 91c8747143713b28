import type { Json } from '../directory/object-collection';

/** How a Graph entity type is presented: default property set, navigation and select-only properties. */
export interface ResourceType {
  /** Entity name in messages and `$metadata` (`microsoft.graph.user`). */
  name: string;
  odataType: string;
  /** Resource name used in Request_UnsupportedQuery messages (`User`). */
  label: string;
  /** The documented default property set; all structural properties when absent. */
  defaultProperties?: readonly string[];
  /** Stored inline but returned only through `$expand` or a child path. */
  navigation?: readonly string[];
  /** Returned only when selected explicitly. */
  selectOnly?: readonly string[];
  /** Readable only on a single-object GET; selecting them on the collection is 501. */
  singleOnly?: readonly string[];
  /** Subtypes carry extra properties: `$select` is not validated against a fixed list. */
  polymorphic?: boolean;
  /** Properties only the beta endpoint knows; v1.0 answers 400 for them like for any unknown name. */
  betaOnly?: readonly string[];
}

/** Default properties of a user list: https://learn.microsoft.com/graph/api/user-list */
export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** User properties of the beta endpoint only: https://learn.microsoft.com/graph/api/resources/user?view=graph-rest-beta */
export const USER_BETA_ONLY = [
  'cloudRealtimeCommunicationInfo',
  'deviceKeys',
  'infoCatalogs',
  'isLicenseReconciliationNeeded',
  'isManagementRestricted',
  'onPremisesSipInfo',
  'refreshTokensValidFromDateTime',
] as const;

export const USER_SINGLE_ONLY = [
  'aboutMe',
  'birthday',
  'hireDate',
  'interests',
  'mySite',
  'pastProjects',
  'preferredName',
  'responsibilities',
  'schools',
  'skills',
  'mailboxSettings',
] as const;

function type(name: string, extra: Partial<ResourceType> = {}): ResourceType {
  return {
    name: `microsoft.graph.${name}`,
    odataType: `#microsoft.graph.${name}`,
    label: name.charAt(0).toUpperCase() + name.slice(1),
    ...extra,
  };
}

export const RESOURCE_TYPES = {
  user: type('user', {
    defaultProperties: USER_DEFAULT_PROPERTIES,
    selectOnly: ['signInActivity', 'assignedLicenses', 'lastPasswordChangeDateTime'],
    singleOnly: USER_SINGLE_ONLY,
    betaOnly: USER_BETA_ONLY,
  }),
  group: type('group'),
  application: type('application'),
  servicePrincipal: type('servicePrincipal'),
  device: type('device'),
  administrativeUnit: type('administrativeUnit'),
  unifiedRoleDefinition: type('unifiedRoleDefinition', { label: 'UnifiedRoleDefinition' }),
  unifiedRoleAssignment: type('unifiedRoleAssignment', {
    label: 'UnifiedRoleAssignment',
    navigation: ['principal', 'roleDefinition'],
  }),
  unifiedRoleEligibilitySchedule: type('unifiedRoleEligibilitySchedule', {
    label: 'UnifiedRoleEligibilitySchedule',
    navigation: ['principal', 'roleDefinition'],
  }),
  unifiedRoleAssignmentSchedule: type('unifiedRoleAssignmentSchedule', {
    label: 'UnifiedRoleAssignmentSchedule',
    navigation: ['principal', 'roleDefinition'],
  }),
  unifiedRoleManagementPolicy: type('unifiedRoleManagementPolicy', {
    label: 'UnifiedRoleManagementPolicy',
    navigation: ['rules', 'effectiveRules'],
  }),
  unifiedRoleManagementPolicyAssignment: type('unifiedRoleManagementPolicyAssignment', {
    label: 'UnifiedRoleManagementPolicyAssignment',
    navigation: ['policy'],
  }),
  unifiedRoleManagementPolicyRule: type('unifiedRoleManagementPolicyRule', {
    label: 'UnifiedRoleManagementPolicyRule',
    polymorphic: true,
  }),
  directoryRole: type('directoryRole'),
  appRoleAssignment: type('appRoleAssignment'),
  oAuth2PermissionGrant: type('oAuth2PermissionGrant', { label: 'OAuth2PermissionGrant' }),
  delegatedPermissionClassification: type('delegatedPermissionClassification', {
    label: 'DelegatedPermissionClassification',
  }),
  conditionalAccessPolicy: type('conditionalAccessPolicy'),
  namedLocation: type('namedLocation', { polymorphic: true }),
  authenticationStrengthPolicy: type('authenticationStrengthPolicy'),
  authenticationContextClassReference: type('authenticationContextClassReference'),
  authenticationMethod: type('authenticationMethod', { polymorphic: true }),
  groupSetting: type('groupSetting'),
  groupSettingTemplate: type('groupSettingTemplate'),
  groupLifecyclePolicy: type('groupLifecyclePolicy'),
  authorizationPolicy: type('authorizationPolicy'),
  identitySecurityDefaultsEnforcementPolicy: type('identitySecurityDefaultsEnforcementPolicy'),
  authenticationMethodsPolicy: type('authenticationMethodsPolicy'),
  authenticationMethodConfiguration: type('authenticationMethodConfiguration', { polymorphic: true }),
  crossTenantAccessPolicy: type('crossTenantAccessPolicy'),
  crossTenantAccessPolicyConfigurationDefault: type('crossTenantAccessPolicyConfigurationDefault'),
  crossTenantAccessPolicyConfigurationPartner: type('crossTenantAccessPolicyConfigurationPartner'),
  adminConsentRequestPolicy: type('adminConsentRequestPolicy'),
  permissionGrantPolicy: type('permissionGrantPolicy'),
  tenantAppManagementPolicy: type('tenantAppManagementPolicy'),
  deviceConfiguration: type('deviceConfiguration', { polymorphic: true, navigation: ['assignments'] }),
  deviceManagementConfigurationPolicy: type('deviceManagementConfigurationPolicy', {
    navigation: ['settings', 'assignments'],
  }),
  deviceCompliancePolicy: type('deviceCompliancePolicy', {
    polymorphic: true,
    navigation: ['assignments', 'scheduledActionsForRule'],
  }),
  bitlockerRecoveryKey: type('bitlockerRecoveryKey', { selectOnly: ['key'] }),
  scopedRoleMembership: type('scopedRoleMembership'),
  signIn: type('signIn'),
  directoryAudit: type('directoryAudit'),
  organization: type('organization'),
  directoryObject: type('directoryObject', { polymorphic: true }),
} satisfies Record<string, ResourceType>;

/** The default representation: documented default set, or every structural property. */
export function defaultView(obj: Json, t: ResourceType): Json {
  if (t.defaultProperties) {
    const out: Json = {};
    for (const p of t.defaultProperties) if (p in obj) out[p] = obj[p];
    return out;
  }
  const hidden = new Set([...(t.navigation ?? []), ...(t.selectOnly ?? []), ...(t.singleOnly ?? [])]);
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) if (!hidden.has(k)) out[k] = v;
  return out;
}
