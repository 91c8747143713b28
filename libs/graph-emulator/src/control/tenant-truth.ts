import type { Json } from '../directory/object-collection';
import { extensionValuesOf } from '../graph/extension-values';
import { activeAssignmentSchedules } from '../directory/role-assignment-schedules';
import { directoryRolePolicies, directoryRolePolicyAssignments } from '../directory/role-management-policies';
import { groupPolicyState } from '../directory/group-policy-state';
import { TENANT_POLICY_IDS } from '../directory/generators/tenant-policies.generator';
import { userAuthenticationState } from '../directory/user-authentication-state';
import type { SoftDeletableCollection } from '../directory/soft-delete';
import { ODATA_TYPES, type TenantDirectory } from '../directory/tenant-directory';

export const TRUTH_COLLECTIONS = [
  'users',
  'authenticationMethods',
  'groups',
  'applications',
  'servicePrincipals',
  'devices',
  'administrativeUnits',
  'roleDefinitions',
  'roleAssignments',
  'roleEligibilitySchedules',
  'roleAssignmentSchedules',
  'roleManagementPolicies',
  'roleManagementPolicyAssignments',
  'oauth2PermissionGrants',
  'appRoleAssignments',
  'conditionalAccessPolicies',
  'namedLocations',
  'authenticationStrengthPolicies',
  'deviceConfigurations',
  'configurationPolicies',
  'deviceCompliancePolicies',
  'bitlockerRecoveryKeys',
  'authenticationContextClassReferences',
  'groupSettings',
  'groupSpecificSettings',
  'lifecyclePolicyGroups',
  'groupLifecyclePolicies',
  'claimsMappingPolicies',
  'homeRealmDiscoveryPolicies',
  'tokenIssuancePolicies',
  'tokenLifetimePolicies',
  'appManagementPolicies',
  'authorizationPolicy',
  'identitySecurityDefaultsEnforcementPolicy',
  'authenticationMethodsPolicy',
  'crossTenantAccessPolicy',
  'crossTenantAccessPolicyDefault',
  'crossTenantAccessPolicyPartners',
  'adminConsentRequestPolicy',
  'permissionGrantPolicies',
  'defaultAppManagementPolicy',
  'signIns',
  'directoryAudits',
  'deletedItems',
] as const;
export type TruthCollection = (typeof TRUTH_COLLECTIONS)[number];

/** Entity type of each recycle bin's objects (named locations keep their own subtype). */
const DELETED_TYPES: Record<SoftDeletableCollection, string> = {
  users: '#microsoft.graph.user',
  groups: '#microsoft.graph.group',
  applications: '#microsoft.graph.application',
  servicePrincipals: '#microsoft.graph.servicePrincipal',
  administrativeUnits: '#microsoft.graph.administrativeUnit',
  conditionalAccessPolicies: '#microsoft.graph.conditionalAccessPolicy',
  namedLocations: '#microsoft.graph.namedLocation',
  roleDefinitions: '#microsoft.graph.unifiedRoleDefinition',
};

const ref = (t: TenantDirectory, id: string): Json => {
  const kind = t.kindOf(id);
  return { id, '@odata.type': kind ? ODATA_TYPES[kind] : '#microsoft.graph.directoryObject' };
};

