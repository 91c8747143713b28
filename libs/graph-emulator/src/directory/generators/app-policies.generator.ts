import { FIRST_PARTY_APPS } from '../catalog';
import { type CollectionGenerator, type GeneratorContext, iso } from './generator-context';

/**
 * One policy of each kind per tenant, applied to a few generated applications and their service
 * principals. `appliesTo` is stored inline as the ids the policy is assigned to (a navigation
 * property: served only through `GET /policies/{kind}/{id}/appliesTo`).
 */
const application = (ctx: GeneratorContext, ordinal: number): string[] =>
  ordinal < ctx.counts.applications ? [ctx.id('applications', ordinal)] : [];

/** The service principal of a generated application (first-party ones come first). */
const enterpriseApp = (ctx: GeneratorContext, ordinal: number): string[] =>
  ordinal < ctx.counts.applications ? [ctx.id('servicePrincipals', FIRST_PARTY_APPS.length + ordinal)] : [];

function created(ctx: GeneratorContext, code: number, ordinal: number): string {
  return iso(ctx.createdAt(code, ordinal, 1));
}

/** Adds `employeeid` and the tenant country to the tokens of one enterprise app (SAML SSO). */
export const claimsMappingPoliciesGenerator: CollectionGenerator = {
  count: () => 1,
  generate: (ctx, ordinal) => ({
    id: ctx.id('claimsMappingPolicies', ordinal),
    deletedDateTime: null,
    definition: [
      JSON.stringify({
        ClaimsMappingPolicy: {
          Version: 1,
          IncludeBasicClaimSet: 'true',
          ClaimsSchema: [
            {
              Source: 'user',
              ID: 'employeeid',
              SamlClaimType: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid',
              JwtClaimType: 'employeeid',
            },
            {
              Source: 'company',
              ID: 'tenantcountry',
              SamlClaimType: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/country',
              JwtClaimType: 'country',
            },
          ],
        },
      }),
    ],
    description: 'Adds employee id and country claims',
    displayName: 'Employee id claims',
    isOrganizationDefault: false,
    appliesTo: enterpriseApp(ctx, 0),
  }),
};

/** Sends users of the federated domain straight to their identity provider, for one enterprise app. */
export const homeRealmDiscoveryPoliciesGenerator: CollectionGenerator = {
  count: () => 1,
  generate: (ctx, ordinal) => ({
    id: ctx.id('homeRealmDiscoveryPolicies', ordinal),
    deletedDateTime: null,
    definition: [
      JSON.stringify({
        HomeRealmDiscoveryPolicy: {
          AccelerateToFederatedDomain: true,
          PreferredDomain: `corp.${ctx.spec.domain}`,
          AllowCloudPasswordValidation: false,
        },
      }),
    ],
    description: 'Accelerate to the federated domain',
    displayName: 'Federated sign-in acceleration',
    isOrganizationDefault: false,
    appliesTo: enterpriseApp(ctx, 1),
  }),
};

/** SAML token signing of one application. */
export const tokenIssuancePoliciesGenerator: CollectionGenerator = {
  count: () => 1,
  generate: (ctx, ordinal) => ({
    id: ctx.id('tokenIssuancePolicies', ordinal),
    deletedDateTime: null,
    definition: [
      JSON.stringify({
        TokenIssuancePolicy: {
          Version: 1,
          SigningAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
          TokenResponseSigningPolicy: 'TokenOnly',
          SamlTokenVersion: '2.0',
        },
      }),
    ],
    description: 'Sign SAML tokens with SHA-256',
    displayName: 'SAML token signing',
    isOrganizationDefault: false,
    appliesTo: application(ctx, 2),
  }),
};

/** Four-hour access tokens for one application. */
export const tokenLifetimePoliciesGenerator: CollectionGenerator = {
  count: () => 1,
  generate: (ctx, ordinal) => ({
    id: ctx.id('tokenLifetimePolicies', ordinal),
    deletedDateTime: null,
    definition: [JSON.stringify({ TokenLifetimePolicy: { Version: 1, AccessTokenLifetime: '4:00:00' } })],
    description: 'Four-hour access tokens',
    displayName: 'Long-running jobs',
    isOrganizationDefault: false,
    appliesTo: application(ctx, 0),
  }),
};

/** Client secrets of one application may live at most 90 days. */
export const appManagementPoliciesGenerator: CollectionGenerator = {
  count: () => 1,
  generate: (ctx, ordinal) => ({
    id: ctx.id('appManagementPolicies', ordinal),
    description: 'Client secrets expire within 90 days',
    displayName: 'Short-lived client secrets',
    isEnabled: true,
    restrictions: {
      passwordCredentials: [
        {
          restrictionType: 'passwordLifetime',
          state: 'enabled',
          maxLifetime: 'P90D',
          restrictForAppsCreatedAfterDateTime: created(ctx, 49, ordinal),
        },
      ],
      keyCredentials: [],
    },
    appliesTo: application(ctx, 1),
  }),
};
