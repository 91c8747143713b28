import {
  APP_NAME_PARTS,
  BUILT_IN_AUTH_STRENGTHS,
  BUILT_IN_ROLES,
  DEPARTMENTS,
  DIRECTORY_READERS,
  FIRST_NAMES,
  FIRST_PARTY_APPS,
  GLOBAL_ADMINISTRATOR,
  GRAPH_APP_ROLES,
  HELPDESK_ADMINISTRATOR,
  JOB_TITLES,
  LAST_NAMES,
  LOCATIONS,
  MICROSOFT_SERVICES_TENANT_ID,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from './catalog';
import type { IdScheme, Json } from './object-collection';
import { hash32, IdCodec, pickBy, Rng } from './prng';

export const DAY_MS = 86_400_000;

export type CollectionName =
  | 'users'
  | 'groups'
  | 'applications'
  | 'servicePrincipals'
  | 'devices'
  | 'administrativeUnits'
  | 'roleDefinitions'
  | 'roleAssignments'
  | 'roleEligibilitySchedules'
  | 'appRoleAssignments'
  | 'oauth2PermissionGrants'
  | 'conditionalAccessPolicies'
  | 'namedLocations'
  | 'authenticationStrengthPolicies'
  | 'deviceConfigurations'
  | 'configurationPolicies'
  | 'deviceCompliancePolicies'
  | 'bitlockerRecoveryKeys';

export const COLLECTION_NAMES: readonly CollectionName[] = [
  'users',
  'groups',
  'applications',
  'servicePrincipals',
  'devices',
  'administrativeUnits',
  'roleDefinitions',
  'roleAssignments',
  'roleEligibilitySchedules',
  'appRoleAssignments',
  'oauth2PermissionGrants',
  'conditionalAccessPolicies',
  'namedLocations',
  'authenticationStrengthPolicies',
  'deviceConfigurations',
  'configurationPolicies',
  'deviceCompliancePolicies',
  'bitlockerRecoveryKeys',
];

const TYPE_CODES: Record<CollectionName, number> = {
  users: 1,
  groups: 2,
  applications: 3,
  servicePrincipals: 4,
  devices: 5,
  administrativeUnits: 6,
  roleDefinitions: 7,
  roleAssignments: 8,
  roleEligibilitySchedules: 9,
  appRoleAssignments: 10,
  oauth2PermissionGrants: 11,
  conditionalAccessPolicies: 12,
  namedLocations: 13,
  authenticationStrengthPolicies: 14,
  deviceConfigurations: 15,
  configurationPolicies: 16,
  deviceCompliancePolicies: 17,
  bitlockerRecoveryKeys: 18,
};
const APP_ID_CODE = 20;
const DEVICE_ID_CODE = 21;
const APP_ROLE_CODE = 22;
const DIRECTORY_ROLE_CODE = 23;
const MISC_CODE = 24;

export interface ResolvedTenantSpec {
  index: number;
  tenantId: string;
  displayName: string;
  domain: string;
  users: number;
  premium: boolean;
}

/** A fixed id list in front of generated GUIDs (built-in roles keep their template ids). */
class PrefixedScheme implements IdScheme {
  private readonly fixedIndex: Map<string, number>;
  constructor(
    private readonly fixed: readonly string[],
    private readonly codec: IdCodec,
  ) {
    this.fixedIndex = new Map(fixed.map((id, i) => [id, i]));
  }
  encode(ordinal: number): string {
    return ordinal < this.fixed.length
      ? this.fixed[ordinal]!
      : this.codec.encode(ordinal - this.fixed.length);
  }
  decode(id: string, count: number): number | undefined {
    const fixed = this.fixedIndex.get(id);
    if (fixed !== undefined) return fixed < count ? fixed : undefined;
    const ordinal = this.codec.decode(id, count - this.fixed.length);
    return ordinal === undefined ? undefined : ordinal + this.fixed.length;
  }
}

interface PrincipalRef {
  collection: 'users' | 'groups' | 'servicePrincipals';
  ordinal: number;
}

const NAME_SPACE = FIRST_NAMES.length * LAST_NAMES.length;
const NAME_STEP = 7919;
const NAME_STEP_INVERSE = (() => {
  for (let x = 1; x < NAME_SPACE; x++) if ((NAME_STEP * x) % NAME_SPACE === 1) return x;
  throw new Error('name permutation has no inverse');
})();
const DEPARTMENT_COUNT = DEPARTMENTS.length;
const DYNAMIC_GROUP_SLOT = 9;

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

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function ascii(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Derives every object of one tenant from (seed, tenant, type, ordinal). Nothing is stored here;
 * the small plans (role assignments, app role assignments, grants) are tiny and computed on demand.
 */
export class TenantGenerator {
  readonly counts: Record<CollectionName, number>;
  /** The on-premises AD domain SID synced objects share. */
  private readonly domainSid: string;
  private readonly onPremDomain: string;
  private readonly schemes = new Map<CollectionName, IdScheme>();
  private roleAssignmentPlanCache?: Array<{
    principal: PrincipalRef;
    roleDefinitionId: string;
    scope: string;
  }>;
  private appRoleAssignmentPlanCache?: Array<{
    principal: PrincipalRef;
    resourceOrdinal: number;
    appRoleId: string;
  }>;
  private grantPlanCache?: Array<{ clientOrdinal: number; principalOrdinal: number | null; scope: string }>;

  constructor(
    readonly seed: number,
    readonly spec: ResolvedTenantSpec,
    /** Start of the day the tenant was generated; every generated timestamp lies before it. */
    readonly epoch: number,
  ) {
    this.domainSid = `S-1-5-21-${hash32(seed, spec.index, 1)}-${hash32(seed, spec.index, 2)}-${hash32(seed, spec.index, 3)}`;
    this.onPremDomain = `corp.${ascii(spec.displayName)}.local`;
    const u = spec.users;
    const applications = Math.min(500, Math.max(5, Math.round(u / 50)));
    const devices = Math.max(3, Math.round(u * 0.6));
    const administrativeUnits = Math.min(50, Math.max(2, Math.round(u / 2000)));
    this.counts = {
      users: u,
      groups: Math.max(12, Math.round(u / 20)),
      applications,
      servicePrincipals: FIRST_PARTY_APPS.length + applications,
      devices,
      administrativeUnits,
      roleDefinitions: BUILT_IN_ROLES.length + 3,
      roleAssignments: 0,
      roleEligibilitySchedules: 3 + Math.floor(u / 1000),
      appRoleAssignments: 0,
      oauth2PermissionGrants: 0,
      conditionalAccessPolicies: 8,
      namedLocations: 4,
      authenticationStrengthPolicies: BUILT_IN_AUTH_STRENGTHS.length + 1,
      deviceConfigurations: 6,
      configurationPolicies: 5,
      deviceCompliancePolicies: 4,
      bitlockerRecoveryKeys: Math.floor(devices / 10) * 6 + Math.min(devices % 10, 6),
    };
    this.counts.roleAssignments = this.roleAssignmentPlan().length;
    this.counts.appRoleAssignments = this.appRoleAssignmentPlan().length;
    this.counts.oauth2PermissionGrants = this.grantPlan().length;
  }

  scheme(name: CollectionName): IdScheme {
    let scheme = this.schemes.get(name);
    if (!scheme) {
      const codec = new IdCodec(this.seed, this.spec.index, TYPE_CODES[name]);
      if (name === 'roleDefinitions')
        scheme = new PrefixedScheme(
          BUILT_IN_ROLES.map((r) => r.id),
          codec,
        );
      else if (name === 'authenticationStrengthPolicies')
        scheme = new PrefixedScheme(
          BUILT_IN_AUTH_STRENGTHS.map((s) => s.id),
          codec,
        );
      else scheme = codec;
      this.schemes.set(name, scheme);
    }
    return scheme;
  }

  id(name: CollectionName, ordinal: number): string {
    return this.scheme(name).encode(ordinal);
  }

  private guid(code: number, ordinal: number): string {
    return new IdCodec(this.seed, this.spec.index, code).encode(ordinal);
  }

  private rng(code: number, ordinal: number, salt = 0): Rng {
    return new Rng(this.seed, this.spec.index, code, ordinal, salt);
  }

  private createdAt(code: number, ordinal: number, count: number): number {
    const span = 1000 * DAY_MS;
    const jitter = hash32(this.seed, this.spec.index, code, ordinal, 77) % DAY_MS;
    return this.epoch - 1100 * DAY_MS + Math.floor((ordinal / Math.max(1, count)) * span) + jitter;
  }

  // ---------------------------------------------------------------- users

  /** The (first, last, suffix) a user ordinal is named after; invertible for UPN lookups. */
  private nameParts(ordinal: number): { first: string; last: string; suffix: number } {
    const round = Math.floor(ordinal / NAME_SPACE);
    const r = ordinal % NAME_SPACE;
    const permuted = (r * NAME_STEP) % NAME_SPACE;
    return {
      first: FIRST_NAMES[permuted % FIRST_NAMES.length]!,
      last: LAST_NAMES[Math.floor(permuted / FIRST_NAMES.length)]!,
      suffix: round,
    };
  }

  isGuest(ordinal: number): boolean {
    return ordinal >= 20 && ordinal % 97 === 50;
  }

  private userLocalPart(ordinal: number): string {
    const { first, last, suffix } = this.nameParts(ordinal);
    return `${first}.${last}${suffix > 0 ? suffix : ''}`.toLowerCase();
  }

  userPrincipalName(ordinal: number): string {
    if (this.isGuest(ordinal))
      return `${this.userLocalPart(ordinal)}_partner.example.com#EXT#@${this.spec.domain}`;
    return `${this.userLocalPart(ordinal)}@${this.spec.domain}`;
  }

  /** Inverse of userPrincipalName for generated users. */
  userOrdinalByUpn(upn: string): number | undefined {
    const lower = upn.toLowerCase();
    const at = lower.lastIndexOf('@');
    if (at < 0 || lower.slice(at + 1) !== this.spec.domain) return undefined;
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
    if (ordinal >= this.counts.users) return undefined;
    return this.userPrincipalName(ordinal).toLowerCase() === lower ? ordinal : undefined;
  }

  userDepartmentIndex(ordinal: number): number {
    return ordinal % DEPARTMENT_COUNT;
  }

  userEnabled(ordinal: number): boolean {
    return ordinal < 20 || hash32(this.seed, this.spec.index, 1, ordinal, 5) % 40 !== 0;
  }

  /** Manager tree with fan-out 8: a manager always has a lower ordinal, so there is never a cycle. */
  managerOrdinal(ordinal: number): number | undefined {
    if (ordinal === 0 || this.isGuest(ordinal)) return undefined;
    let m = Math.floor((ordinal - 1) / 8);
    while (this.isGuest(m)) m = Math.floor((m - 1) / 8);
    return m;
  }

  user(ordinal: number): Json {
    const r = this.rng(1, ordinal);
    const { first, last } = this.nameParts(ordinal);
    const dept = DEPARTMENTS[this.userDepartmentIndex(ordinal)]!;
    const loc = pickBy(LOCATIONS, hash32(this.seed, this.spec.index, 1, ordinal, 9));
    const guest = this.isGuest(ordinal);
    const upn = this.userPrincipalName(ordinal);
    const mail = guest ? `${this.userLocalPart(ordinal)}@partner.example.com` : upn;
    const created = this.createdAt(1, ordinal, this.counts.users);
    const synced = !guest && ordinal % 4 === 1;
    const id = this.id('users', ordinal);
    const sam = `${first.slice(0, 1)}${last}${ordinal}`.toLowerCase().slice(0, 20);
    const nick = this.userLocalPart(ordinal).replace('.', '');
    const phoneSuffix = String(100 + (ordinal % 900));
    return {
      id,
      accountEnabled: this.userEnabled(ordinal),
      ageGroup: null,
      assignedLicenses: guest
        ? []
        : [
            {
              disabledPlans: [],
              skuId: this.userSkuId(),
            },
          ],
      assignedPlans: guest
        ? []
        : this.userPlans(created).map(([service, servicePlanId, assignedDateTime]) => ({
            assignedDateTime,
            capabilityStatus: 'Enabled',
            service,
            servicePlanId,
          })),
      authorizationInfo: { certificateUserIds: [] },
      businessPhones: guest ? [] : [`${loc.phone}${phoneSuffix}`],
      city: guest ? null : loc.city,
      cloudRealtimeCommunicationInfo: { isSipEnabled: null },
      companyName: guest ? 'Partner Ltd' : this.spec.displayName,
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
          : { signInType: 'userPrincipalName', issuer: this.spec.domain, issuerAssignedId: upn },
      ],
      imAddresses: guest ? [] : [upn],
      infoCatalogs: [],
      isLicenseReconciliationNeeded: false,
      isManagementRestricted: null,
      isResourceAccount: null,
      jobTitle: guest ? null : r.pick(JOB_TITLES[dept]),
      lastPasswordChangeDateTime: iso(this.epoch - (1 + r.int(180)) * DAY_MS),
      legalAgeGroupClassification: null,
      licenseAssignmentStates: guest
        ? []
        : [
            {
              assignedByGroup: null,
              disabledPlans: [],
              error: 'None',
              lastUpdatedDateTime: iso(created),
              skuId: this.userSkuId(),
              state: 'Active',
            },
          ],
      mail,
      mailNickname: guest ? `${nick}_partner.example.com#EXT#` : nick,
      mobilePhone: guest || r.chance(0.4) ? null : `${loc.phone}${String(200 + (ordinal % 700))}`,
      officeLocation: guest ? null : `${loc.city}/${10 + (ordinal % 40)}`,
      onPremisesDistinguishedName: synced
        ? `CN=${first} ${last},OU=${dept},DC=${this.onPremDomain.split('.').join(',DC=')}`
        : null,
      onPremisesDomainName: synced ? this.onPremDomain : null,
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
        ? Buffer.from(this.guid(MISC_CODE, ordinal).replace(/-/g, ''), 'hex').toString('base64')
        : null,
      onPremisesLastSyncDateTime: synced ? iso(this.epoch - (1 + r.int(3)) * 3_600_000) : null,
      onPremisesProvisioningErrors: [],
      onPremisesSamAccountName: synced ? sam : null,
      onPremisesSecurityIdentifier: synced ? `${this.domainSid}-${1100 + ordinal}` : null,
      onPremisesSipInfo: { isSipEnabled: false, sipDeploymentLocation: null, sipPrimaryAddress: null },
      onPremisesSyncEnabled: synced ? true : null,
      onPremisesUserPrincipalName: synced ? `${sam}@${this.onPremDomain}` : null,
      otherMails: guest ? [mail] : r.chance(0.3) ? [`${this.userLocalPart(ordinal)}@outlook.com`] : [],
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
        : this.userPlans(created).map(([service]) => ({
            capabilityStatus: 'Enabled',
            provisioningStatus: 'Success',
            service,
          })),
      proxyAddresses: guest
        ? []
        : [
            `SMTP:${upn}`,
            `smtp:${nick}@${this.spec.domain.replace('.onmicrosoft.com', '')}.mail.onmicrosoft.com`,
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
  private userSkuId(): string {
    return this.spec.premium
      ? '078d2b04-f1bd-4111-bbd4-b4b1b354cef4'
      : '6fd2c87f-b296-42f0-b197-1e91e994b900';
  }

  /** Service plans of the licence (service, servicePlanId, assignedDateTime), built per call: no shared mutable state. */
  private userPlans(created: number): [string, string, string][] {
    const at = iso(created);
    return this.spec.premium
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
  userProfileExtras(ordinal: number): Json {
    const { first } = this.nameParts(ordinal);
    const r = this.rng(1, ordinal, 3);
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

  userSignInActivity(ordinal: number): Json {
    const r = this.rng(1, ordinal, 4);
    const last = this.epoch - r.int(30 * DAY_MS);
    return {
      lastSignInDateTime: iso(last),
      lastSignInRequestId: this.guid(MISC_CODE, 1_000_000 + ordinal),
      lastNonInteractiveSignInDateTime: iso(last + r.int(DAY_MS)),
      lastNonInteractiveSignInRequestId: this.guid(MISC_CODE, 2_000_000 + ordinal),
      lastSuccessfulSignInDateTime: iso(last),
      lastSuccessfulSignInRequestId: this.guid(MISC_CODE, 1_000_000 + ordinal),
    };
  }

  // ---------------------------------------------------------------- groups

  groupKind(ordinal: number): 'security' | 'unified' | 'dynamic' {
    const slot = ordinal % 10;
    if (slot === DYNAMIC_GROUP_SLOT && Math.floor(ordinal / 10) < DEPARTMENT_COUNT) return 'dynamic';
    if (slot >= 6 && slot <= 8) return 'unified';
    return 'security';
  }

  group(ordinal: number): Json {
    const kind = this.groupKind(ordinal);
    const r = this.rng(2, ordinal);
    const dept = DEPARTMENTS[kind === 'dynamic' ? Math.floor(ordinal / 10) : ordinal % DEPARTMENT_COUNT]!;
    const created = this.createdAt(2, ordinal, this.counts.groups);
    const n = Math.floor(ordinal / DEPARTMENT_COUNT) + 1;
    const roleAssignable = ordinal === 0;
    const displayName =
      ordinal === 0
        ? 'Tier 0 Administrators'
        : kind === 'unified'
          ? `${dept} Team ${n}`
          : kind === 'dynamic'
            ? `All ${dept} (dynamic)`
            : `SG-${dept.replace(/ /g, '')}-${['Access', 'Licensing', 'VPN', 'Printers', 'Apps', 'Devices'][ordinal % 6]}-${n}`;
    const nick = ascii(displayName).slice(0, 40) + (ordinal > 0 ? String(ordinal) : '');
    const synced = kind === 'security' && ordinal % 7 === 3;
    // Group-based licensing: the SG-...-Licensing-n security groups carry the tenant's licence.
    const licensing = kind === 'security' && ordinal > 0 && ordinal % 6 === 1;
    return {
      id: this.id('groups', ordinal),
      assignedLabels: [],
      assignedLicenses: licensing ? [{ disabledPlans: [], skuId: this.userSkuId() }] : [],
      classification: null,
      createdDateTime: iso(created),
      deletedDateTime: null,
      description: kind === 'dynamic' ? `Everyone in ${dept}` : `${displayName} members`,
      displayName,
      expirationDateTime: null,
      groupTypes: kind === 'unified' ? ['Unified'] : kind === 'dynamic' ? ['DynamicMembership'] : [],
      isAssignableToRole: roleAssignable ? true : null,
      licenseProcessingState: licensing ? { state: 'ProcessingComplete' } : null,
      mail: kind === 'unified' ? `${nick}@${this.spec.domain}` : null,
      mailEnabled: kind === 'unified',
      mailNickname: nick,
      membershipRule:
        kind === 'dynamic' ? `(user.department -eq "${dept}") and (user.accountEnabled -eq true)` : null,
      membershipRuleProcessingState: kind === 'dynamic' ? 'On' : null,
      onPremisesDomainName: synced ? this.onPremDomain : null,
      onPremisesLastSyncDateTime: synced ? iso(this.epoch - 3_600_000) : null,
      onPremisesNetBiosName: synced ? 'CORP' : null,
      onPremisesSamAccountName: synced ? nick.slice(0, 20) : null,
      onPremisesSecurityIdentifier: synced ? `${this.domainSid}-${5000 + ordinal}` : null,
      onPremisesSyncEnabled: synced ? true : null,
      preferredDataLocation: null,
      preferredLanguage: null,
      proxyAddresses: kind === 'unified' ? [`SMTP:${nick}@${this.spec.domain}`] : [],
      renewedDateTime: iso(created),
      resourceBehaviorOptions: [],
      // Microsoft 365 groups behind a team: https://learn.microsoft.com/graph/teams-list-all-teams
      resourceProvisioningOptions: kind === 'unified' && ordinal % 2 === 0 ? ['Team'] : [],
      securityEnabled: kind !== 'unified' || r.chance(0.3),
      securityIdentifier: `S-1-12-1-${hash32(this.seed, this.spec.index, 2, ordinal, 11)}-${hash32(this.seed, this.spec.index, 2, ordinal, 12)}-${hash32(this.seed, this.spec.index, 2, ordinal, 13)}-${hash32(this.seed, this.spec.index, 2, ordinal, 14)}`,
      theme: null,
      visibility: kind === 'unified' ? (r.chance(0.7) ? 'Private' : 'Public') : null,
      onPremisesProvisioningErrors: [],
      serviceProvisioningErrors: [],
    };
  }

  /** Generated membership: users, nested groups (always of a lower ordinal: no cycles) and devices. */
  groupMembers(ordinal: number): string[] {
    if (this.groupKind(ordinal) === 'dynamic') {
      const ids: string[] = [];
      for (let u = Math.floor(ordinal / 10); u < this.counts.users; u += DEPARTMENT_COUNT) {
        if (this.inDynamicGroup(u)) ids.push(this.id('users', u));
      }
      return ids;
    }
    return this.assignedMemberRefs(ordinal).map((ref) => this.id(ref.collection, ref.ordinal));
  }

  private inDynamicGroup(userOrdinal: number): boolean {
    return this.userEnabled(userOrdinal) && !this.isGuest(userOrdinal);
  }

  /** Whether generated membership of a group lists an object, without materialising the member list. */
  groupContains(groupOrdinal: number, collection: 'users' | 'groups' | 'devices', ordinal: number): boolean {
    if (this.groupKind(groupOrdinal) === 'dynamic') {
      return (
        collection === 'users' &&
        this.userDepartmentIndex(ordinal) === Math.floor(groupOrdinal / 10) &&
        this.inDynamicGroup(ordinal)
      );
    }
    return this.assignedMemberRefs(groupOrdinal).some(
      (ref) => ref.collection === collection && ref.ordinal === ordinal,
    );
  }

  private assignedMemberRefs(
    ordinal: number,
  ): Array<{ collection: 'users' | 'groups' | 'devices'; ordinal: number }> {
    const kind = this.groupKind(ordinal);
    const users = this.counts.users;
    const refs: Array<{ collection: 'users' | 'groups' | 'devices'; ordinal: number }> = [];
    if (ordinal === 0) {
      for (const u of [0, 1, 2]) if (u < users) refs.push({ collection: 'users', ordinal: u });
      return refs;
    }
    const r = this.rng(2, ordinal, 1);
    const seen = new Set<number>();
    const size = Math.min(users, 3 + r.int(28));
    while (seen.size < size) {
      const u = r.int(users);
      if (seen.has(u)) continue;
      seen.add(u);
      refs.push({ collection: 'users', ordinal: u });
    }
    if (kind === 'security' && ordinal >= 10 && r.chance(0.2)) {
      const nested = 1 + r.int(ordinal - 1);
      if (this.groupKind(nested) !== 'unified') refs.push({ collection: 'groups', ordinal: nested });
    }
    if (kind === 'security' && ordinal % 10 === 1) {
      const devices = new Set<number>();
      for (let i = 0; i < 2; i++) devices.add(r.int(this.counts.devices));
      for (const d of devices) refs.push({ collection: 'devices', ordinal: d });
    }
    return refs;
  }

  groupOwners(ordinal: number): string[] {
    const kind = this.groupKind(ordinal);
    const r = this.rng(2, ordinal, 2);
    const count = kind === 'unified' ? 1 + r.int(2) : r.int(2);
    const ids = new Set<string>();
    for (let i = 0; i < count; i++) ids.add(this.id('users', r.int(this.counts.users)));
    return [...ids];
  }

  // ---------------------------------------------------------------- applications & service principals

  appId(appOrdinal: number): string {
    return this.guid(APP_ID_CODE, appOrdinal);
  }

  private appHasRoles(appOrdinal: number): boolean {
    return appOrdinal % 4 === 1;
  }

  private appRoles(appOrdinal: number): Json[] {
    if (!this.appHasRoles(appOrdinal)) return [];
    return ['Reader', 'Administrator'].map((value, i) => ({
      allowedMemberTypes: ['User'],
      description: `${value}s of the application`,
      displayName: value,
      id: this.guid(APP_ROLE_CODE, appOrdinal * 4 + i),
      isEnabled: true,
      origin: 'Application',
      value: `App.${value}`,
    }));
  }

  private appName(appOrdinal: number): string {
    const prefix = APP_NAME_PARTS.prefix[appOrdinal % APP_NAME_PARTS.prefix.length]!;
    const suffix =
      APP_NAME_PARTS.suffix[
        Math.floor(appOrdinal / APP_NAME_PARTS.prefix.length) % APP_NAME_PARTS.suffix.length
      ]!;
    const round = Math.floor(appOrdinal / (APP_NAME_PARTS.prefix.length * APP_NAME_PARTS.suffix.length));
    return `${prefix} ${suffix}${round > 0 ? ` ${round + 1}` : ''}`;
  }

  application(ordinal: number): Json {
    const r = this.rng(3, ordinal);
    const name = this.appName(ordinal);
    const slug = ascii(name);
    const created = this.createdAt(3, ordinal, this.counts.applications);
    const graphRoles = ordinal % 3 === 0 ? [GRAPH_APP_ROLES[0]!, GRAPH_APP_ROLES[2]!] : [];
    return {
      id: this.id('applications', ordinal),
      addIns: [],
      appId: this.appId(ordinal),
      applicationTemplateId: null,
      appRoles: this.appRoles(ordinal),
      createdDateTime: iso(created),
      deletedDateTime: null,
      description: `${name} line-of-business application`,
      disabledByMicrosoftStatus: null,
      displayName: name,
      groupMembershipClaims: ordinal % 5 === 0 ? 'SecurityGroup' : null,
      identifierUris: ordinal % 2 === 0 ? [`api://${this.appId(ordinal)}`] : [],
      info: {
        logoUrl: null,
        marketingUrl: null,
        privacyStatementUrl: null,
        supportUrl: null,
        termsOfServiceUrl: null,
      },
      isDeviceOnlyAuthSupported: null,
      isFallbackPublicClient: null,
      keyCredentials: [],
      notes: null,
      publisherDomain: this.spec.domain,
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
                keyId: this.guid(MISC_CODE, 3_000_000 + ordinal),
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
        homePageUrl: `https://${slug}.${this.spec.domain.replace('.onmicrosoft.com', '')}.example`,
        logoutUrl: null,
        redirectUris: [
          `https://${slug}.${this.spec.domain.replace('.onmicrosoft.com', '')}.example/signin-oidc`,
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

  applicationOwners(ordinal: number): string[] {
    const r = this.rng(3, ordinal, 2);
    const ids = new Set<string>();
    const count = 1 + r.int(2);
    for (let i = 0; i < count; i++) ids.add(this.id('users', r.int(this.counts.users)));
    return [...ids];
  }

  servicePrincipal(ordinal: number): Json {
    const id = this.id('servicePrincipals', ordinal);
    if (ordinal < FIRST_PARTY_APPS.length) {
      const app = FIRST_PARTY_APPS[ordinal]!;
      const isGraph = ordinal === 0;
      return {
        id,
        accountEnabled: true,
        addIns: [],
        alternativeNames: [],
        appDescription: null,
        appDisplayName: app.displayName,
        appId: app.appId,
        applicationTemplateId: null,
        appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID,
        appRoleAssignmentRequired: false,
        appRoles: isGraph
          ? GRAPH_APP_ROLES.map((role) => ({
              allowedMemberTypes: ['Application'],
              description: `Allows the app to ${role.displayName.toLowerCase()}, without a signed-in user.`,
              displayName: role.displayName,
              id: role.id,
              isEnabled: true,
              origin: 'Application',
              value: role.value,
            }))
          : [],
        createdDateTime: iso(this.epoch - 1200 * DAY_MS),
        deletedDateTime: null,
        description: null,
        disabledByMicrosoftStatus: null,
        displayName: app.displayName,
        homepage: null,
        info: {
          logoUrl: null,
          marketingUrl: null,
          privacyStatementUrl: null,
          supportUrl: null,
          termsOfServiceUrl: null,
        },
        keyCredentials: [],
        loginUrl: null,
        logoutUrl: null,
        notes: null,
        notificationEmailAddresses: [],
        oauth2PermissionScopes: [],
        passwordCredentials: [],
        preferredSingleSignOnMode: null,
        replyUrls: [],
        servicePrincipalNames: [
          app.appId,
          isGraph ? 'https://graph.microsoft.com' : `https://${ascii(app.displayName)}.microsoft.com`,
        ],
        servicePrincipalType: 'Application',
        signInAudience: 'AzureADMultipleOrgs',
        tags: [],
        tokenEncryptionKeyId: null,
        preferredTokenSigningKeyThumbprint: null,
        resourceSpecificApplicationPermissions: [],
        samlSingleSignOnSettings: null,
        verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      };
    }
    const appOrdinal = ordinal - FIRST_PARTY_APPS.length;
    const name = this.appName(appOrdinal);
    return {
      id,
      accountEnabled: appOrdinal % 17 !== 5,
      addIns: [],
      alternativeNames: [],
      appDescription: null,
      appDisplayName: name,
      appId: this.appId(appOrdinal),
      applicationTemplateId: null,
      appOwnerOrganizationId: this.spec.tenantId,
      appRoleAssignmentRequired: this.appHasRoles(appOrdinal),
      appRoles: this.appRoles(appOrdinal),
      createdDateTime: iso(this.createdAt(3, appOrdinal, this.counts.applications) + 60_000),
      deletedDateTime: null,
      description: null,
      disabledByMicrosoftStatus: null,
      displayName: name,
      homepage: null,
      info: {
        logoUrl: null,
        marketingUrl: null,
        privacyStatementUrl: null,
        supportUrl: null,
        termsOfServiceUrl: null,
      },
      keyCredentials: [],
      loginUrl: null,
      logoutUrl: null,
      notes: null,
      notificationEmailAddresses: [],
      oauth2PermissionScopes: [],
      passwordCredentials: [],
      preferredSingleSignOnMode: null,
      replyUrls: [],
      servicePrincipalNames: [this.appId(appOrdinal)],
      servicePrincipalType: 'Application',
      signInAudience: appOrdinal % 7 === 3 ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
      tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
      tokenEncryptionKeyId: null,
      preferredTokenSigningKeyThumbprint: null,
      resourceSpecificApplicationPermissions: [],
      samlSingleSignOnSettings: null,
      verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    };
  }

  servicePrincipalOwners(ordinal: number): string[] {
    if (ordinal < FIRST_PARTY_APPS.length) return [];
    return this.applicationOwners(ordinal - FIRST_PARTY_APPS.length).slice(0, 1);
  }

  private appRoleAssignmentPlan(): Array<{
    principal: PrincipalRef;
    resourceOrdinal: number;
    appRoleId: string;
  }> {
    if (this.appRoleAssignmentPlanCache) return this.appRoleAssignmentPlanCache;
    const plan: Array<{ principal: PrincipalRef; resourceOrdinal: number; appRoleId: string }> = [];
    for (let a = 0; a < this.counts.applications; a++) {
      const sp = FIRST_PARTY_APPS.length + a;
      if (a % 3 === 0) {
        plan.push({
          principal: { collection: 'servicePrincipals', ordinal: sp },
          resourceOrdinal: 0,
          appRoleId: GRAPH_APP_ROLES[0]!.id,
        });
        plan.push({
          principal: { collection: 'servicePrincipals', ordinal: sp },
          resourceOrdinal: 0,
          appRoleId: GRAPH_APP_ROLES[2]!.id,
        });
      }
      if (this.appHasRoles(a)) {
        const r = this.rng(10, a);
        const roleIds = this.appRoles(a).map((role) => String(role['id']));
        plan.push({
          principal: { collection: 'users', ordinal: r.int(this.counts.users) },
          resourceOrdinal: sp,
          appRoleId: roleIds[0]!,
        });
        plan.push({
          principal: { collection: 'users', ordinal: r.int(this.counts.users) },
          resourceOrdinal: sp,
          appRoleId: roleIds[1]!,
        });
        plan.push({
          principal: { collection: 'groups', ordinal: 1 + r.int(this.counts.groups - 1) },
          resourceOrdinal: sp,
          appRoleId: roleIds[0]!,
        });
      }
    }
    this.appRoleAssignmentPlanCache = plan;
    return plan;
  }

  private principalInfo(ref: PrincipalRef): { id: string; displayName: string; type: string } {
    if (ref.collection === 'users') {
      const { first, last } = this.nameParts(ref.ordinal);
      return { id: this.id('users', ref.ordinal), displayName: `${first} ${last}`, type: 'User' };
    }
    if (ref.collection === 'groups')
      return {
        id: this.id('groups', ref.ordinal),
        displayName: String(this.group(ref.ordinal)['displayName']),
        type: 'Group',
      };
    return {
      id: this.id('servicePrincipals', ref.ordinal),
      displayName: String(this.servicePrincipal(ref.ordinal)['displayName']),
      type: 'ServicePrincipal',
    };
  }

  appRoleAssignment(ordinal: number): Json {
    const item = this.appRoleAssignmentPlan()[ordinal]!;
    const principal = this.principalInfo(item.principal);
    const resource = this.servicePrincipal(item.resourceOrdinal);
    return {
      id: this.id('appRoleAssignments', ordinal),
      appRoleId: item.appRoleId,
      createdDateTime: iso(this.createdAt(10, ordinal, this.counts.appRoleAssignments)),
      deletedDateTime: null,
      principalDisplayName: principal.displayName,
      principalId: principal.id,
      principalType: principal.type,
      resourceDisplayName: resource['displayName'],
      resourceId: resource['id'],
    };
  }

  private grantPlan(): Array<{ clientOrdinal: number; principalOrdinal: number | null; scope: string }> {
    if (this.grantPlanCache) return this.grantPlanCache;
    const plan: Array<{ clientOrdinal: number; principalOrdinal: number | null; scope: string }> = [];
    for (let a = 0; a < this.counts.applications; a++) {
      const sp = FIRST_PARTY_APPS.length + a;
      if (a % 2 === 0)
        plan.push({
          clientOrdinal: sp,
          principalOrdinal: null,
          scope: 'User.Read openid profile offline_access',
        });
      if (a % 10 === 5)
        plan.push({
          clientOrdinal: sp,
          principalOrdinal: hash32(this.seed, this.spec.index, 11, a) % this.counts.users,
          scope: 'User.Read Group.Read.All',
        });
    }
    this.grantPlanCache = plan;
    return plan;
  }

  oauth2PermissionGrant(ordinal: number): Json {
    const item = this.grantPlan()[ordinal]!;
    return {
      id: this.id('oauth2PermissionGrants', ordinal),
      clientId: this.id('servicePrincipals', item.clientOrdinal),
      consentType: item.principalOrdinal === null ? 'AllPrincipals' : 'Principal',
      principalId: item.principalOrdinal === null ? null : this.id('users', item.principalOrdinal),
      resourceId: this.id('servicePrincipals', 0),
      scope: item.scope,
    };
  }

  // ---------------------------------------------------------------- roles

  private roleAssignmentPlan(): Array<{ principal: PrincipalRef; roleDefinitionId: string; scope: string }> {
    if (this.roleAssignmentPlanCache) return this.roleAssignmentPlanCache;
    const u = this.counts.users;
    const user = (o: number): PrincipalRef => ({ collection: 'users', ordinal: o % u });
    const plan: Array<{ principal: PrincipalRef; roleDefinitionId: string; scope: string }> = [
      { principal: user(0), roleDefinitionId: GLOBAL_ADMINISTRATOR, scope: '/' },
      { principal: user(1), roleDefinitionId: GLOBAL_ADMINISTRATOR, scope: '/' },
      { principal: user(2), roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR, scope: '/' },
      { principal: user(3), roleDefinitionId: USER_ADMINISTRATOR, scope: '/' },
      { principal: user(4), roleDefinitionId: 'fdd7a751-b60b-444a-984c-02652fe8fa1c', scope: '/' },
      { principal: user(5), roleDefinitionId: HELPDESK_ADMINISTRATOR, scope: '/' },
      { principal: user(6), roleDefinitionId: '194ae4cb-b126-40b2-bd5b-6091b380977d', scope: '/' },
      { principal: user(7), roleDefinitionId: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', scope: '/' },
      { principal: user(8), roleDefinitionId: '3a2c62db-5318-420d-8d74-23affee5d9d5', scope: '/' },
      { principal: user(9), roleDefinitionId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', scope: '/' },
      {
        principal: { collection: 'groups', ordinal: 0 },
        roleDefinitionId: HELPDESK_ADMINISTRATOR,
        scope: '/',
      },
      {
        principal: { collection: 'servicePrincipals', ordinal: FIRST_PARTY_APPS.length },
        roleDefinitionId: DIRECTORY_READERS,
        scope: '/',
      },
    ];
    for (let c = 0; c < 3; c++) {
      plan.push({
        principal: user(10 + c),
        roleDefinitionId: this.id('roleDefinitions', BUILT_IN_ROLES.length + c),
        scope: '/',
      });
    }
    const common = [
      '4a5d8f65-41da-4de4-8968-e035b65339cf',
      '5d6b6bb7-de71-4623-b4af-96380a352509',
      '966707d0-3269-4727-9be2-8c3a10f19b9d',
      '158c047a-c907-4556-b7ef-446551a6b5f7',
      '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
    ];
    for (let k = 0; k < Math.floor(u / 500); k++) {
      plan.push({
        principal: user(20 + (hash32(this.seed, this.spec.index, 8, k) % Math.max(1, u - 20))),
        roleDefinitionId: common[k % common.length]!,
        scope: '/',
      });
    }
    for (let a = 0; a < this.counts.administrativeUnits; a++) {
      plan.push({
        principal: user(this.scopedAdminOrdinal(a)),
        roleDefinitionId: USER_ADMINISTRATOR,
        scope: `/administrativeUnits/${this.id('administrativeUnits', a)}`,
      });
    }
    this.roleAssignmentPlanCache = plan;
    return plan;
  }

  private scopedAdminOrdinal(auOrdinal: number): number {
    return (13 + auOrdinal) % this.counts.users;
  }

  roleDefinition(ordinal: number): Json {
    if (ordinal < BUILT_IN_ROLES.length) {
      const role = BUILT_IN_ROLES[ordinal]!;
      return {
        id: role.id,
        description: role.description,
        displayName: role.displayName,
        isBuiltIn: true,
        isEnabled: true,
        resourceScopes: ['/'],
        templateId: role.id,
        version: '1',
        rolePermissions: [{ allowedResourceActions: role.actions, condition: null }],
        inheritsPermissionsFrom:
          role.id === GLOBAL_ADMINISTRATOR ? [] : [{ id: DIRECTORY_READERS }].filter((x) => x.id !== role.id),
      };
    }
    const c = ordinal - BUILT_IN_ROLES.length;
    const id = this.id('roleDefinitions', ordinal);
    const names = [
      'Application Support Administrator',
      'Device Lifecycle Operator',
      'Group Membership Reviewer',
    ];
    const actions = [
      [
        'microsoft.directory/applications/basic/update',
        'microsoft.directory/applications/credentials/update',
      ],
      ['microsoft.directory/devices/standard/read', 'microsoft.directory/devices/disable'],
      ['microsoft.directory/groups/members/read', 'microsoft.directory/groups/owners/read'],
    ];
    return {
      id,
      description: `Custom role: ${names[c]}`,
      displayName: names[c],
      isBuiltIn: false,
      isEnabled: true,
      resourceScopes: ['/'],
      templateId: id,
      version: null,
      rolePermissions: [{ allowedResourceActions: actions[c], condition: null }],
      inheritsPermissionsFrom: [],
    };
  }

  roleAssignment(ordinal: number): Json {
    const item = this.roleAssignmentPlan()[ordinal]!;
    return {
      id: this.id('roleAssignments', ordinal),
      principalId: this.principalInfo(item.principal).id,
      roleDefinitionId: item.roleDefinitionId,
      directoryScopeId: item.scope,
      appScopeId: null,
      condition: null,
    };
  }

  roleEligibilitySchedule(ordinal: number): Json {
    const r = this.rng(9, ordinal);
    const roles = [
      GLOBAL_ADMINISTRATOR,
      PRIVILEGED_ROLE_ADMINISTRATOR,
      USER_ADMINISTRATOR,
      '194ae4cb-b126-40b2-bd5b-6091b380977d',
      '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
    ];
    const start = this.epoch - (30 + r.int(300)) * DAY_MS;
    const principalOrdinal = (14 + r.int(Math.max(1, this.counts.users - 14))) % this.counts.users;
    return {
      id: this.id('roleEligibilitySchedules', ordinal),
      appScopeId: null,
      createdDateTime: iso(start),
      createdUsing: this.id('roleEligibilitySchedules', ordinal),
      directoryScopeId: '/',
      memberType: 'Direct',
      modifiedDateTime: null,
      principalId: this.id('users', principalOrdinal),
      roleDefinitionId: roles[ordinal % roles.length]!,
      status: 'Provisioned',
      scheduleInfo: {
        startDateTime: iso(start),
        recurrence: null,
        expiration:
          ordinal % 2 === 0
            ? { type: 'noExpiration', endDateTime: null, duration: null }
            : { type: 'afterDateTime', endDateTime: iso(start + 365 * DAY_MS), duration: null },
      },
    };
  }

  /** Activated directory roles (legacy /directoryRoles): one per template with an assignment. */
  directoryRoleId(templateId: string): string {
    const index = BUILT_IN_ROLES.findIndex((r) => r.id === templateId);
    return this.guid(DIRECTORY_ROLE_CODE, index < 0 ? 999 : index);
  }

  // ---------------------------------------------------------------- administrative units

  administrativeUnit(ordinal: number): Json {
    const loc = LOCATIONS[ordinal % LOCATIONS.length]!;
    const round = Math.floor(ordinal / LOCATIONS.length);
    return {
      id: this.id('administrativeUnits', ordinal),
      deletedDateTime: null,
      description: `Users and devices managed by the ${loc.city} IT team`,
      displayName: `${loc.city} Office${round > 0 ? ` ${round + 1}` : ''}`,
      isMemberManagementRestricted: null,
      membershipRule: null,
      membershipRuleProcessingState: null,
      membershipType: null,
      visibility: ordinal % 5 === 4 ? 'HiddenMembership' : null,
    };
  }

  administrativeUnitMembers(ordinal: number): string[] {
    const r = this.rng(6, ordinal, 1);
    const ids = new Set<string>();
    const size = Math.min(this.counts.users, 5 + r.int(36));
    while (ids.size < size) ids.add(this.id('users', r.int(this.counts.users)));
    if (r.chance(0.5)) ids.add(this.id('groups', 1 + r.int(this.counts.groups - 1)));
    if (r.chance(0.5)) ids.add(this.id('devices', r.int(this.counts.devices)));
    return [...ids];
  }

  // ---------------------------------------------------------------- devices & BitLocker

  deviceOs(ordinal: number): 'Windows' | 'iOS' | 'Android' | 'MacMDM' {
    const slot = ordinal % 10;
    return slot < 6 ? 'Windows' : slot < 8 ? 'iOS' : slot === 8 ? 'Android' : 'MacMDM';
  }

  deviceOwnerOrdinal(ordinal: number): number {
    return ordinal % this.counts.users;
  }

  device(ordinal: number): Json {
    const r = this.rng(5, ordinal);
    const os = this.deviceOs(ordinal);
    const owner = this.nameParts(this.deviceOwnerOrdinal(ordinal));
    const created = this.createdAt(5, ordinal, this.counts.devices);
    const hw =
      os === 'Windows'
        ? r.pick([
            { manufacturer: 'Microsoft Corporation', model: 'Surface Laptop 5' },
            { manufacturer: 'Dell Inc.', model: 'Latitude 7440' },
            { manufacturer: 'LENOVO', model: 'ThinkPad T14 Gen 4' },
            { manufacturer: 'HP', model: 'EliteBook 840 G10' },
          ])
        : os === 'iOS'
          ? { manufacturer: 'Apple', model: r.pick(['iPhone 14', 'iPhone 15 Pro', 'iPad Air']) }
          : os === 'Android'
            ? { manufacturer: r.pick(['samsung', 'Google']), model: r.pick(['SM-S911B', 'Pixel 8']) }
            : { manufacturer: 'Apple', model: r.pick(['MacBookPro18,3', 'Mac14,2']) };
    const name =
      os === 'Windows'
        ? `${r.chance(0.6) ? 'LAPTOP' : 'DESKTOP'}-${r.hex(7).toUpperCase()}`
        : os === 'MacMDM'
          ? `${owner.first}'s MacBook`
          : `${owner.first}'s ${hw.model}`;
    const trustType = os === 'Windows' ? (ordinal % 4 === 1 ? 'ServerAd' : 'AzureAd') : 'Workplace';
    const managed = r.chance(0.85);
    return {
      id: this.id('devices', ordinal),
      accountEnabled: r.chance(0.97),
      alternativeSecurityIds: [
        {
          type: 2,
          identityProvider: null,
          key: Buffer.from(`X509:<SHA1-TP-PUBKEY>${r.hex(40).toUpperCase()}`).toString('base64'),
        },
      ],
      approximateLastSignInDateTime: iso(this.epoch - r.int(20 * DAY_MS)),
      complianceExpirationDateTime: null,
      createdDateTime: iso(created),
      deletedDateTime: null,
      deviceCategory: null,
      deviceId: this.guid(DEVICE_ID_CODE, ordinal),
      deviceMetadata: null,
      deviceOwnership: os === 'Android' && r.chance(0.5) ? 'Personal' : 'Company',
      deviceVersion: 2,
      displayName: name,
      enrollmentProfileName: null,
      enrollmentType: managed ? (os === 'Windows' ? 'AzureDomainJoined' : 'AppleBulkWithUser') : null,
      extensionAttributes: {
        extensionAttribute1: os === 'Windows' ? 'Corporate' : null,
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
      isCompliant: managed ? r.chance(0.9) : null,
      isManaged: managed,
      isRooted: os === 'Android' ? false : null,
      managementType: managed ? 'MDM' : null,
      manufacturer: hw.manufacturer,
      mdmAppId: managed ? '0000000a-0000-0000-c000-000000000000' : null,
      model: hw.model,
      onPremisesLastSyncDateTime: trustType === 'ServerAd' ? iso(this.epoch - 3_600_000) : null,
      onPremisesSecurityIdentifier: trustType === 'ServerAd' ? `${this.domainSid}-${20000 + ordinal}` : null,
      onPremisesSyncEnabled: trustType === 'ServerAd' ? true : null,
      operatingSystem: os,
      operatingSystemVersion:
        os === 'Windows'
          ? r.pick(['10.0.22631.4460', '10.0.26100.2314', '10.0.19045.5131'])
          : os === 'iOS'
            ? r.pick(['17.6.1', '18.1'])
            : os === 'Android'
              ? r.pick(['14', '15'])
              : r.pick(['14.7.1', '15.1']),
      physicalIds:
        os === 'Windows'
          ? [`[USER-GID]:${this.id('users', this.deviceOwnerOrdinal(ordinal))}:${r.int(9_999_999_999)}`]
          : [],
      profileType: 'RegisteredDevice',
      registrationDateTime: iso(created),
      systemLabels: [],
      trustType,
    };
  }

  /** Windows devices hold one BitLocker key each; key k belongs to device ordinal deviceOfKey(k). */
  deviceOfKey(keyOrdinal: number): number {
    return Math.floor(keyOrdinal / 6) * 10 + (keyOrdinal % 6);
  }

  bitlockerRecoveryKey(ordinal: number): Json {
    const deviceOrdinal = this.deviceOfKey(ordinal);
    const device = this.device(deviceOrdinal);
    const r = this.rng(18, ordinal);
    return {
      id: this.id('bitlockerRecoveryKeys', ordinal),
      createdDateTime: iso(Date.parse(String(device['registrationDateTime'])) + r.int(DAY_MS)),
      deviceId: device['deviceId'],
      volumeType: 'operatingSystemVolume',
    };
  }

  /** The 48-digit recovery password: 8 groups of 6 digits. */
  bitlockerKeyValue(ordinal: number): string {
    const r = this.rng(18, ordinal, 99);
    const groups: string[] = [];
    for (let i = 0; i < 8; i++) groups.push(String(r.int(1_000_000)).padStart(6, '0'));
    return groups.join('-');
  }

  // ---------------------------------------------------------------- Conditional Access

  namedLocation(ordinal: number): Json {
    const id = this.id('namedLocations', ordinal);
    const created = iso(this.createdAt(13, ordinal, 4));
    const base = { id, createdDateTime: created, modifiedDateTime: created };
    switch (ordinal) {
      case 0:
        return {
          '@odata.type': '#microsoft.graph.ipNamedLocation',
          ...base,
          displayName: 'Headquarters',
          isTrusted: true,
          ipRanges: [
            {
              '@odata.type': '#microsoft.graph.iPv4CidrRange',
              cidrAddress: `52.160.${this.spec.index % 250}.0/24`,
            },
            { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8:1234::/48' },
          ],
        };
      case 1:
        return {
          '@odata.type': '#microsoft.graph.ipNamedLocation',
          ...base,
          displayName: 'Branch offices',
          isTrusted: false,
          ipRanges: [
            { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '51.140.12.0/24' },
            { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '20.52.80.0/22' },
          ],
        };
      case 2:
        return {
          '@odata.type': '#microsoft.graph.countryNamedLocation',
          ...base,
          displayName: 'Blocked countries',
          countriesAndRegions: ['KP', 'IR', 'RU'],
          countryLookupMethod: 'clientIpAddress',
          includeUnknownCountriesAndRegions: true,
        };
      default:
        return {
          '@odata.type': '#microsoft.graph.countryNamedLocation',
          ...base,
          displayName: 'Business travel countries',
          countriesAndRegions: ['US', 'GB', 'DE', 'FR', 'NL', 'CA', 'AU'],
          countryLookupMethod: 'clientIpAddress',
          includeUnknownCountriesAndRegions: false,
        };
    }
  }

  authenticationStrengthPolicy(ordinal: number): Json {
    const created = iso(this.epoch - 900 * DAY_MS);
    if (ordinal < BUILT_IN_AUTH_STRENGTHS.length) {
      const s = BUILT_IN_AUTH_STRENGTHS[ordinal]!;
      return {
        id: s.id,
        createdDateTime: '2021-12-01T00:00:00Z',
        modifiedDateTime: '2021-12-01T00:00:00Z',
        displayName: s.displayName,
        description: s.description,
        policyType: 'builtIn',
        requirementsSatisfied: s.requirementsSatisfied,
        allowedCombinations: [...s.allowedCombinations],
      };
    }
    return {
      id: this.id('authenticationStrengthPolicies', ordinal),
      createdDateTime: created,
      modifiedDateTime: created,
      displayName: `${this.spec.displayName} FIDO2 or Windows Hello`,
      description: 'Hardware-backed passwordless sign-in for administrators',
      policyType: 'custom',
      requirementsSatisfied: 'mfa',
      allowedCombinations: ['fido2', 'windowsHelloForBusiness'],
    };
  }

  conditionalAccessPolicy(ordinal: number): Json {
    const id = this.id('conditionalAccessPolicies', ordinal);
    const created = this.createdAt(12, ordinal, 8);
    const users = (
      o: Partial<
        Record<
          | 'includeUsers'
          | 'excludeUsers'
          | 'includeGroups'
          | 'excludeGroups'
          | 'includeRoles'
          | 'excludeRoles',
          string[]
        >
      >,
    ) => ({
      includeUsers: [],
      excludeUsers: [],
      includeGroups: [],
      excludeGroups: [],
      includeRoles: [],
      excludeRoles: [],
      includeGuestsOrExternalUsers: null,
      excludeGuestsOrExternalUsers: null,
      ...o,
    });
    const apps = (include: string[], exclude: string[] = []) => ({
      includeApplications: include,
      excludeApplications: exclude,
      includeUserActions: [],
      includeAuthenticationContextClassReferences: [],
      applicationFilter: null,
    });
    const grant = (
      builtInControls: string[],
      operator = 'OR',
      authenticationStrength: Json | null = null,
    ) => ({
      operator,
      builtInControls,
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength,
    });
    const breakGlass = this.id('users', 1 % this.counts.users);
    const adminRoles = [
      GLOBAL_ADMINISTRATOR,
      PRIVILEGED_ROLE_ADMINISTRATOR,
      USER_ADMINISTRATOR,
      '194ae4cb-b126-40b2-bd5b-6091b380977d',
      'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
    ];
    const financeGroup = this.id('groups', 3 % this.counts.groups);
    const strongAuth = {
      id: BUILT_IN_AUTH_STRENGTHS[2]!.id,
      displayName: BUILT_IN_AUTH_STRENGTHS[2]!.displayName,
    };
    const definitions: Array<{
      name: string;
      state: string;
      conditions: Json;
      grantControls: Json | null;
      sessionControls: Json | null;
    }> = [
      {
        name: 'Require MFA for administrators',
        state: 'enabled',
        conditions: {
          users: users({ includeRoles: adminRoles, excludeUsers: [breakGlass] }),
          applications: apps(['All']),
          clientAppTypes: ['all'],
        },
        grantControls: grant(['mfa']),
        sessionControls: null,
      },
      {
        name: 'Block legacy authentication',
        state: 'enabled',
        conditions: {
          users: users({ includeUsers: ['All'], excludeUsers: [breakGlass] }),
          applications: apps(['All']),
          clientAppTypes: ['exchangeActiveSync', 'other'],
        },
        grantControls: grant(['block']),
        sessionControls: null,
      },
      {
        name: 'Require MFA outside trusted locations',
        state: 'enabledForReportingButNotEnforced',
        conditions: {
          users: users({ includeUsers: ['All'], excludeGroups: [this.id('groups', 0)] }),
          applications: apps(['All']),
          clientAppTypes: ['all'],
          locations: {
            includeLocations: ['All'],
            excludeLocations: ['AllTrusted', this.id('namedLocations', 0)],
          },
        },
        grantControls: grant(['mfa']),
        sessionControls: null,
      },
      {
        name: 'Block sign-ins from blocked countries',
        state: 'enabled',
        conditions: {
          users: users({ includeUsers: ['All'], excludeUsers: [breakGlass] }),
          applications: apps(['All']),
          clientAppTypes: ['all'],
          locations: { includeLocations: [this.id('namedLocations', 2)], excludeLocations: [] },
        },
        grantControls: grant(['block']),
        sessionControls: null,
      },
      {
        name: 'Require compliant device for Finance apps',
        state: 'enabled',
        conditions: {
          users: users({ includeGroups: [financeGroup] }),
          applications: apps([this.appId(0), '00000003-0000-0ff1-ce00-000000000000']),
          clientAppTypes: ['all'],
          platforms: { includePlatforms: ['windows', 'macOS'], excludePlatforms: [] },
        },
        grantControls: grant(['compliantDevice', 'domainJoinedDevice'], 'OR'),
        sessionControls: null,
      },
      {
        name: 'Phishing-resistant MFA for privileged roles',
        state: 'enabled',
        conditions: {
          users: users({ includeRoles: [GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR] }),
          applications: apps(['All']),
          clientAppTypes: ['all'],
        },
        grantControls: grant([], 'OR', strongAuth),
        sessionControls: null,
      },
      {
        name: 'Require MFA for risky sign-ins',
        state: 'disabled',
        conditions: {
          users: users({ includeUsers: ['All'] }),
          applications: apps(['All']),
          clientAppTypes: ['all'],
          signInRiskLevels: ['high', 'medium'],
          userRiskLevels: [],
        },
        grantControls: grant(['mfa']),
        sessionControls: null,
      },
      {
        name: 'Guest session lifetime',
        state: 'enabled',
        conditions: {
          users: users({ includeUsers: ['GuestsOrExternalUsers'] }),
          applications: apps(['All'], [this.appId(1)]),
          clientAppTypes: ['all'],
        },
        grantControls: grant(['mfa']),
        sessionControls: {
          applicationEnforcedRestrictions: null,
          cloudAppSecurity: null,
          persistentBrowser: { isEnabled: true, mode: 'never' },
          signInFrequency: {
            isEnabled: true,
            type: 'hours',
            value: 8,
            authenticationType: 'primaryAndSecondaryAuthentication',
            frequencyInterval: 'timeBased',
          },
          disableResilienceDefaults: null,
        },
      },
    ];
    const def = definitions[ordinal % definitions.length]!;
    return {
      id,
      templateId: null,
      displayName: def.name,
      createdDateTime: iso(created),
      modifiedDateTime: iso(created + 5 * DAY_MS),
      state: def.state,
      conditions: {
        userRiskLevels: [],
        signInRiskLevels: [],
        clientAppTypes: ['all'],
        platforms: null,
        locations: null,
        devices: null,
        clientApplications: null,
        ...def.conditions,
      },
      grantControls: def.grantControls,
      sessionControls: def.sessionControls,
    };
  }

  // ---------------------------------------------------------------- Intune

  private groupTarget(groupOrdinal: number): Json {
    return {
      '@odata.type': '#microsoft.graph.groupAssignmentTarget',
      deviceAndAppManagementAssignmentFilterId: null,
      deviceAndAppManagementAssignmentFilterType: 'none',
      groupId: this.id('groups', groupOrdinal % this.counts.groups),
    };
  }

  deviceConfiguration(ordinal: number): Json {
    const id = this.id('deviceConfigurations', ordinal);
    const created = this.createdAt(15, ordinal, 6);
    const common = {
      id,
      createdDateTime: iso(created),
      lastModifiedDateTime: iso(created + 3 * DAY_MS),
      description: null,
      version: 1 + (ordinal % 3),
    };
    const kinds: Json[] = [
      {
        '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
        displayName: 'Windows 10/11 - Device restrictions',
        passwordRequired: true,
        passwordMinimumLength: 12,
        passwordRequiredType: 'alphanumeric',
        screenCaptureBlocked: false,
        storageRequireMobileDeviceEncryption: true,
        defenderRequireRealTimeMonitoring: true,
        cameraBlocked: false,
      },
      {
        '@odata.type': '#microsoft.graph.windows10EndpointProtectionConfiguration',
        displayName: 'Windows - Endpoint protection',
        firewallBlockStatefulFTP: true,
        bitLockerEncryptDevice: true,
        bitLockerSystemDrivePolicy: { encryptionMethod: 'xtsAes256', startupAuthenticationRequired: true },
        defenderAttackSurfaceReductionExcludedPaths: [],
      },
      {
        '@odata.type': '#microsoft.graph.iosGeneralDeviceConfiguration',
        displayName: 'iOS - Device restrictions',
        passcodeRequired: true,
        passcodeMinimumLength: 6,
        passcodeBlockSimple: true,
        iCloudBlockBackup: false,
        appStoreBlocked: false,
      },
      {
        '@odata.type': '#microsoft.graph.androidGeneralDeviceConfiguration',
        displayName: 'Android - Device restrictions',
        passwordRequired: true,
        passwordMinimumLength: 6,
        storageRequireDeviceEncryption: true,
        cameraBlocked: false,
      },
      {
        '@odata.type': '#microsoft.graph.macOSGeneralDeviceConfiguration',
        displayName: 'macOS - Device restrictions',
        passwordRequired: true,
        passwordMinimumLength: 10,
        passwordBlockSimple: true,
      },
      {
        '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration',
        displayName: 'Windows Update ring - Broad',
        qualityUpdatesDeferralPeriodInDays: 7,
        featureUpdatesDeferralPeriodInDays: 30,
        automaticUpdateMode: 'autoInstallAtMaintenanceTime',
        businessReadyUpdatesOnly: 'businessReadyOnly',
      },
    ];
    const kind = kinds[ordinal % kinds.length]!;
    const assignments = [
      {
        id: `${id}_${this.id('groups', (2 + ordinal) % this.counts.groups)}`,
        target: this.groupTarget(2 + ordinal),
      },
    ];
    if (ordinal % 2 === 0)
      assignments.push({
        id: `${id}_adadadad-808e-44e2-905a-0b7873a8a531`,
        target: {
          '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget',
          deviceAndAppManagementAssignmentFilterId: null,
          deviceAndAppManagementAssignmentFilterType: 'none',
        },
      });
    return { ...kind, ...common, displayName: kind['displayName'], assignments };
  }

  configurationPolicy(ordinal: number): Json {
    const id = this.id('configurationPolicies', ordinal);
    const created = this.createdAt(16, ordinal, 5);
    const policies = [
      {
        name: 'Defender Antivirus baseline',
        platforms: 'windows10',
        technologies: 'mdm,microsoftSense',
        settings: [
          [
            'device_vendor_msft_policy_config_defender_allowrealtimemonitoring',
            'device_vendor_msft_policy_config_defender_allowrealtimemonitoring_1',
          ],
          [
            'device_vendor_msft_policy_config_defender_allowcloudprotection',
            'device_vendor_msft_policy_config_defender_allowcloudprotection_1',
          ],
        ],
      },
      {
        name: 'Edge security settings',
        platforms: 'windows10',
        technologies: 'mdm',
        settings: [
          [
            'device_vendor_msft_policy_config_microsoft_edgev92~policy~microsoft_edge_smartscreenenabled',
            'device_vendor_msft_policy_config_microsoft_edgev92~policy~microsoft_edge_smartscreenenabled_1',
          ],
        ],
      },
      {
        name: 'OneDrive Known Folder Move',
        platforms: 'windows10',
        technologies: 'mdm',
        settings: [
          [
            'device_vendor_msft_policy_config_onedrivengscv2~policy~onedrivengsc_kfmsilentoptin',
            'device_vendor_msft_policy_config_onedrivengscv2~policy~onedrivengsc_kfmsilentoptin_1',
          ],
        ],
      },
      {
        name: 'macOS FileVault',
        platforms: 'macOS',
        technologies: 'mdm,appleRemoteManagement',
        settings: [['com.apple.mcx.filevault2_enable', 'com.apple.mcx.filevault2_enable_0']],
      },
      {
        name: 'Windows LAPS',
        platforms: 'windows10',
        technologies: 'mdm',
        settings: [
          [
            'device_vendor_msft_laps_policies_backupdirectory',
            'device_vendor_msft_laps_policies_backupdirectory_1',
          ],
        ],
      },
    ];
    const p = policies[ordinal % policies.length]!;
    return {
      id,
      createdDateTime: iso(created),
      creationSource: null,
      description: `${p.name} (settings catalog)`,
      lastModifiedDateTime: iso(created + 2 * DAY_MS),
      name: p.name,
      platforms: p.platforms,
      roleScopeTagIds: ['0'],
      settingCount: p.settings.length,
      technologies: p.technologies,
      templateReference: {
        templateId: '',
        templateFamily: 'none',
        templateDisplayName: null,
        templateDisplayVersion: null,
      },
      settings: p.settings.map(([definitionId, value], i) => ({
        id: String(i),
        settingInstance: {
          '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
          settingDefinitionId: definitionId,
          settingInstanceTemplateReference: null,
          choiceSettingValue: { settingValueTemplateReference: null, value, children: [] },
        },
      })),
      assignments: [
        {
          id: `${id}_${this.id('groups', (4 + ordinal) % this.counts.groups)}`,
          source: 'direct',
          sourceId: id,
          target: this.groupTarget(4 + ordinal),
        },
      ],
    };
  }

  deviceCompliancePolicy(ordinal: number): Json {
    const id = this.id('deviceCompliancePolicies', ordinal);
    const created = this.createdAt(17, ordinal, 4);
    const kinds: Json[] = [
      {
        '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
        displayName: 'Windows compliance',
        passwordRequired: true,
        passwordMinimumLength: 8,
        bitLockerEnabled: true,
        secureBootEnabled: true,
        osMinimumVersion: '10.0.19045',
      },
      {
        '@odata.type': '#microsoft.graph.iosCompliancePolicy',
        displayName: 'iOS compliance',
        passcodeRequired: true,
        passcodeMinimumLength: 6,
        osMinimumVersion: '17.0',
        securityBlockJailbrokenDevices: true,
      },
      {
        '@odata.type': '#microsoft.graph.androidCompliancePolicy',
        displayName: 'Android compliance',
        passwordRequired: true,
        passwordMinimumLength: 6,
        securityBlockJailbrokenDevices: true,
        storageRequireEncryption: true,
      },
      {
        '@odata.type': '#microsoft.graph.macOSCompliancePolicy',
        displayName: 'macOS compliance',
        passwordRequired: true,
        storageRequireEncryption: true,
        firewallEnabled: true,
      },
    ];
    const kind = kinds[ordinal % kinds.length]!;
    const ruleId = this.guid(MISC_CODE, 4_000_000 + ordinal);
    const configurations = [
      {
        id: this.guid(MISC_CODE, 5_000_000 + ordinal * 2),
        actionType: 'block',
        gracePeriodHours: 0,
        notificationTemplateId: '00000000-0000-0000-0000-000000000000',
        notificationMessageCCList: [],
      },
    ];
    if (ordinal % 2 === 0)
      configurations.push({
        id: this.guid(MISC_CODE, 5_000_001 + ordinal * 2),
        actionType: 'notification',
        gracePeriodHours: 24,
        notificationTemplateId: this.guid(MISC_CODE, 6_000_000 + ordinal),
        notificationMessageCCList: [],
      });
    return {
      ...kind,
      id,
      createdDateTime: iso(created),
      lastModifiedDateTime: iso(created + DAY_MS),
      description: `${String(kind['displayName'])} policy`,
      version: 1 + (ordinal % 2),
      scheduledActionsForRule: [
        { id: ruleId, ruleName: 'PasswordRequired', scheduledActionConfigurations: configurations },
      ],
      assignments: [
        {
          id: `${id}_${this.id('groups', (5 + ordinal) % this.counts.groups)}`,
          target: this.groupTarget(5 + ordinal),
        },
      ],
    };
  }

  generate(name: CollectionName, ordinal: number): Json {
    switch (name) {
      case 'users':
        return this.user(ordinal);
      case 'groups':
        return this.group(ordinal);
      case 'applications':
        return this.application(ordinal);
      case 'servicePrincipals':
        return this.servicePrincipal(ordinal);
      case 'devices':
        return this.device(ordinal);
      case 'administrativeUnits':
        return this.administrativeUnit(ordinal);
      case 'roleDefinitions':
        return this.roleDefinition(ordinal);
      case 'roleAssignments':
        return this.roleAssignment(ordinal);
      case 'roleEligibilitySchedules':
        return this.roleEligibilitySchedule(ordinal);
      case 'appRoleAssignments':
        return this.appRoleAssignment(ordinal);
      case 'oauth2PermissionGrants':
        return this.oauth2PermissionGrant(ordinal);
      case 'conditionalAccessPolicies':
        return this.conditionalAccessPolicy(ordinal);
      case 'namedLocations':
        return this.namedLocation(ordinal);
      case 'authenticationStrengthPolicies':
        return this.authenticationStrengthPolicy(ordinal);
      case 'deviceConfigurations':
        return this.deviceConfiguration(ordinal);
      case 'configurationPolicies':
        return this.configurationPolicy(ordinal);
      case 'deviceCompliancePolicies':
        return this.deviceCompliancePolicy(ordinal);
      case 'bitlockerRecoveryKeys':
        return this.bitlockerRecoveryKey(ordinal);
    }
  }
}
