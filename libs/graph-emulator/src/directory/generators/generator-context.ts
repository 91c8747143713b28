import type { IdScheme, Json } from '../object-collection';
import { hash32, IdCodec, Rng } from '../prng';

export const DAY_MS = 86_400_000;

/**
 * The code each collection hashes its ids and random streams under. The codes are part of every generated id,
 * so changing one changes the tenant; a new collection takes a code no other stream uses (see below).
 */
export const TYPE_CODES = {
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
  roleAssignmentSchedules: 41,
  authenticationContextClassReferences: 47,
  groupSettings: 48,
  groupLifecyclePolicies: 49,
  claimsMappingPolicies: 45,
  homeRealmDiscoveryPolicies: 46,
  tokenIssuancePolicies: 50,
  tokenLifetimePolicies: 51,
  appManagementPolicies: 52,
  authorizationPolicy: 60,
  identitySecurityDefaultsEnforcementPolicy: 61,
  authenticationMethodsPolicy: 62,
  crossTenantAccessPolicy: 63,
  crossTenantAccessPolicyDefault: 64,
  crossTenantAccessPolicyPartners: 65,
  adminConsentRequestPolicy: 66,
  permissionGrantPolicies: 67,
  defaultAppManagementPolicy: 68,
  roleManagementPolicyRules: 70,
  delegatedPermissionClassifications: 76,
} as const;

export type CollectionName = keyof typeof TYPE_CODES;

export const COLLECTION_NAMES = Object.keys(TYPE_CODES) as readonly CollectionName[];

/**
 * Codes of GUIDs that are not object ids (20-24); the activity logs use 30-34, users' authentication
 * methods and sponsors 80-81 (authentication-methods.generator.ts).
 */
export const APP_ID_CODE = 20;
export const DEVICE_ID_CODE = 21;
export const APP_ROLE_CODE = 22;
export const DIRECTORY_ROLE_CODE = 23;
export const MISC_CODE = 24;

export interface ResolvedTenantSpec {
  index: number;
  tenantId: string;
  displayName: string;
  domain: string;
  users: number;
  premium: boolean;
}

/** Generates one collection of a tenant by ordinal; holds no per-tenant state (caches key on the context). */
export interface CollectionGenerator {
  /** Well-known ids the collection starts with, served before its generated GUIDs. */
  readonly fixedIds?: readonly string[];
  /** How many objects the tenant holds; may read the counts of other collections (sized on first read). */
  count(ctx: GeneratorContext): number;
  generate(ctx: GeneratorContext, ordinal: number): Json;
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

/**
 * Caches a small derived table (an assignment plan) per tenant, keyed on the context, so generators hold no
 * per-tenant state of their own.
 */
export function perTenant<T>(build: (ctx: GeneratorContext) => T): (ctx: GeneratorContext) => T {
  const cache = new WeakMap<GeneratorContext, T>();
  return (ctx) => {
    let value = cache.get(ctx);
    if (value === undefined) {
      value = build(ctx);
      cache.set(ctx, value);
    }
    return value;
  };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function ascii(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * What every collection generator derives its objects from: (seed, tenant spec, epoch), the counts and id
 * schemes of all collections, and seeded PRNG helpers. Holds nothing per object.
 */
export class GeneratorContext {
  readonly counts: Readonly<Record<CollectionName, number>>;
  /** The on-premises AD domain SID synced objects share. */
  readonly domainSid: string;
  readonly onPremDomain: string;
  private readonly schemes = new Map<CollectionName, IdScheme>();

  constructor(
    readonly seed: number,
    readonly spec: ResolvedTenantSpec,
    /** Start of the day the tenant was generated; every generated timestamp lies before it. */
    readonly epoch: number,
    private readonly generators: Readonly<Record<CollectionName, CollectionGenerator>>,
  ) {
    this.domainSid = `S-1-5-21-${hash32(seed, spec.index, 1)}-${hash32(seed, spec.index, 2)}-${hash32(seed, spec.index, 3)}`;
    this.onPremDomain = `corp.${ascii(spec.displayName)}.local`;
    // Counts depend on each other (service principals follow applications, assignment plans read users and
    // groups): while sizing, each count is computed on its first read; afterwards they are plain numbers.
    const sizing = this.sizingCounts();
    this.counts = sizing;
    this.counts = { ...sizing };
  }

  private sizingCounts(): Record<CollectionName, number> {
    const sized = new Map<CollectionName, number>();
    const inProgress: CollectionName[] = [];
    const counts = {} as Record<CollectionName, number>;
    for (const name of COLLECTION_NAMES) {
      Object.defineProperty(counts, name, {
        enumerable: true,
        get: () => {
          let count = sized.get(name);
          if (count === undefined) {
            if (inProgress.includes(name))
              throw new Error(
                `collection counts depend on each other: ${[...inProgress, name].join(' -> ')}`,
              );
            inProgress.push(name);
            count = this.generators[name].count(this);
            inProgress.pop();
            sized.set(name, count);
          }
          return count;
        },
      });
    }
    return counts;
  }

  scheme(name: CollectionName): IdScheme {
    let scheme = this.schemes.get(name);
    if (!scheme) {
      const codec = new IdCodec(this.seed, this.spec.index, TYPE_CODES[name]);
      const fixed = this.generators[name].fixedIds;
      scheme = fixed ? new PrefixedScheme(fixed, codec) : codec;
      this.schemes.set(name, scheme);
    }
    return scheme;
  }

  id(name: CollectionName, ordinal: number): string {
    return this.scheme(name).encode(ordinal);
  }

  guid(code: number, ordinal: number): string {
    return new IdCodec(this.seed, this.spec.index, code).encode(ordinal);
  }

  rng(code: number, ordinal: number, salt = 0): Rng {
    return new Rng(this.seed, this.spec.index, code, ordinal, salt);
  }

  createdAt(code: number, ordinal: number, count: number): number {
    const span = 1000 * DAY_MS;
    const jitter = hash32(this.seed, this.spec.index, code, ordinal, 77) % DAY_MS;
    return this.epoch - 1100 * DAY_MS + Math.floor((ordinal / Math.max(1, count)) * span) + jitter;
  }
}
