import { DEPARTMENTS, FIRST_NAMES, JOB_TITLES, LAST_NAMES, LOCATIONS } from '../catalog';
import type { Json } from '../object-collection';
import { hash32, pickBy } from '../prng';
import { type CollectionGenerator, DAY_MS, type GeneratorContext, iso, MISC_CODE } from './generator-context';

const NAME_SPACE = FIRST_NAMES.length * LAST_NAMES.length;
const NAME_STEP = 7919;
const NAME_STEP_INVERSE = (() => {
  for (let x = 1; x < NAME_SPACE; x++) if ((NAME_STEP * x) % NAME_SPACE === 1) return x;
  throw new Error('name permutation has no inverse');
})();
export const DEPARTMENT_COUNT = DEPARTMENTS.length;

export const usersGenerator: CollectionGenerator = {
  count: (ctx) => ctx.spec.users,
  generate: user,
};

/** The (first, last, suffix) a user ordinal is named after; invertible for UPN lookups. */
export function nameParts(ordinal: number): { first: string; last: string; suffix: number } {
  const round = Math.floor(ordinal / NAME_SPACE);
  const r = ordinal % NAME_SPACE;
  const permuted = (r * NAME_STEP) % NAME_SPACE;
  return {
    first: FIRST_NAMES[permuted % FIRST_NAMES.length]!,
    last: LAST_NAMES[Math.floor(permuted / FIRST_NAMES.length)]!,
    suffix: round,
  };
}

export function isGuest(ordinal: number): boolean {
  return ordinal >= 20 && ordinal % 97 === 50;
}

function userLocalPart(ordinal: number): string {
  const { first, last, suffix } = nameParts(ordinal);
  return `${first}.${last}${suffix > 0 ? suffix : ''}`.toLowerCase();
}

export function userPrincipalName(ctx: GeneratorContext, ordinal: number): string {
  if (isGuest(ordinal)) return `${userLocalPart(ordinal)}_partner.example.com#EXT#@${ctx.spec.domain}`;
  return `${userLocalPart(ordinal)}@${ctx.spec.domain}`;
}

/** Inverse of userPrincipalName for generated users. */
export function userOrdinalByUpn(ctx: GeneratorContext, upn: string): number | undefined {
  const lower = upn.toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0 || lower.slice(at + 1) !== ctx.spec.domain) return undefined;
  let local = lower.slice(0, at);
  if (local.endsWith('_partner.example.com#ext#'))
    local = local.slice(0, -'_partner.example.com#ext#'.length);
  const match = /^([a-z]+)\.([a-z]+)(\d*)$/.exec(local);
  if (!match) return undefined;
  const fi = FIRST_NAMES.findIndex((f) => f.toLowerCase() === match[1]);
  const li = LAST_NAMES.findIndex((l) => l.toLowerCase() === match[2]);
  if (fi < 0 || li < 0) return undefined;
  const suffix = match[3] ? Number(match[3]) : 0;
  const permuted = li * FIRST_NAMES.length + fi;
  const r = (permuted * NAME_STEP_INVERSE) % NAME_SPACE;
  const ordinal = suffix * NAME_SPACE + r;
  if (ordinal >= ctx.counts.users) return undefined;
  return userPrincipalName(ctx, ordinal).toLowerCase() === lower ? ordinal : undefined;
}

export function userDepartmentIndex(ordinal: number): number {
  return ordinal % DEPARTMENT_COUNT;
}

export function userEnabled(ctx: GeneratorContext, ordinal: number): boolean {
  return ordinal < 20 || hash32(ctx.seed, ctx.spec.index, 1, ordinal, 5) % 40 !== 0;
}

/** Manager tree with fan-out 8: a manager always has a lower ordinal, so there is never a cycle. */
export function managerOrdinal(ordinal: number): number | undefined {
  if (ordinal === 0 || isGuest(ordinal)) return undefined;
  let m = Math.floor((ordinal - 1) / 8);
  while (isGuest(m)) m = Math.floor((m - 1) / 8);
  return m;
}

