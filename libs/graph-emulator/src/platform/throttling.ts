import type { EmulatorClock } from '../shared/world-port';

/**
 * Microsoft Graph throttling for the services the product calls, with the documented limits:
 * https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits
 * https://learn.microsoft.com/graph/throttling-limits#identity-and-access-reports-service-limits
 * https://learn.microsoft.com/graph/throttling-limits#intune-device-configuration-service-limits
 * https://learn.microsoft.com/graph/throttling-limits#identity-protection-and-conditional-access-service-limits
 */
export interface ThrottleRequest {
  appId: string;
  tenantId: string;
  method: string;
  /** Path after the version segment, e.g. `/users/{id}/memberOf`, without the query. */
  path: string;
  query: { select: boolean; expand: boolean; top?: number };
}

export type ThrottleDecision =
  | { allowed: true; headers: Record<string, string> }
  | {
      allowed: false;
      retryAfterSeconds: number;
      headers: Record<string, string>;
      code: string;
      message: string;
    };

export type TenantSize = 'S' | 'M' | 'L';

/** RU per 10 s for an app+tenant pair by tenant size: S (<50 users), M (50-500), L (>500). */
export const APP_TENANT_RU_PER_10S: Record<TenantSize, number> = { S: 3500, M: 5000, L: 8000 };

export function tenantSizeFor(userCount: number): TenantSize {
  if (userCount < 50) return 'S';
  if (userCount <= 500) return 'M';
  return 'L';
}

/** Base resource-unit costs of identity requests; anything else costs 1. */
const BASE_COSTS: Array<[RegExp, number]> = [
  [/^\/users(\/[^/]+)?$/i, 2],
  [/^\/applications(\/[^/]+)?$/i, 2],
  [/\/transitiveMembers(\/|$)/i, 5],
  [/^\/groups\/[^/]+\/members(\/|$)/i, 3],
  [/^\/oauth2PermissionGrants(\/|$)/i, 2],
  [/^\/servicePrincipals\/[^/]+\/appRoleAssignments(\/|$)/i, 2],
  [/^\/subscribedSkus(\/|$)/i, 3],
  [/^\/directoryObjects\/getByIds$/i, 3],
];

export function resourceUnitCost(req: Pick<ThrottleRequest, 'method' | 'path' | 'query'>): number {
  if (req.method !== 'GET') return 1;
  let cost = BASE_COSTS.find(([pattern]) => pattern.test(req.path))?.[1] ?? 1;
  if (req.query.select) cost -= 1;
  if (req.query.expand) cost += 1;
  if (req.query.top !== undefined && req.query.top < 20) cost -= 1;
  return Math.max(1, cost);
}

class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly capacity: number,
    private readonly windowMs: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.updatedAt = now;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.capacity) / this.windowMs);
    this.updatedAt = Math.max(this.updatedAt, now);
  }

  /** Milliseconds until `cost` tokens are available (0 = now). */
  waitFor(cost: number, now: number): number {
    this.refill(now);
    if (this.tokens >= cost) return 0;
    return Math.ceil(((cost - this.tokens) * this.windowMs) / this.capacity);
  }

  take(cost: number): void {
    this.tokens -= cost;
  }

  /** Share of the budget in use, 0..1. */
  usage(): number {
    return (this.capacity - this.tokens) / this.capacity;
  }
}

interface Limit {
  key: string;
  capacity: number;
  windowMs: number;
  cost: number;
  scope: string;
  information?: string;
  /** Identity Protection and Conditional Access answer 429 without Retry-After (documented). */
  noRetryAfter?: boolean;
}

/**
 * Resources under the Identity Protection and Conditional Access limit: 1 request per second per tenant, all apps
 * (the deleted policies and named locations are served by the same service).
 */
const IDENTITY_PROTECTION_CA =
  /^\/(identity\/conditionalAccess\/(policies|namedLocations|deletedItems)|identityProtection\/|riskDetections|riskyUsers)/i;

