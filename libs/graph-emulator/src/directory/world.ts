import type { DirectoryUserSummary, EmulatedTenantSummary } from '../shared/graph-context';
import type {
  AuditEventInput,
  EmulatorClock,
  EmulatorWorldPort,
  SignInEventInput,
} from '../shared/world-port';
import { TENANT_NAMES } from './catalog';
import { IdCodec } from './prng';
import { resolveSoftDelete, type SoftDeleteOptions } from './soft-delete';
import { DAY_MS, type ResolvedTenantSpec } from './tenant-generator';
import { TenantDirectory } from './tenant-directory';

export interface TenantSpec {
  /** Organization display name; defaults to a well-known sample company name. */
  displayName?: string;
  /** Initial domain prefix (`<prefix>.onmicrosoft.com`); derived from the name by default. */
  domainPrefix?: string;
  /** Number of users; defaults to `usersPerTenant`. */
  users?: number;
  /** Entra ID P1/P2; defaults to true. */
  premium?: boolean;
}

export interface CreateWorldOptions {
  seed: number;
  tenants: number | TenantSpec[];
  usersPerTenant: number;
  clock: EmulatorClock;
  /** Indexes of tenants without a premium licence. */
  nonPremiumTenants?: number[];
  /** Soft delete per object type; every type defaults to on (see soft-delete.ts). */
  softDelete?: Partial<SoftDeleteOptions>;
}

/** The emulated directory of every tenant: what the identity platform and the Graph layer share. */
export interface EmulatorWorld extends EmulatorWorldPort {
  readonly seed: number;
  readonly clock: EmulatorClock;
  /** The tenant's directory, or undefined for an unknown tenant id. */
  directory(tenantId: string): TenantDirectory | undefined;
}

const MAX_USERS = 5_000_000;
const TENANT_TYPE_CODE = 99;

function resolveSpecs(options: CreateWorldOptions): ResolvedTenantSpec[] {
  const problems: string[] = [];
  if (!Number.isInteger(options.seed)) problems.push(`seed must be an integer (got ${String(options.seed)})`);
  if (
    !Number.isInteger(options.usersPerTenant) ||
    options.usersPerTenant < 1 ||
    options.usersPerTenant > MAX_USERS
  ) {
    problems.push(
      `usersPerTenant must be an integer between 1 and ${MAX_USERS} (got ${String(options.usersPerTenant)})`,
    );
  }
  const specs: TenantSpec[] =
    typeof options.tenants === 'number'
      ? Array.from({ length: options.tenants }, () => ({}))
      : options.tenants;
  if (
    typeof options.tenants === 'number' &&
    (!Number.isInteger(options.tenants) || options.tenants < 1 || options.tenants > 100)
  ) {
    problems.push(`tenants must be an integer between 1 and 100 (got ${String(options.tenants)})`);
  }
  specs.forEach((spec, i) => {
    if (
      spec.users !== undefined &&
      (!Number.isInteger(spec.users) || spec.users < 1 || spec.users > MAX_USERS)
    ) {
      problems.push(
        `tenants[${i}].users must be an integer between 1 and ${MAX_USERS} (got ${String(spec.users)})`,
      );
    }
    if (spec.domainPrefix !== undefined && !/^[a-z0-9-]{1,48}$/i.test(spec.domainPrefix)) {
      problems.push(
        `tenants[${i}].domainPrefix must be 1-48 letters, digits or hyphens (got '${spec.domainPrefix}')`,
      );
    }
  });
  if (Array.isArray(options.tenants) && options.tenants.length === 0)
    problems.push('tenants must list at least one tenant');
  for (const index of options.nonPremiumTenants ?? []) {
    if (!Number.isInteger(index) || index < 0 || index >= specs.length) {
      problems.push(
        `nonPremiumTenants holds ${String(index)}, which is not a tenant index (0..${specs.length - 1})`,
      );
    }
  }
  if (problems.length > 0) throw new Error(`Invalid emulator world options: ${problems.join('; ')}`);
  const nonPremium = new Set(options.nonPremiumTenants ?? []);
  const used = new Set<string>();
  return specs.map((spec, index) => {
    const base = TENANT_NAMES[index % TENANT_NAMES.length]!;
    const round = Math.floor(index / TENANT_NAMES.length);
    const displayName = spec.displayName ?? (round > 0 ? `${base} ${round + 1}` : base);
    let prefix = (spec.domainPrefix ?? displayName).toLowerCase().replace(/[^a-z0-9]/g, '');
    if (prefix.length === 0) prefix = `tenant${index}`;
    while (used.has(prefix)) prefix = `${prefix}${index}`;
    used.add(prefix);
    return {
      index,
      tenantId: new IdCodec(options.seed, 0xffff, TENANT_TYPE_CODE).encode(index),
      displayName,
      domain: `${prefix}.onmicrosoft.com`,
      users: spec.users ?? options.usersPerTenant,
      premium: nonPremium.has(index) ? false : (spec.premium ?? true),
    };
  });
}