export function user(ctx: GeneratorContext, ordinal: number): Json {
  const r = ctx.rng(1, ordinal);
  const { first, last } = nameParts(ordinal);
  const dept = DEPARTMENTS[userDepartmentIndex(ordinal)]!;
  const loc = pickBy(LOCATIONS, hash32(ctx.seed, ctx.spec.index, 1, ordinal, 9));
  const guest = isGuest(ordinal);
  const upn = userPrincipalName(ctx, ordinal);
  const mail = guest ? `${userLocalPart(ordinal)}@partner.example.com` : upn;
  const created = ctx.createdAt(1, ordinal, ctx.counts.users);
  const synced = !guest && ordinal % 4 === 1;
  const id = ctx.id('users', ordinal);
  const sam = `${first.slice(0, 1)}${last}${ordinal}`.toLowerCase().slice(0, 20);
  const nick = userLocalPart(ordinal).replace('.', '');
  const phoneSuffix = String(100 + (ordinal % 900));
  return {
    id,
    accountEnabled: userEnabled(ctx, ordinal),
    ageGroup: null,
    assignedLicenses: guest
      ? []
      : [
          {
            disabledPlans: [],
            skuId: userSkuId(ctx),
          },
        ],
    assignedPlans: guest
      ? []
      : userPlans(ctx, created).map(([service, servicePlanId, assignedDateTime]) => ({
          assignedDateTime,
          capabilityStatus: 'Enabled',
          service,
          servicePlanId,
        })),
    authorizationInfo: { certificateUserIds: [] },
    businessPhones: guest ? [] : [`${loc.phone}${phoneSuffix}`],
    city: guest ? null : loc.city,
    cloudRealtimeCommunicationInfo: { isSipEnabled: null },
    companyName: guest ? 'Partner Ltd' : ctx.spec.displayName,
    consentProvidedForMinor: null,
    country: guest ? null : loc.country,
    createdDateTime: iso(created),
    creationType: guest ? 'Invitation' : null,
    deletedDateTime: null,
    department: guest ? null : dept,
    deviceKeys: [],
    displayName: `${first} ${last}`,
    employeeHireDate: guest ? null : iso(created - 7 * DAY_MS),
    employeeId: guest ? null : `E${100000 + ordinal}`,
    employeeLeaveDateTime: null,
    employeeOrgData: synced ? { costCenter: `CC-${1000 + (ordinal % 97)}`, division: dept } : null,
    employeeType: guest ? null : r.chance(0.9) ? 'Employee' : 'Contractor',
    externalUserState: guest ? 'Accepted' : null,
    externalUserStateChangeDateTime: guest ? iso(created + DAY_MS) : null,
    faxNumber: null,
    givenName: first,
    identities: [
      guest
        ? { signInType: 'userPrincipalName', issuer: 'ExternalAzureAD', issuerAssignedId: mail }
        : { signInType: 'userPrincipalName', issuer: ctx.spec.domain, issuerAssignedId: upn },
    ],
    imAddresses: guest ? [] : [upn],
    infoCatalogs: [],
    isLicenseReconciliationNeeded: false,
    isManagementRestricted: null,
    isResourceAccount: null,
    jobTitle: guest ? null : r.pick(JOB_TITLES[dept]),
    lastPasswordChangeDateTime: iso(ctx.epoch - (1 + r.int(180)) * DAY_MS),
    legalAgeGroupClassification: null,
    licenseAssignmentStates: guest
      ? []
      : [
          {
            assignedByGroup: null,
            disabledPlans: [],
            error: 'None',
            lastUpdatedDateTime: iso(created),
            skuId: userSkuId(ctx),
            state: 'Active',
          },
        ],
    mail,
    mailNickname: guest ? `${nick}_partner.example.com#EXT#` : nick,
    mobilePhone: guest || r.chance(0.4) ? null : `${loc.phone}${String(200 + (ordinal % 700))}`,
    officeLocation: guest ? null : `${loc.city}/${10 + (ordinal % 40)}`,
    onPremisesDistinguishedName: synced
      ? `CN=${first} ${last},OU=${dept},DC=${ctx.onPremDomain.split('.').join(',DC=')}`
      : null,
    onPremisesDomainName: synced ? ctx.onPremDomain : null,
    onPremisesExtensionAttributes: {
      extensionAttribute1: synced ? `CC-${1000 + (ordinal % 97)}` : null,
      extensionAttribute2: null,
      extensionAttribute3: null,
      extensionAttribute4: null,
      extensionAttribute5: null,
      extensionAttribute6: null,
      extensionAttribute7: null,
      extensionAttribute8: null,
      extensionAttribute9: null,
      extensionAttribute10: null,
      extensionAttribute11: null,
      extensionAttribute12: null,
      extensionAttribute13: null,
      extensionAttribute14: null,
      extensionAttribute15: null,
    },
    onPremisesImmutableId: synced
      ? Buffer.from(ctx.guid(MISC_CODE, ordinal).replace(/-/g, ''), 'hex').toString('base64')
      : null,
    onPremisesLastSyncDateTime: synced ? iso(ctx.epoch - (1 + r.int(3)) * 3_600_000) : null,
    onPremisesProvisioningErrors: [],
    onPremisesSamAccountName: synced ? sam : null,
    onPremisesSecurityIdentifier: synced ? `${ctx.domainSid}-${1100 + ordinal}` : null,
    onPremisesSipInfo: { isSipEnabled: false, sipDeploymentLocation: null, sipPrimaryAddress: null },
    onPremisesSyncEnabled: synced ? true : null,
    onPremisesUserPrincipalName: synced ? `${sam}@${ctx.onPremDomain}` : null,
    otherMails: guest ? [mail] : r.chance(0.3) ? [`${userLocalPart(ordinal)}@outlook.com`] : [],
    passwordPolicies: r.chance(0.1) ? 'DisablePasswordExpiration' : null,
    // Graph never returns the password; cloud accounts show the sign-in flags, synced and guest accounts null.
    passwordProfile:
      guest || synced
        ? null
        : {
            forceChangePasswordNextSignIn: false,
            forceChangePasswordNextSignInWithMfa: false,
            password: null,
          },
    postalCode: guest ? null : loc.postalCode,
    preferredDataLocation: null,
    preferredLanguage: guest
      ? null
      : loc.usageLocation === 'DE'
        ? 'de-DE'
        : loc.usageLocation === 'FR'
          ? 'fr-FR'
          : 'en-US',
    provisionedPlans: guest
      ? []
      : userPlans(ctx, created).map(([service]) => ({
          capabilityStatus: 'Enabled',
          provisioningStatus: 'Success',
          service,
        })),
    proxyAddresses: guest
      ? []
      : [
          `SMTP:${upn}`,
          `smtp:${nick}@${ctx.spec.domain.replace('.onmicrosoft.com', '')}.mail.onmicrosoft.com`,
        ],
    refreshTokensValidFromDateTime: iso(created),
    securityIdentifier: `S-1-12-1-${r.int(0x7fffffff)}-${r.int(0x7fffffff)}-${r.int(0x7fffffff)}-${r.int(0x7fffffff)}`,
    serviceProvisioningErrors: [],
    showInAddressList: null,
    signInSessionsValidFromDateTime: iso(created),
    state: guest ? null : loc.state,
    streetAddress: guest ? null : loc.street,
    surname: last,
    usageLocation: guest ? null : loc.usageLocation,
    userPrincipalName: upn,
    userType: guest ? 'Guest' : 'Member',
  };
}