export class ThrottleEngine {
  private buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly tenantUserCount: (tenantId: string) => number,
  ) {}

  reset(): void {
    this.buckets = new Map();
  }

  admit(req: ThrottleRequest): ThrottleDecision {
    const now = this.clock.now();
    const limits = this.limitsFor(req);
    let waitMs = 0;
    let blocking: Limit | undefined;
    for (const limit of limits) {
      const wait = this.bucket(limit, now).waitFor(limit.cost, now);
      if (wait > waitMs) {
        waitMs = wait;
        blocking = limit;
      }
    }
    if (blocking) {
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      return {
        allowed: false,
        retryAfterSeconds,
        code: 'TooManyRequests',
        message: 'Too many requests. Please retry after the number of seconds in the Retry-After header.',
        headers: {
          ...(blocking.noRetryAfter ? {} : { 'Retry-After': String(retryAfterSeconds) }),
          'x-ms-throttle-scope': blocking.scope,
          ...(blocking.information ? { 'x-ms-throttle-information': blocking.information } : {}),
        },
      };
    }
    for (const limit of limits) this.bucket(limit, now).take(limit.cost);
    const headers: Record<string, string> = {};
    const ru = limits.find((l) => l.key.startsWith('ru:'));
    if (ru) {
      headers['x-ms-resource-unit'] = String(ru.cost);
      const usage = this.bucket(ru, now).usage();
      // Sent only above 80% of the budget; documented range 0.8-1.8.
      if (usage > 0.8) headers['x-ms-throttle-limit-percentage'] = usage.toFixed(1);
    }
    return { allowed: true, headers };
  }

  private bucket(limit: Limit, now: number): TokenBucket {
    let bucket = this.buckets.get(limit.key);
    if (!bucket) {
      bucket = new TokenBucket(limit.capacity, limit.windowMs, now);
      this.buckets.set(limit.key, bucket);
    }
    return bucket;
  }

  private limitsFor(req: ThrottleRequest): Limit[] {
    // The global limit: 130,000 requests per 10 seconds per app across all tenants.
    // https://learn.microsoft.com/graph/throttling-limits
    const global: Limit = {
      key: `global:${req.appId}`,
      capacity: 130_000,
      windowMs: 10_000,
      cost: 1,
      scope: `Application/${req.appId}`,
    };
    return [...this.serviceLimitsFor(req), global];
  }

  private serviceLimitsFor(req: ThrottleRequest): Limit[] {
    const { appId, tenantId } = req;
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    if (/^\/(auditLogs|reports)\//i.test(req.path)) {
      return [
        {
          key: `reports:${appId}:${tenantId}`,
          capacity: 5,
          windowMs: 10_000,
          cost: 1,
          scope: `Tenant_Application/Reports/${appId}/${tenantId}`,
        },
      ];
    }
    if (IDENTITY_PROTECTION_CA.test(req.path)) {
      return [
        {
          key: `ca:${tenantId}`,
          capacity: 1,
          windowMs: 1000,
          cost: 1,
          scope: `Tenant/IdentityProtection/${tenantId}`,
          noRetryAfter: true,
        },
      ];
    }
    if (/^\/deviceManagement\//i.test(req.path)) {
      const limits: Limit[] = [
        {
          key: `intune:${appId}:${tenantId}`,
          capacity: 1000,
          windowMs: 20_000,
          cost: 1,
          scope: `Tenant_Application/Intune/${appId}/${tenantId}`,
        },
        {
          key: `intune-tenant:${tenantId}`,
          capacity: 2000,
          windowMs: 20_000,
          cost: 1,
          scope: `Tenant/Intune/${tenantId}`,
        },
      ];
      if (write) {
        limits.push(
          {
            key: `intune-w:${appId}:${tenantId}`,
            capacity: 100,
            windowMs: 20_000,
            cost: 1,
            scope: `Tenant_Application/Intune/${appId}/${tenantId}`,
            information: 'WriteLimitExceeded',
          },
          {
            key: `intune-tenant-w:${tenantId}`,
            capacity: 200,
            windowMs: 20_000,
            cost: 1,
            scope: `Tenant/Intune/${tenantId}`,
            information: 'WriteLimitExceeded',
          },
        );
      }
      return limits;
    }
    const cost = resourceUnitCost(req);
    const size = tenantSizeFor(this.tenantUserCount(tenantId));
    const limits: Limit[] = [
      {
        key: `ru:${appId}:${tenantId}`,
        capacity: APP_TENANT_RU_PER_10S[size],
        windowMs: 10_000,
        cost,
        scope: `Tenant_Application/${write ? 'ReadWrite' : 'Read'}/${appId}/${tenantId}`,
        information: 'ResourceUnitLimitExceeded',
      },
      {
        key: `ru-app:${appId}`,
        capacity: 150_000,
        windowMs: 20_000,
        cost,
        scope: `Application/ReadWrite/${appId}`,
        information: 'ResourceUnitLimitExceeded',
      },
    ];
    if (write) {
      limits.push(
        {
          key: `w:${appId}:${tenantId}`,
          capacity: 3000,
          windowMs: 150_000,
          cost: 1,
          scope: `Tenant_Application/ReadWrite/${appId}/${tenantId}`,
          information: 'WriteLimitExceeded',
        },
        {
          key: `w-app:${appId}`,
          capacity: 70_000,
          windowMs: 300_000,
          cost: 1,
          scope: `Application/ReadWrite/${appId}`,
          information: 'WriteLimitExceeded',
        },
        {
          key: `w-tenant:${tenantId}`,
          capacity: 18_000,
          windowMs: 300_000,
          cost: 1,
          scope: `Tenant/ReadWrite/${tenantId}`,
          information: 'WriteLimitExceeded',
        },
      );
    }
    return limits;
  }
}

/** Remembers `Retry-After` deadlines per request so retries sent too early can be counted. */
export class RetryAfterTracker {
  private deadlines = new Map<string, number>();

  constructor(private readonly clock: EmulatorClock) {}

  note(key: string, retryAfterSeconds: number): void {
    const now = this.clock.now();
    // Long storms over many distinct URLs would otherwise keep every deadline forever.
    if (this.deadlines.size >= 10_000) {
      for (const [k, deadline] of this.deadlines) if (deadline <= now) this.deadlines.delete(k);
    }
    this.deadlines.set(key, now + retryAfterSeconds * 1000);
  }

  /** True when `key` was told to wait and the wait has not elapsed. */
  isEarly(key: string): boolean {
    const deadline = this.deadlines.get(key);
    if (deadline === undefined) return false;
    if (this.clock.now() >= deadline) {
      this.deadlines.delete(key);
      return false;
    }
    return true;
  }

  reset(): void {
    this.deadlines = new Map();
  }
}
