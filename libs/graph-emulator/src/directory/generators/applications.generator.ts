import { createHash } from 'node:crypto';
import { APP_NAME_PARTS, FIRST_PARTY_APPS, GRAPH_APP_ROLES } from '../catalog';
import type { Json } from '../object-collection';
import {
  APP_ID_CODE,
  APP_ROLE_CODE,
  ascii,
  type CollectionGenerator,
  DAY_MS,
  type GeneratorContext,
  iso,
  MISC_CODE,
} from './generator-context';

export const applicationsGenerator: CollectionGenerator = {
  count: (ctx) => Math.min(500, Math.max(5, Math.round(ctx.spec.users / 50))),
  generate: application,
};

/**
 * Apps registered since 2024 lock their service principals' sensitive properties by default:
 * https://learn.microsoft.com/entra/identity-platform/howto-configure-app-instance-property-locks
 */
export function appLock(): Json {
  return {
    isEnabled: true,
    allProperties: true,
    credentialsWithUsageVerify: null,
    credentialsWithUsageSign: null,
    tokenEncryptionKeyId: null,
  };
}

export function appId(ctx: GeneratorContext, appOrdinal: number): string {
  return ctx.guid(APP_ID_CODE, appOrdinal);
}

export function appHasRoles(appOrdinal: number): boolean {
  return appOrdinal % 4 === 1;
}

export function appRoles(ctx: GeneratorContext, appOrdinal: number): Json[] {
  if (!appHasRoles(appOrdinal)) return [];
  return ['Reader', 'Administrator'].map((value, i) => ({
    allowedMemberTypes: ['User'],
    description: `${value}s of the application`,
    displayName: value,
    id: ctx.guid(APP_ROLE_CODE, appOrdinal * 4 + i),
    isEnabled: true,
    origin: 'Application',
    value: `App.${value}`,
  }));
}

export function appName(appOrdinal: number): string {
  const prefix = APP_NAME_PARTS.prefix[appOrdinal % APP_NAME_PARTS.prefix.length]!;
  const suffix =
    APP_NAME_PARTS.suffix[
      Math.floor(appOrdinal / APP_NAME_PARTS.prefix.length) % APP_NAME_PARTS.suffix.length
    ]!;
  const round = Math.floor(appOrdinal / (APP_NAME_PARTS.prefix.length * APP_NAME_PARTS.suffix.length));
  return `${prefix} ${suffix}${round > 0 ? ` ${round + 1}` : ''}`;
}

export function application(ctx: GeneratorContext, ordinal: number): Json {
  const r = ctx.rng(3, ordinal);
  const name = appName(ordinal);
  const slug = ascii(name);
  const created = ctx.createdAt(3, ordinal, ctx.counts.applications);
  const graphRoles = ordinal % 3 === 0 ? [GRAPH_APP_ROLES[0]!, GRAPH_APP_ROLES[2]!] : [];
  return {
    id: ctx.id('applications', ordinal),
    addIns: [],
    appId: appId(ctx, ordinal),
    applicationTemplateId: null,
    appRoles: appRoles(ctx, ordinal),
    createdDateTime: iso(created),
    deletedDateTime: null,
    description: `${name} line-of-business application`,
    disabledByMicrosoftStatus: null,
    displayName: name,
    groupMembershipClaims: ordinal % 5 === 0 ? 'SecurityGroup' : null,
    identifierUris: ordinal % 2 === 0 ? [`api://${appId(ctx, ordinal)}`] : [],
    info: {
      logoUrl: null,
      marketingUrl: null,
      privacyStatementUrl: null,
      supportUrl: null,
      termsOfServiceUrl: null,
    },
    isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: null,
    keyCredentials: appCertificates(ctx, ordinal, slug, created),
    notes: null,
    publisherDomain: ctx.spec.domain,
    requiredResourceAccess: [
      {
        resourceAppId: FIRST_PARTY_APPS[0]!.appId,
        resourceAccess: [
          { id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' },
          ...graphRoles.map((role) => ({ id: role.id, type: 'Role' })),
        ],
      },
    ],
    passwordCredentials:
      ordinal % 2 === 0
        ? [
            {
              customKeyIdentifier: null,
              displayName: 'client secret',
              endDateTime: iso(created + 730 * DAY_MS),
              hint: r.hex(3),
              keyId: ctx.guid(MISC_CODE, 3_000_000 + ordinal),
              secretText: null,
              startDateTime: iso(created),
            },
          ]
        : [],
    publicClient: { redirectUris: [] },
    signInAudience: ordinal % 7 === 3 ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
    tags: [],
    tokenEncryptionKeyId: null,
    api: {
      acceptMappedClaims: null,
      knownClientApplications: [],
      oauth2PermissionScopes: [],
      preAuthorizedApplications: [],
      requestedAccessTokenVersion: 2,
    },
    web: {
      homePageUrl: `https://${slug}.${ctx.spec.domain.replace('.onmicrosoft.com', '')}.example`,
      logoutUrl: null,
      redirectUris: [
        `https://${slug}.${ctx.spec.domain.replace('.onmicrosoft.com', '')}.example/signin-oidc`,
      ],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
    },
    spa: { redirectUris: [] },
    certification: null,
    defaultRedirectUri: null,
    oauth2RequirePostResponse: false,
    optionalClaims: null,
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
    samlMetadataUrl: null,
    serviceManagementReference: null,
    servicePrincipalLockConfiguration: appLock(),
    uniqueName: null,
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

/**
 * Every third application signs in with a certificate. Graph keeps the public certificate (`key`,
 * Base64) and returns it only on a single-application read with `$select=keyCredentials`
 * (https://learn.microsoft.com/graph/api/resources/keycredential); the emulator stores it here and
 * nulls it everywhere else (see `certificate-keys.ts`).
 */
export function appCertificates(
  ctx: GeneratorContext,
  ordinal: number,
  slug: string,
  created: number,
): Json[] {
  if (ordinal % 3 !== 1) return [];
  const keyId = ctx.guid(MISC_CODE, 4_000_000 + ordinal);
  const key = Buffer.from(`-----certificate ${slug} ${keyId}-----`.repeat(3), 'utf8').toString('base64');
  return [
    {
      customKeyIdentifier: createHash('sha1').update(key).digest('hex').toUpperCase(),
      displayName: `CN=${slug}`,
      endDateTime: iso(created + 365 * DAY_MS),
      key,
      keyId,
      startDateTime: iso(created),
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
    },
  ];
}

export function applicationOwners(ctx: GeneratorContext, ordinal: number): string[] {
  const r = ctx.rng(3, ordinal, 2);
  const ids = new Set<string>();
  const count = 1 + r.int(2);
  for (let i = 0; i < count; i++) ids.add(ctx.id('users', r.int(ctx.counts.users)));
  return [...ids];
}