/** Every object of a collection as the directory holds it now, relationships embedded, one JSON line each. */
export function* truthLines(t: TenantDirectory, name: TruthCollection): Generator<string> {
  const line = (obj: Json) => `${JSON.stringify(obj)}\n`;
  switch (name) {
    case 'signIns':
    case 'directoryAudits': {
      const log = name === 'signIns' ? t.signIns : t.directoryAudits;
      const now = t.clock.now();
      let cursor;
      do {
        const page = log.read({ from: now - t.retentionMs(), to: now }, cursor, 1000);
        for (const item of page.items) yield line(item);
        cursor = page.next;
      } while (cursor);
      return;
    }
    case 'roleAssignmentSchedules':
      // Graph's view: one schedule per active assignment (the tenant stores the time-limited ones only).
      for (const s of activeAssignmentSchedules(t)) yield line(s);
      return;
    case 'roleManagementPolicies':
      // Graph's view: one policy per role definition, with its rules.
      for (const { policy } of directoryRolePolicies(t)) yield line(policy);
      return;
    case 'roleManagementPolicyAssignments':
      for (const a of directoryRolePolicyAssignments(t)) yield line(a);
      return;
    case 'groupSpecificSettings': {
      // Each Microsoft 365 group's own settings, named after their group (Graph lists them per group).
      const groups = t.collection('groups');
      const settings = groupPolicyState(t).groupSettings;
      for (let p = 0; p < groups.positions; p++) {
        const group = groups.at(p);
        if (!group || !Array.isArray(group['groupTypes']) || !group['groupTypes'].includes('Unified'))
          continue;
        for (const s of settings.get(String(group['id'])) ?? []) yield line({ ...s, groupId: group['id'] });
      }
      return;
    }
    case 'lifecyclePolicyGroups': {
      // The groups each lifecycle policy set to "Selected" applies to, one line per policy and group.
      const selected = groupPolicyState(t).lifecycleGroups;
      for (const policy of t.collection('groupLifecyclePolicies').values()) {
        if (policy['managedGroupTypes'] !== 'Selected') continue;
        for (const groupId of selected)
          if (t.exists(groupId)) yield line({ policyId: policy['id'], groupId });
      }
      return;
    }
    case 'authenticationMethods': {
      // Each user's methods as Graph lists them, named after their user (Graph's ids repeat across users).
      const state = userAuthenticationState(t);
      const users = t.collection('users');
      for (let p = 0; p < users.positions; p++) {
        const user = users.at(p);
        if (!user) continue;
        const userId = String(user['id']);
        for (const method of state.methodsOf(userId)) yield line({ ...method, userId });
      }
      return;
    }
    case 'deletedItems':
      for (const d of t.deletedItems())
        yield line({ '@odata.type': DELETED_TYPES[d.collection], ...d.object });
      return;
    default:
      break;
  }
  const c = t.collection(name);
  for (let p = 0; p < c.positions; p++) {
    const obj = c.at(p);
    if (!obj) continue;
    const id = String(obj['id']);
    switch (name) {
      case 'users': {
        const manager = t.manager(id);
        obj['manager'] = manager ? ref(t, manager) : null;
        Object.assign(obj, extensionValuesOf(t, 'users', obj));
        obj['sponsors'] = userAuthenticationState(t)
          .sponsorsOf(id)
          .map((s) => ref(t, s));
        break;
      }
      case 'groups':
        Object.assign(obj, extensionValuesOf(t, 'groups', obj));
        obj['members'] = t.related('members', 'groups', id).map((m) => ref(t, m));
        obj['owners'] = t.related('owners', 'groups', id).map((m) => ref(t, m));
        break;
      case 'applications':
        obj['owners'] = t.related('owners', 'applications', id).map((m) => ref(t, m));
        break;
      case 'servicePrincipals': {
        obj['owners'] = t.related('owners', 'servicePrincipals', id).map((m) => ref(t, m));
        const assignments = [...t.collection('appRoleAssignments').values()];
        obj['appRoleAssignments'] = assignments.filter((a) => a['principalId'] === id);
        obj['appRoleAssignedTo'] = assignments.filter((a) => a['resourceId'] === id);
        obj['oauth2PermissionGrants'] = [...t.collection('oauth2PermissionGrants').values()].filter(
          (g) => g['clientId'] === id,
        );
        // Classifications exist only on an API publishing delegated permissions users may consent to.
        const scopes = Array.isArray(obj['oauth2PermissionScopes'])
          ? (obj['oauth2PermissionScopes'] as Json[])
          : [];
        if (scopes.some((s) => s['type'] === 'User'))
          obj['delegatedPermissionClassifications'] = [
            ...t.collection('delegatedPermissionClassifications').values(),
          ]
            .filter((c) => c['servicePrincipalId'] === id)
            .map(({ servicePrincipalId: _sp, ...c }) => c);
        break;
      }
      case 'administrativeUnits':
        obj['members'] = t.related('members', 'administrativeUnits', id).map((m) => ref(t, m));
        obj['scopedRoleMembers'] = t.scopedRoleMembers(id);
        break;
      case 'claimsMappingPolicies':
      case 'homeRealmDiscoveryPolicies':
      case 'tokenIssuancePolicies':
      case 'tokenLifetimePolicies':
      case 'appManagementPolicies':
        // Stored as the ids the policy is assigned to; served as `appliesTo` without deleted objects.
        obj['appliesTo'] = ((obj['appliesTo'] as string[] | undefined) ?? [])
          .filter((target) => t.exists(target))
          .map((target) => ref(t, target));
        break;
      case 'authorizationPolicy':
      case 'identitySecurityDefaultsEnforcementPolicy':
      case 'authenticationMethodsPolicy':
      case 'crossTenantAccessPolicy':
      case 'crossTenantAccessPolicyDefault':
      case 'adminConsentRequestPolicy':
      case 'defaultAppManagementPolicy':
        // Keyed lower-cased by the directory, named as Graph serves it.
        obj['id'] = TENANT_POLICY_IDS[name];
        break;
      case 'bitlockerRecoveryKeys': {
        const ordinal = c.ordinalOf(id);
        if (ordinal !== undefined) obj['key'] = t.gen.bitlockerKeyValue(ordinal);
        break;
      }
      default:
        break;
    }
    yield line(obj);
  }
}
