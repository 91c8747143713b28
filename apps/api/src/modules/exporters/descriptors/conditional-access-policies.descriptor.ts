import type { Descriptor } from '../descriptor';
import type { RecycleBinSpec } from '../restore-spec';
import { odataString, RestorePhase } from './restore.shared';
import { TENANT_POLICY_COLLECTIONS } from './tenant-policies.shared';
import {
  type BrowseRelation,
  type BrowseSpec,
  type BrowseTarget,
  GROUP_TARGET,
  NAMED_LOCATION_TARGET,
  namedSpec,
  SERVICE_PRINCIPAL_TARGET,
  USER_TARGET,
} from '../browse-spec';

/**
 * Conditional Access policies and named locations are soft-deleted into their own bin
 * (`policyDeletableItem`, 30 days), documented in beta:
 * https://learn.microsoft.com/graph/api/conditionalaccesspolicy-restore?view=graph-rest-beta
 */
function conditionalAccessBin(kind: 'policies' | 'namedLocations'): RecycleBinSpec {
  return {
    version: 'beta',
    list: `/identity/conditionalAccess/deletedItems/${kind}`,
    restore: (id) => `/identity/conditionalAccess/deletedItems/${kind}/${id}/restore`,
  };
}

/**
 * Conditional Access policies with the named locations and authentication strengths they
 * reference. No delta query exists for these: every run lists them (they are few).
 */
function caRelation(
  key: string,
  label: string,
  path: string,
  target: BrowseTarget,
  byAltId = false,
): BrowseRelation {
  return {
    key,
    label,
    path,
    targets: [target],
    reverseLabel: 'Conditional Access policies',
    ...(byAltId ? { byAltId } : {}),
  };
}

const AUTHENTICATION_CONTEXT_TARGET: BrowseTarget = {
  type: 'conditionalAccessPolicies',
  collection: 'authenticationContextClassReferences',
};

const POLICIES_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Policy name', kind: 'text', value: 'displayName' },
    {
      key: 'state',
      label: 'State',
      kind: 'enum',
      value: 'state',
      filter: [
        { value: 'enabled', label: 'On' },
        { value: 'disabled', label: 'Off' },
        { value: 'enabledForReportingButNotEnforced', label: 'Report-only' },
      ],
    },
    { key: 'createdDateTime', label: 'Created', kind: 'date', value: 'createdDateTime' },
    { key: 'modifiedDateTime', label: 'Modified', kind: 'date', value: 'modifiedDateTime' },
  ],
  search: ['displayName'],
  relations: [
    caRelation('includeUsers', 'Included users', 'conditions.users.includeUsers', USER_TARGET),
    caRelation('excludeUsers', 'Excluded users', 'conditions.users.excludeUsers', USER_TARGET),
    caRelation('includeGroups', 'Included groups', 'conditions.users.includeGroups', GROUP_TARGET),
    caRelation('excludeGroups', 'Excluded groups', 'conditions.users.excludeGroups', GROUP_TARGET),
    caRelation(
      'includeApplications',
      'Included applications',
      'conditions.applications.includeApplications',
      SERVICE_PRINCIPAL_TARGET,
      true,
    ),
    caRelation(
      'excludeApplications',
      'Excluded applications',
      'conditions.applications.excludeApplications',
      SERVICE_PRINCIPAL_TARGET,
      true,
    ),
    caRelation(
      'includeLocations',
      'Included locations',
      'conditions.locations.includeLocations',
      NAMED_LOCATION_TARGET,
    ),
    caRelation(
      'excludeLocations',
      'Excluded locations',
      'conditions.locations.excludeLocations',
      NAMED_LOCATION_TARGET,
    ),
    caRelation(
      'includeAuthenticationContextClassReferences',
      'Authentication contexts',
      'conditions.applications.includeAuthenticationContextClassReferences',
      AUTHENTICATION_CONTEXT_TARGET,
    ),
  ],
};

const NAMED_LOCATIONS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Name', kind: 'text', value: 'displayName' },
    {
      key: 'locationType',
      label: 'Location type',
      kind: 'enum',
      value: (o) =>
        o['@odata.type'] === '#microsoft.graph.countryNamedLocation' ? 'Countries' : 'IP ranges',
    },
    { key: 'isTrusted', label: 'Trusted', kind: 'boolean', value: 'isTrusted' },
    { key: 'modifiedDateTime', label: 'Modified', kind: 'date', value: 'modifiedDateTime' },
  ],
  search: ['displayName'],
};

const AUTHENTICATION_CONTEXTS_BROWSE: BrowseSpec = {
  columns: [
    { key: 'displayName', label: 'Name', kind: 'text', value: 'displayName' },
    { key: 'id', label: 'ID', kind: 'text', value: 'id' },
    { key: 'description', label: 'Description', kind: 'text', value: 'description' },
    { key: 'isAvailable', label: 'Published to apps', kind: 'boolean', value: 'isAvailable' },
  ],
  search: ['displayName', 'description'],
};

