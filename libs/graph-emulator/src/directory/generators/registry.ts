import {
  appManagementPoliciesGenerator,
  claimsMappingPoliciesGenerator,
  homeRealmDiscoveryPoliciesGenerator,
  tokenIssuancePoliciesGenerator,
  tokenLifetimePoliciesGenerator,
} from './app-policies.generator';
import {
  adminConsentRequestPolicyGenerator,
  authenticationMethodsPolicyGenerator,
  authorizationPolicyGenerator,
  crossTenantAccessPolicyDefaultGenerator,
  crossTenantAccessPolicyGenerator,
  crossTenantAccessPolicyPartnersGenerator,
  defaultAppManagementPolicyGenerator,
  identitySecurityDefaultsEnforcementPolicyGenerator,
  permissionGrantPoliciesGenerator,
} from './tenant-policies.generator';
import { administrativeUnitsGenerator } from './administrative-units.generator';
import { appRoleAssignmentsGenerator } from './app-role-assignments.generator';
import { applicationsGenerator } from './applications.generator';
import { authenticationContextClassReferencesGenerator } from './authentication-context-class-references.generator';
import { authenticationStrengthPoliciesGenerator } from './authentication-strength-policies.generator';
import { bitlockerRecoveryKeysGenerator } from './bitlocker-recovery-keys.generator';
import { conditionalAccessPoliciesGenerator } from './conditional-access-policies.generator';
import { configurationPoliciesGenerator } from './configuration-policies.generator';
import { delegatedPermissionClassificationsGenerator } from './delegated-permission-classifications.generator';
import { deviceCompliancePoliciesGenerator } from './device-compliance-policies.generator';
import { deviceConfigurationsGenerator } from './device-configurations.generator';
import { devicesGenerator } from './devices.generator';
import type { CollectionGenerator, CollectionName } from './generator-context';
import { groupLifecyclePoliciesGenerator, groupSettingsGenerator } from './group-policies.generator';
import { groupsGenerator } from './groups.generator';
import { namedLocationsGenerator } from './named-locations.generator';
import { oauth2PermissionGrantsGenerator } from './oauth2-permission-grants.generator';
import { roleAssignmentSchedulesGenerator } from './role-assignment-schedules.generator';
import { roleAssignmentsGenerator } from './role-assignments.generator';
import { roleDefinitionsGenerator } from './role-definitions.generator';
import { roleManagementPolicyRulesGenerator } from './role-management-policy-rules.generator';
import { roleEligibilitySchedulesGenerator } from './role-eligibility-schedules.generator';
import { servicePrincipalsGenerator } from './service-principals.generator';
import { usersGenerator } from './users.generator';

/** One generator per collection: a collection without one does not compile. */
export const COLLECTION_GENERATORS: Readonly<Record<CollectionName, CollectionGenerator>> = {
  users: usersGenerator,
  groups: groupsGenerator,
  applications: applicationsGenerator,
  servicePrincipals: servicePrincipalsGenerator,
  devices: devicesGenerator,
  administrativeUnits: administrativeUnitsGenerator,
  roleDefinitions: roleDefinitionsGenerator,
  roleAssignments: roleAssignmentsGenerator,
  roleEligibilitySchedules: roleEligibilitySchedulesGenerator,
  appRoleAssignments: appRoleAssignmentsGenerator,
  oauth2PermissionGrants: oauth2PermissionGrantsGenerator,
  conditionalAccessPolicies: conditionalAccessPoliciesGenerator,
  namedLocations: namedLocationsGenerator,
  authenticationStrengthPolicies: authenticationStrengthPoliciesGenerator,
  deviceConfigurations: deviceConfigurationsGenerator,
  configurationPolicies: configurationPoliciesGenerator,
  deviceCompliancePolicies: deviceCompliancePoliciesGenerator,
  bitlockerRecoveryKeys: bitlockerRecoveryKeysGenerator,
  roleAssignmentSchedules: roleAssignmentSchedulesGenerator,
  authenticationContextClassReferences: authenticationContextClassReferencesGenerator,
  groupSettings: groupSettingsGenerator,
  groupLifecyclePolicies: groupLifecyclePoliciesGenerator,
  claimsMappingPolicies: claimsMappingPoliciesGenerator,
  homeRealmDiscoveryPolicies: homeRealmDiscoveryPoliciesGenerator,
  tokenIssuancePolicies: tokenIssuancePoliciesGenerator,
  tokenLifetimePolicies: tokenLifetimePoliciesGenerator,
  appManagementPolicies: appManagementPoliciesGenerator,
  authorizationPolicy: authorizationPolicyGenerator,
  identitySecurityDefaultsEnforcementPolicy: identitySecurityDefaultsEnforcementPolicyGenerator,
  authenticationMethodsPolicy: authenticationMethodsPolicyGenerator,
  crossTenantAccessPolicy: crossTenantAccessPolicyGenerator,
  crossTenantAccessPolicyDefault: crossTenantAccessPolicyDefaultGenerator,
  crossTenantAccessPolicyPartners: crossTenantAccessPolicyPartnersGenerator,
  adminConsentRequestPolicy: adminConsentRequestPolicyGenerator,
  permissionGrantPolicies: permissionGrantPoliciesGenerator,
  defaultAppManagementPolicy: defaultAppManagementPolicyGenerator,
  roleManagementPolicyRules: roleManagementPolicyRulesGenerator,
  delegatedPermissionClassifications: delegatedPermissionClassificationsGenerator,
};