class World implements EmulatorWorld {
  private tenants = new Map<string, TenantDirectory>();
  private readonly specs: ResolvedTenantSpec[];
  private readonly epoch: number;
  private readonly softDelete: SoftDeleteOptions;

  constructor(
    readonly seed: number,
    options: CreateWorldOptions,
    readonly clock: EmulatorClock,
  ) {
    this.specs = resolveSpecs(options);
    this.softDelete = resolveSoftDelete(options.softDelete);
    this.epoch = Math.floor(clock.now() / DAY_MS) * DAY_MS;
    this.build();
  }

  private build(): void {
    this.tenants = new Map(
      this.specs.map((spec) => [
        spec.tenantId,
        new TenantDirectory(this.seed, spec, this.epoch, this.clock, this.softDelete),
      ]),
    );
  }

  directory(tenantId: string): TenantDirectory | undefined {
    return this.tenants.get(tenantId.toLowerCase());
  }

  private summary(t: TenantDirectory): EmulatedTenantSummary {
    return {
      tenantId: t.tenantId,
      displayName: t.spec.displayName,
      defaultDomain: t.spec.domain,
      premium: t.premium,
    };
  }

  listTenants(): EmulatedTenantSummary[] {
    return [...this.tenants.values()].map((t) => this.summary(t));
  }

  getTenant(tenantId: string): EmulatedTenantSummary | undefined {
    const t = this.directory(tenantId);
    return t ? this.summary(t) : undefined;
  }

  listSignInUsers(tenantId: string, limit: number): DirectoryUserSummary[] {
    return this.directory(tenantId)?.listSignInUsers(limit) ?? [];
  }

  findUser(tenantId: string, idOrUpn: string): DirectoryUserSummary | undefined {
    const t = this.directory(tenantId);
    const user = t?.userByIdOrUpn(idOrUpn);
    return t && user ? t.userSummary(user) : undefined;
  }

  recordSignIn(tenantId: string, event: SignInEventInput): void {
    this.require(tenantId).recordSignIn(event);
  }

  recordAudit(tenantId: string, event: AuditEventInput): void {
    this.require(tenantId).recordAudit(event);
  }

  applyAdminConsent(tenantId: string, app: { appId: string; displayName: string }, appRoles: string[]): void {
    this.require(tenantId).applyAdminConsent(app, appRoles);
  }

  grantedAppRoles(tenantId: string, appId: string): string[] {
    return this.directory(tenantId)?.grantedAppRoles(appId) ?? [];
  }

  reset(): void {
    this.build();
  }

  private require(tenantId: string): TenantDirectory {
    const t = this.directory(tenantId);
    if (!t) throw new Error(`Unknown tenant '${tenantId}'`);
    return t;
  }
}

/**
 * Creates the emulated tenants. Creation is O(tenants): objects are derived from the seed on
 * demand, so a 1,000,000-user tenant costs no memory until it changes.
 */
export function createWorld(options: CreateWorldOptions): EmulatorWorld {
  return new World(options.seed, options, options.clock);
}
