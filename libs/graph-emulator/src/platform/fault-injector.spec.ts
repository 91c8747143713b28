import { AdjustableClock } from '../shared/world-port';
import { FaultInjector, type FaultRequest } from './fault-injector';

const request = (path = '/v1.0/users', hasSkipToken = false): FaultRequest => ({
  method: 'GET',
  path,
  template: path,
  hasSkipToken,
});

describe(FaultInjector.name, () => {
  it('makes the same decisions for the same seed', () => {
    const run = (seed: number) => {
      const sut = new FaultInjector(new AdjustableClock(), { seed, errorRate: 0.3, latencyJitterMs: 50 });
      return Array.from({ length: 40 }, () => sut.decide(request()));
    };

    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('hits roughly the configured error rate', () => {
    const sut = new FaultInjector(new AdjustableClock(), { errorRate: 0.25 });

    const errors = Array.from({ length: 2000 }, () => sut.decide(request())).filter(
      (d) => d.outcome?.kind === 'error',
    ).length;

    expect(errors).toBeGreaterThan(400);
    expect(errors).toBeLessThan(600);
  });

  it('matches rule paths with or without the version and with wildcards', () => {
    const sut = new FaultInjector(new AdjustableClock(), {
      rules: [{ path: '/groups/*/members', nth: 1, times: 2, status: 503 }],
    });

    const decisions = [
      sut.decide(request('/v1.0/groups/abc/members')),
      sut.decide(request('/beta/groups/def/members')),
      sut.decide(request('/v1.0/groups/ghi/members')),
      sut.decide(request('/v1.0/groups/abc/owners')),
    ];

    expect(decisions.map((d) => d.outcome?.kind ?? 'none')).toEqual(['error', 'error', 'none', 'none']);
    expect(decisions[0]!.outcome).toMatchObject({
      status: 503,
      code: 'serviceNotAvailable',
      retryAfterSeconds: 5,
    });
  });

  it('takes the identity platform down whole or for interactive sign-in only, and back up after a reset', () => {
    const sut = new FaultInjector(new AdjustableClock());
    const tenant = '5b1d3c2a-8f6e-4d7c-9a0b-1c2d3e4f5a6b';
    const paths = [
      `/${tenant}/oauth2/v2.0/authorize`,
      `/${tenant}/v2.0/adminconsent`,
      `/${tenant}/oauth2/v2.0/token`,
      '/organizations/v2.0/.well-known/openid-configuration',
    ];
    expect(paths.map((p) => sut.identityUnavailable(p))).toEqual([false, false, false, false]);

    sut.configure({ identityOutage: 'sign-in' });
    expect(paths.map((p) => sut.identityUnavailable(p))).toEqual([true, true, false, false]);

    sut.configure({ identityOutage: true });
    expect(paths.map((p) => sut.identityUnavailable(p))).toEqual([true, true, true, true]);

    sut.reset();
    expect(sut.identityUnavailable(paths[2]!)).toBe(false);
  });

  it('rejects unknown settings with a ZodError', () => {
    const sut = new FaultInjector(new AdjustableClock());

    expect(() => sut.configure({ errorRatio: 0.1 })).toThrow(/errorRatio/);
  });

  it('refuses writes that reference a young object at the replication-delay rate, reproducibly', () => {
    const run = (seed: number) => {
      const sut = new FaultInjector(new AdjustableClock(), {
        seed,
        replicationDelayMs: 1000,
        replicationDelayRate: 0.5,
      });
      return Array.from({ length: 40 }, () => sut.replicationLag(10, 'x') !== undefined);
    };

    expect(run(7)).toEqual(run(7));
    expect(run(7).filter(Boolean).length).toBeGreaterThan(5);
    expect(run(7).filter(Boolean).length).toBeLessThan(35);
  });

  it('lets writes through once the object is older than the delay, and by default', () => {
    const sut = new FaultInjector(new AdjustableClock(), {
      replicationDelayMs: 1000,
      replicationDelayRate: 1,
      replicationDelayStatus: 404,
    });

    expect(sut.replicationLag(999, 'abc')).toEqual({
      status: 404,
      code: 'Request_ResourceNotFound',
      message:
        "Resource 'abc' does not exist or one of its queried reference-property objects are not present.",
    });
    expect(sut.replicationLag(1000, 'abc')).toBeUndefined();
    expect(new FaultInjector(new AdjustableClock(), {}).replicationLag(0, 'abc')).toBeUndefined();
    expect(sut.state().replicationFaults).toBe(1);
  });
});
