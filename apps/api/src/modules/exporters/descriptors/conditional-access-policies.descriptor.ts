import type { Descriptor } from '../descriptor';

/**
 * Conditional Access policies with the named locations and authentication strengths they
 * reference. No delta query exists for these: every run lists them (they are few).
 */
export const conditionalAccessPoliciesDescriptor: Descriptor = {
  key: 'conditionalAccessPolicies',
  collections: [
    {
      name: 'policies',
      version: 'v1.0',
      path: '/identity/conditionalAccess/policies',
      pageSize: 100,
      supportsTop: false,
    },
    {
      // Polymorphic (ipNamedLocation, countryNamedLocation): no $select, or subtype properties vanish.
      name: 'namedLocations',
      version: 'v1.0',
      path: '/identity/conditionalAccess/namedLocations',
      pageSize: 100,
      supportsTop: false,
    },
    {
      name: 'authenticationStrengthPolicies',
      version: 'v1.0',
      path: '/policies/authenticationStrengthPolicies',
      pageSize: 100,
      supportsTop: false,
    },
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