/** Entra ID P1 (AAD_PREMIUM) in premium tenants, Office 365 E3 (ENTERPRISEPACK) otherwise. */
export function userSkuId(ctx: GeneratorContext): string {
  return ctx.spec.premium ? '078d2b04-f1bd-4111-bbd4-b4b1b354cef4' : '6fd2c87f-b296-42f0-b197-1e91e994b900';
}

/** Service plans of the licence (service, servicePlanId, assignedDateTime), built per call: no shared mutable state. */
function userPlans(ctx: GeneratorContext, created: number): [string, string, string][] {
  const at = iso(created);
  return ctx.spec.premium
    ? [
        ['AADPremiumService', '41781fb2-bc02-4b7c-bd55-b576c07bb09d', at],
        ['MultiFactorService', '8a256a2b-b617-496d-b51b-e76466e88db0', at],
      ]
    : [
        ['exchange', 'efb87545-963c-4e0d-99df-69c6916d9eb0', at],
        ['SharePoint', '5dbe027f-2339-4123-9542-606e4d348a72', at],
        ['TeamspaceAPI', '57ff2da0-773e-42df-b2af-ffb7a2317929', at],
      ];
}

/** Properties Graph returns only on a single-user GET (they live outside the directory). */
export function userProfileExtras(ctx: GeneratorContext, ordinal: number): Json {
  const { first } = nameParts(ordinal);
  const r = ctx.rng(1, ordinal, 3);
  return {
    aboutMe: null,
    birthday: '0001-01-01T00:00:00Z',
    hireDate: '0001-01-01T00:00:00Z',
    interests: [],
    mySite: null,
    pastProjects: [],
    preferredName: first,
    responsibilities: [],
    schools: [],
    skills: r.chance(0.5) ? ['Microsoft 365', 'Project management'] : [],
    mailboxSettings: {
      timeZone: 'UTC',
      language: { locale: 'en-US', displayName: 'English (United States)' },
    },
  };
}

export function userSignInActivity(ctx: GeneratorContext, ordinal: number): Json {
  const r = ctx.rng(1, ordinal, 4);
  const last = ctx.epoch - r.int(30 * DAY_MS);
  return {
    lastSignInDateTime: iso(last),
    lastSignInRequestId: ctx.guid(MISC_CODE, 1_000_000 + ordinal),
    lastNonInteractiveSignInDateTime: iso(last + r.int(DAY_MS)),
    lastNonInteractiveSignInRequestId: ctx.guid(MISC_CODE, 2_000_000 + ordinal),
    lastSuccessfulSignInDateTime: iso(last),
    lastSuccessfulSignInRequestId: ctx.guid(MISC_CODE, 1_000_000 + ordinal),
  };
}
