import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OBJECT_TYPE_KEYS, objectTypeLabel } from '@entra-backup/common';
import { allDescriptors, DESCRIPTORS, primaryCollectionName } from './registry';
import { USER_PROPERTIES } from './descriptors/users.descriptor';

/** Graph collection names the export files are named after (`<typeKey>.<collection>.jsonl`). */
const COLLECTIONS = {
  users: ['users', 'authenticationMethods'],
  groups: ['groups', 'settings', 'groupSettings', 'groupLifecyclePolicies', 'lifecyclePolicyGroups'],
  builtInRoles: [
    'roleDefinitions',
    'roleAssignments',
    'roleAssignmentSchedules',
    'roleEligibilitySchedules',
    'roleManagementPolicyAssignments',
    'roleManagementPolicies',
  ],
  customRoles: [
    'roleDefinitions',
    'roleAssignments',
    'roleAssignmentSchedules',
    'roleEligibilitySchedules',
    'roleManagementPolicyAssignments',
    'roleManagementPolicies',
  ],
  appRegistrations: [
    'applications',
    'tokenLifetimePolicies',
    'tokenIssuancePolicies',
    'appManagementPolicies',
    'defaultAppManagementPolicy',
  ],
  enterpriseApps: [
    'servicePrincipals',
    'oauth2PermissionGrants',
    'claimsMappingPolicies',
    'homeRealmDiscoveryPolicies',
  ],
  conditionalAccessPolicies: [
    'policies',
    'namedLocations',
    'authenticationStrengthPolicies',
    'authenticationContextClassReferences',
    'authorizationPolicy',
    'identitySecurityDefaultsEnforcementPolicy',
    'authenticationMethodsPolicy',
    'crossTenantAccessPolicy',
    'crossTenantAccessPolicyDefault',
    'crossTenantAccessPolicyPartners',
    'adminConsentRequestPolicy',
    'permissionGrantPolicies',
  ],
  devices: ['devices'],
  deviceConfigurations: ['deviceConfigurations', 'configurationPolicies'],
  deviceCompliancePolicies: ['deviceCompliancePolicies'],
  adminUnits: ['administrativeUnits'],
  signInLogs: ['signIns'],
  auditLogs: ['directoryAudits'],
  bitlockerKeys: ['recoveryKeys'],
};

describe('descriptor registry', () => {
  it('has one descriptor per object type, keyed by its own key, in portal order', () => {
    expect(allDescriptors().map((d) => d.key)).toEqual([...OBJECT_TYPE_KEYS]);
    for (const key of OBJECT_TYPE_KEYS) expect(DESCRIPTORS[key].key).toBe(key);
  });

  it.each(OBJECT_TYPE_KEYS.map((k) => [k]))(
    'names the collections of %s after Graph, the primary one first',
    (key) => {
      expect(DESCRIPTORS[key].collections.map((c) => c.name)).toEqual(COLLECTIONS[key]);
      expect(primaryCollectionName(key)).toBe(COLLECTIONS[key][0]);
    },
  );

  it.each(OBJECT_TYPE_KEYS.map((k) => [k]))(
    'lists the owners of each per-object collection of %s before it, in the same type',
    (key) => {
      const names = DESCRIPTORS[key].collections.map((c) => c.name);
      for (const [index, spec] of DESCRIPTORS[key].collections.entries()) {
        if (!spec.perObjectOf) continue;
        expect(names.slice(0, index)).toContain(spec.perObjectOf.collection);
      }
    },
  );

  it.each(OBJECT_TYPE_KEYS.map((k) => [k]))(
    "names every export file of %s in the README's list of what is backed up",
    (key) => {
      const readme = readFileSync(join(__dirname, '../../../../../README.md'), 'utf8');
      const section = readme.split('### What is backed up')[1]!.split('\n### ')[0]!;
      const row = section
        .split('\n')
        .find((line) => line.startsWith('| ') && line.split('|')[1]!.includes(objectTypeLabel(key)));
      expect(row).toBeDefined();
      for (const name of COLLECTIONS[key]) {
        if (name === primaryCollectionName(key)) expect(row).toContain(`\`${key}.jsonl\``);
        else expect(row).toMatch(new RegExp(`\`(${key}|\\*)?\\.${name}\\.jsonl\``));
      }
    },
  );

  it('selects every restorable user property but never a single-GET-only one (Graph answers 501)', () => {
    for (const property of [
      'accountEnabled',
      'userPrincipalName',
      'mailNickname',
      'usageLocation',
      'employeeId',
      'onPremisesImmutableId',
      'otherMails',
      'employeeOrgData',
      'authorizationInfo',
      'licenseAssignmentStates',
      'passwordProfile',
      'consentProvidedForMinor',
    ])
      expect(USER_PROPERTIES).toContain(property);
    for (const property of [
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
      'signInActivity',
      'employeeLeaveDateTime',
      'customSecurityAttributes',
    ])
      expect(USER_PROPERTIES).not.toContain(property);
  });

  it('tracks changes by delta only where Graph offers it', () => {
    const withDelta = allDescriptors().flatMap((d) =>
      d.collections.filter((c) => c.delta).map((c) => c.name),
    );
    expect(withDelta).toEqual([
      'users',
      'groups',
      'applications',
      'servicePrincipals',
      'devices',
      'administrativeUnits',
    ]);
  });

  it('reads the tenant-wide policies as single objects, and lists only partners and permission grant policies', () => {
    const singletons = allDescriptors().flatMap((d) =>
      d.collections.filter((c) => c.singleton).map((c) => c.name),
    );
    expect(singletons).toEqual([
      'defaultAppManagementPolicy',
      'authorizationPolicy',
      'identitySecurityDefaultsEnforcementPolicy',
      'authenticationMethodsPolicy',
      'crossTenantAccessPolicy',
      'crossTenantAccessPolicyDefault',
      'adminConsentRequestPolicy',
    ]);
    for (const name of singletons) {
      const spec = allDescriptors()
        .flatMap((d) => d.collections)
        .find((c) => c.name === name)!;
      // Updated in place, never created or deleted.
      expect(spec.restore?.createPath).toBeUndefined();
      expect(spec.restore?.cannotCreate).toMatch(/cannot create or delete/);
    }
  });

  it('declares the BitLocker key as a secret read by the hook, and no write permission for archive-only types', () => {
    expect(DESCRIPTORS.bitlockerKeys.secretFields).toEqual(['key']);
    expect(DESCRIPTORS.bitlockerKeys.hook).toBeDefined();
    for (const key of ['signInLogs', 'auditLogs', 'bitlockerKeys'] as const)
      expect(DESCRIPTORS[key].permissions.write).toEqual([]);
  });
});
