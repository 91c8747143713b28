import type { EmulatorClock } from '../shared/world-port';
import {
  resourceUnitCost,
  RetryAfterTracker,
  tenantSizeFor,
  ThrottleEngine,
  type ThrottleRequest,
} from './throttling';

/** Time stands still unless the test moves it. */
class FrozenClock implements EmulatorClock {
  private t = Date.UTC(2026, 0, 1);
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(epochMs: number): void {
    this.t = epochMs;
  }
}

const APP = 'app-1';
const TENANT = 'tenant-1';
const get = (
  path: string,
  query: ThrottleRequest['query'] = { select: false, expand: false },
): ThrottleRequest => ({
  appId: APP,
  tenantId: TENANT,
  method: 'GET',
  path,
  query,
});

describe(ThrottleEngine.name, () => {
  let clock: FrozenClock;
  let sut: ThrottleEngine;

  beforeEach(() => {
    clock = new FrozenClock();
    sut = new ThrottleEngine(clock, () => 10); // a small tenant: 3,500 RU per 10 s
  });

  it('uses the documented base costs and modifiers', () => {
    expect(resourceUnitCost(get('/users'))).toBe(2);
    expect(resourceUnitCost(get('/users', { select: true, expand: false }))).toBe(1);
    expect(resourceUnitCost(get('/users', { select: false, expand: true }))).toBe(3);
    expect(resourceUnitCost(get('/groups/g1/members'))).toBe(3);
    expect(resourceUnitCost(get('/groups/g1/transitiveMembers'))).toBe(5);
    expect(
      resourceUnitCost(get('/groups/g1/transitiveMembers', { select: true, expand: false, top: 10 })),
    ).toBe(3);
    expect(resourceUnitCost(get('/devices', { select: true, expand: false, top: 5 }))).toBe(1);
    expect(
      resourceUnitCost({ method: 'PATCH', path: '/users/u1', query: { select: false, expand: true } }),
    ).toBe(1);
  });

  it('sizes tenants S/M/L by user count', () => {
    expect([tenantSizeFor(49), tenantSizeFor(50), tenantSizeFor(500), tenantSizeFor(501)]).toEqual([
      'S',
      'M',
      'M',
      'L',
    ]);
  });

  it('throttles an app+tenant pair once its resource units are spent, with Retry-After and scope headers', () => {
    for (let i = 0; i < 1750; i += 1) expect(sut.admit(get('/users')).allowed).toBe(true);

    const decision = sut.admit(get('/users'));

    expect(decision).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
      code: 'TooManyRequests',
      message: expect.any(String),
      headers: {
        'Retry-After': '1',
        'x-ms-throttle-scope': `Tenant_Application/Read/${APP}/${TENANT}`,
        'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
      },
    });
  });

  it('refills the bucket as emulator time passes', () => {
    for (let i = 0; i < 1750; i += 1) sut.admit(get('/users'));
    expect(sut.admit(get('/users')).allowed).toBe(false);

    clock.advance(1000);

    expect(sut.admit(get('/users')).allowed).toBe(true);
  });

  it('reports the resource unit cost and, above 80%, the limit percentage', () => {
    const first = sut.admit(get('/users'));
    for (let i = 0; i < 1500; i += 1) sut.admit(get('/users'));
    const late = sut.admit(get('/users'));

    expect(first).toEqual({ allowed: true, headers: { 'x-ms-resource-unit': '2' } });
    expect(late).toEqual({
      allowed: true,
      headers: { 'x-ms-resource-unit': '2', 'x-ms-throttle-limit-percentage': '0.9' },
    });
  });

  it('keeps app+tenant budgets separate', () => {
    for (let i = 0; i < 1750; i += 1) sut.admit(get('/users'));

    expect(sut.admit({ ...get('/users'), tenantId: 'tenant-2' }).allowed).toBe(true);
  });

  it('allows 5 report requests per 10 seconds per app and tenant', () => {
    const results = Array.from({ length: 6 }, () => sut.admit(get('/auditLogs/signIns')).allowed);

    expect(results).toEqual([true, true, true, true, true, false]);
    clock.advance(2000);
    expect(sut.admit(get('/auditLogs/signIns')).allowed).toBe(true);
  });

  it('limits Conditional Access to 1 request per second per tenant for all apps, without Retry-After', () => {
    const first = sut.admit(get('/identity/conditionalAccess/policies'));
    const otherApp = sut.admit({ ...get('/identity/conditionalAccess/namedLocations'), appId: 'app-2' });
    clock.advance(1000);
    const later = sut.admit(get('/identity/conditionalAccess/policies'));

    expect(first.allowed).toBe(true);
    expect(otherApp).toMatchObject({
      allowed: false,
      headers: { 'x-ms-throttle-scope': `Tenant/IdentityProtection/${TENANT}` },
    });
    expect(otherApp.headers).not.toHaveProperty('Retry-After');
    expect(later.allowed).toBe(true);
  });

  it('applies the global limit of 130,000 requests per 10 seconds per app across tenants', () => {
    // Spread over 100 tenants so that no app+tenant budget runs out first.
    for (let i = 0; i < 130_000; i += 1) sut.admit({ ...get('/devices'), tenantId: `t${i % 100}` });

    expect(sut.admit({ ...get('/devices'), tenantId: 'fresh-tenant' })).toMatchObject({
      allowed: false,
      headers: { 'x-ms-throttle-scope': `Application/${APP}` },
    });
  });

  it('limits Intune writes to 100 per 20 seconds per app and tenant', () => {
    const write: ThrottleRequest = { ...get('/deviceManagement/deviceConfigurations'), method: 'POST' };
    for (let i = 0; i < 100; i += 1) expect(sut.admit(write).allowed).toBe(true);

    const decision = sut.admit(write);

    expect(decision).toMatchObject({
      allowed: false,
      headers: { 'x-ms-throttle-information': 'WriteLimitExceeded' },
    });
  });

  it('limits directory writes to 3,000 per 2.5 minutes per app and tenant', () => {
    const write: ThrottleRequest = { ...get('/users/u1'), method: 'PATCH' };
    // 3,000 writes cost 3,000 RU: still within the 3,500 RU bucket, so the write limit is what stops the next one.
    for (let i = 0; i < 3000; i += 1) expect(sut.admit(write).allowed).toBe(true);

    expect(sut.admit(write)).toMatchObject({
      allowed: false,
      headers: { 'x-ms-throttle-information': 'WriteLimitExceeded' },
    });
  });
  it('puts the Conditional Access recycle bin under the Conditional Access limit', () => {
    expect(sut.admit(get('/identity/conditionalAccess/deletedItems/policies')).allowed).toBe(true);
    expect(
      sut.admit({
        ...get('/identity/conditionalAccess/deletedItems/policies/abc/restore'),
        method: 'POST',
        appId: 'app-2',
      }),
    ).toMatchObject({
      allowed: false,
      headers: { 'x-ms-throttle-scope': expect.stringMatching(/^Tenant\/IdentityProtection\//) },
    });
  });

  it('counts restore, upsert and PIM writes against the directory write limit', () => {
    const paths = [
      '/directory/deletedItems/abc/restore',
      "/applications(uniqueName='a')",
      '/roleManagement/directory/roleEligibilityScheduleRequests',
      '/roleManagement/directory/deletedItems/roleDefinitions/abc/restore',
    ];
    // 3,000 writes cost 3,000 RU: within the resource-unit budget, so the write limit stops the next one.
    for (let i = 0; i < 3000; i += 1) {
      const decision = sut.admit({ ...get(paths[i % paths.length]!), method: i % 2 ? 'PATCH' : 'POST' });
      expect(decision).toMatchObject({ allowed: true, headers: { 'x-ms-resource-unit': '1' } });
    }
    expect(sut.admit({ ...get('/directory/deletedItems/abc/restore'), method: 'POST' })).toMatchObject({
      allowed: false,
      headers: { 'x-ms-throttle-information': 'WriteLimitExceeded' },
    });
  });
});

describe(RetryAfterTracker.name, () => {
  it('flags a retry sent before Retry-After elapsed, and not after', () => {
    const clock = new FrozenClock();
    const sut = new RetryAfterTracker(clock);
    sut.note('k', 3);

    const early = sut.isEarly('k');
    clock.advance(3000);
    const onTime = sut.isEarly('k');

    expect([early, onTime, sut.isEarly('other')]).toEqual([true, false, false]);
  });
});