const STRENGTHS_BROWSE: BrowseSpec = namedSpec([
  { key: 'policyType', label: 'Type', kind: 'enum', value: 'policyType' },
]);

export const conditionalAccessPoliciesDescriptor: Descriptor = {
  key: 'conditionalAccessPolicies',
  collections: [
    {
      name: 'policies',
      browse: POLICIES_BROWSE,
      version: 'v1.0',
      path: '/identity/conditionalAccess/policies',
      pageSize: 100,
      supportsTop: false,
      restore: {
        phase: RestorePhase.CONDITIONAL_ACCESS,
        createPath: '/identity/conditionalAccess/policies',
        itemPath: (id) => `/identity/conditionalAccess/policies/${id}`,
        // https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy
        readOnly: ['id', 'createdDateTime', 'deletedDateTime', 'modifiedDateTime', 'templateId'],
        recycleBin: conditionalAccessBin('policies'),
        // A policy that references objects the restore re-creates is written disabled, and enabled
        // as the last step, so a half-finished restore never locks anyone out.
        safeState: { property: 'state', value: 'disabled' },
        referencesIn: ['conditions', 'grantControls', 'sessionControls'],
        matchCreated: (body) =>
          typeof body['displayName'] === 'string'
            ? (candidate) => candidate['displayName'] === body['displayName']
            : null,
      },
    },
    {
      // Polymorphic (ipNamedLocation, countryNamedLocation): no $select, or subtype properties vanish.
      name: 'namedLocations',
      browse: NAMED_LOCATIONS_BROWSE,
      version: 'v1.0',
      path: '/identity/conditionalAccess/namedLocations',
      pageSize: 100,
      supportsTop: false,
      restore: {
        phase: RestorePhase.POLICY_OBJECTS,
        createPath: '/identity/conditionalAccess/namedLocations',
        itemPath: (id) => `/identity/conditionalAccess/namedLocations/${id}`,
        readOnly: ['id', 'createdDateTime', 'modifiedDateTime'],
        recycleBin: conditionalAccessBin('namedLocations'),
        findCreated: (body) =>
          typeof body['displayName'] === 'string'
            ? `displayName eq '${odataString(body['displayName'])}'`
            : null,
      },
    },
    {
      name: 'authenticationStrengthPolicies',
      browse: STRENGTHS_BROWSE,
      version: 'v1.0',
      path: '/policies/authenticationStrengthPolicies',
      pageSize: 100,
      supportsTop: false,
      restore: {
        phase: RestorePhase.POLICY_OBJECTS,
        createPath: '/policies/authenticationStrengthPolicies',
        itemPath: (id) => `/policies/authenticationStrengthPolicies/${id}`,
        // `allowedCombinations` cannot be patched (updateAllowedCombinations changes it):
        // https://learn.microsoft.com/graph/api/authenticationstrengthpolicy-update
        readOnly: ['id', 'createdDateTime', 'modifiedDateTime', 'policyType', 'requirementsSatisfied'],
        createOnly: ['allowedCombinations'],
        unwritable: (policy) =>
          policy['policyType'] === 'builtIn' ? 'Built-in authentication strengths cannot be changed' : null,
        findCreated: (body) =>
          typeof body['displayName'] === 'string'
            ? `displayName eq '${odataString(body['displayName'])}'`
            : null,
      },
    },
    {
      // Authentication contexts (ids `c1`..`c99`) that policies name in
      // `conditions.applications.includeAuthenticationContextClassReferences` and PIM in its
      // activation rules. The least-privileged permissions (AuthenticationContext.Read.All,
      // AuthenticationContext.ReadWrite.All) are covered by the type's Policy.Read.All and
      // Policy.ReadWrite.ConditionalAccess, which the docs list as higher privileged:
      // https://learn.microsoft.com/graph/api/conditionalaccessroot-list-authenticationcontextclassreferences
      name: 'authenticationContextClassReferences',
      browse: AUTHENTICATION_CONTEXTS_BROWSE,
      version: 'v1.0',
      path: '/identity/conditionalAccess/authenticationContextClassReferences',
      pageSize: 100,
      supportsTop: false,
      restore: {
        // Before the policies that name them.
        phase: RestorePhase.POLICY_OBJECTS,
        // PATCH creates the context under the given id when it is unused and updates it
        // otherwise: https://learn.microsoft.com/graph/api/authenticationcontextclassreference-update
        upsert: true,
        itemPath: (id) => `/identity/conditionalAccess/authenticationContextClassReferences/${id}`,
        readOnly: ['id'],
      },
    },
    ...TENANT_POLICY_COLLECTIONS,
  ],
  permissions: {
    // Policy.Read.All covers policies, named locations and authentication strengths.
    read: ['Policy.Read.All'],
    // Writing CA policies needs Policy.ReadWrite.ConditionalAccess together with Policy.Read.All:
    // https://learn.microsoft.com/graph/api/conditionalaccessroot-post-policies
    write: ['Policy.ReadWrite.ConditionalAccess', 'Policy.Read.All'],
  },
  skipWhen: [],
  secretFields: [],
};
