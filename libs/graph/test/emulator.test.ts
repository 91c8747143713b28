import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startEmulator,
  type EmulatorClock,
  type RegisteredApp,
  type RunningEmulator,
} from '@entra-backup/graph-emulator';
import { GraphAuthenticationError } from '../src/errors';
import { DefaultGraphClientFactory } from '../src/graph-client.factory';
import { GraphBatchRequest } from '../src/graph-client';
import { Clock } from '../src/resilience/clock';
import { createClientCertificate, type TestClientCertificate } from './support/test-pki';

/**
 * Virtual time shared by the emulator and the client: time moves only when the client waits, so the
 * emulator's throttling windows and Retry-After values are honoured without the test sleeping.
 */
class SharedVirtualClock extends Clock implements EmulatorClock {
  private current = Date.now();
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.current += Math.max(0, ms);
    return Promise.resolve();
  }
}

const APP: RegisteredApp = {
  clientId: '3f9c1d2e-0000-4000-8000-0000000000b1',
  clientSecret: 'graph-lib-test~secret',
  displayName: 'Entra Backup (graph library test)',
  redirectUris: ['http://localhost:3000/api/consent/callback'],
  requiredAppRoles: ['User.ReadWrite.All', 'Group.Read.All'],
};

/** An app registered with a certificate only; its certificate is generated when the suite starts. */
const CERTIFICATE_APP: Omit<RegisteredApp, 'certificatePem'> = {
  clientId: '3f9c1d2e-0000-4000-8000-0000000000c2',
  displayName: 'Entra Backup (graph library certificate test)',
  redirectUris: ['http://localhost:3000/api/consent/callback'],
  requiredAppRoles: ['User.Read.All', 'Group.Read.All'],
};

// Generous: the emulator generates its tenant in-process and CI machines are shared.
jest.setTimeout(30_000);

describe('GraphClient against the Graph emulator', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'graph-lib-emulator-'));
  let emulator: RunningEmulator;
  let clock: SharedVirtualClock;
  let factory: DefaultGraphClientFactory;
  let tenantId: string;
  let certificate: TestClientCertificate;

  beforeAll(async () => {
    clock = new SharedVirtualClock();
    certificate = createClientCertificate();
    emulator = await startEmulator({
      port: 0,
      dataDir,
      seed: 7,
      tenants: 1,
      usersPerTenant: 250,
      apps: [APP, { ...CERTIFICATE_APP, certificatePem: certificate.certificatePem }],
      clock,
    });
    tenantId = emulator.world.listTenants()[0]!.tenantId;
  });

  afterAll(async () => {
    await emulator.stop();
  });

  beforeEach(() => {
    emulator.reset();
    factory = new DefaultGraphClientFactory({
      clientId: APP.clientId,
      credential: { kind: 'secret', clientSecret: APP.clientSecret! },
      graphBaseUrl: emulator.graphBaseUrl,
      loginBaseUrl: emulator.loginBaseUrl,
      caCertificates: [emulator.caCertPem],
      clock,
      maxConcurrency: 4,
    });
  });

  afterEach(async () => {
    await factory.close();
  });

  const consent = () =>
    emulator.world.applyAdminConsent(
      tenantId,
      { appId: APP.clientId, displayName: APP.displayName },
      APP.requiredAppRoles,
    );

  it('gets a token by client credentials only after admin consent and reports the granted roles', async () => {
    await expect(factory.getGrantedAppRoles(tenantId)).rejects.toBeInstanceOf(GraphAuthenticationError);
    consent();
    await expect(factory.getGrantedAppRoles(tenantId)).resolves.toEqual([...APP.requiredAppRoles].sort());
  });

  it('gets a token with a certificate credential (msal signs PS256 with x5t#S256) and reports the granted roles', async () => {
    const certificateFactory = new DefaultGraphClientFactory({
      clientId: CERTIFICATE_APP.clientId,
      credential: {
        kind: 'certificate',
        thumbprintSha256: certificate.thumbprintSha256,
        privateKey: certificate.privateKeyPem,
        x5c: certificate.certificatePem,
      },
      graphBaseUrl: emulator.graphBaseUrl,
      loginBaseUrl: emulator.loginBaseUrl,
      caCertificates: [emulator.caCertPem],
      clock,
    });
    try {
      await expect(certificateFactory.getGrantedAppRoles(tenantId)).rejects.toBeInstanceOf(
        GraphAuthenticationError,
      );
      emulator.world.applyAdminConsent(
        tenantId,
        { appId: CERTIFICATE_APP.clientId, displayName: CERTIFICATE_APP.displayName },
        CERTIFICATE_APP.requiredAppRoles,
      );

      await expect(certificateFactory.getGrantedAppRoles(tenantId)).resolves.toEqual(
        [...CERTIFICATE_APP.requiredAppRoles].sort(),
      );
      const page = await certificateFactory.forTenant(tenantId).get<{ value: unknown[] }>('/users', {
        query: { $top: 5 },
      });
      expect(page.value).toHaveLength(5);
    } finally {
      await certificateFactory.close();
    }
  });

  it('pages through all users with the count of the first page', async () => {
    consent();
    const sut = factory.forTenant(tenantId);
    const ids = new Set<string>();
    let count: number | undefined;
    let pages = 0;
    for await (const page of sut.pages<{ id: string }>('/users', {
      query: { $select: 'id,displayName', $top: 100, $count: true },
      headers: { ConsistencyLevel: 'eventual' },
    })) {
      pages++;
      count ??= page.count;
      page.items.forEach((user) => ids.add(user.id));
    }
    expect(pages).toBe(3);
    expect(ids.size).toBe(250);
    expect(count).toBe(250);
    expect(sut.metrics().requests).toBe(3);
  });

  it('runs a delta round, then resumes from the deltaLink and sees a change', async () => {
    consent();
    const sut = factory.forTenant(tenantId);
    let deltaLink: string | undefined;
    let total = 0;
    for await (const page of sut.delta<{ id: string }>('/users/delta?$select=id,displayName')) {
      total += page.items.length;
      deltaLink = page.deltaLink ?? deltaLink;
    }
    expect(total).toBe(250);
    expect(deltaLink).toBeDefined();
    const [first] = await sut
      .listAll<{ id: string }>('/users', { query: { $top: 1, $select: 'id' } })
      .then((users) => users.slice(0, 1));
    await sut.patch(`/users/${first!.id}`, { displayName: 'Renamed by delta test' });
    const changed: Array<{ id: string; displayName?: string }> = [];
    for await (const page of sut.delta<{ id: string; displayName?: string }>(
      '/users/delta?$select=id,displayName',
      { deltaLink },
    )) {
      expect(page.fullSync).toBe(false);
      changed.push(...page.items);
    }
    expect(changed).toEqual([
      expect.objectContaining({ id: first!.id, displayName: 'Renamed by delta test' }),
    ]);
  });

  it('batches per-user requests in envelopes of 20', async () => {
    consent();
    const sut = factory.forTenant(tenantId);
    const users = (
      await sut.listAll<{ id: string }>('/users', { query: { $select: 'id', $top: 999 } })
    ).slice(0, 30);
    const requests: GraphBatchRequest[] = users.map((user, index) => ({
      id: `u${index}`,
      method: 'GET',
      url: `/users/${user.id}?$select=id,userPrincipalName`,
    }));
    const before = sut.metrics().requests;
    const results = await sut.batch(requests);
    expect(sut.metrics().requests - before).toBe(2);
    expect([...results.values()].map((result) => result.status)).toEqual(users.map(() => 200));
    expect((results.get('u29')!.body as { id: string }).id).toBe(users[29]!.id);
  });

  it('returns the same users under transient errors, dropped connections and an expired page token', async () => {
    consent();
    const drain = async () => {
      const sut = factory.forTenant(tenantId);
      let users: string[] = [];
      let restarts = 0;
      for await (const page of sut.pages<{ id: string; userPrincipalName: string }>('/users', {
        query: { $select: 'id,userPrincipalName', $top: 50 },
      })) {
        if (page.restarted) {
          restarts++;
          users = [];
        }
        users.push(...page.items.map((user) => `${user.id} ${user.userPrincipalName}`));
      }
      return { users: users.sort(), restarts, metrics: sut.metrics() };
    };
    const clean = await drain();
    emulator.faults.configure({
      seed: 3,
      errorRate: 0.1,
      errorStatuses: [500, 503, 504],
      retryAfterSeconds: 2,
      dropRate: 0.05,
      expiredPageTokenNth: 3,
    });
    const faulty = await drain();
    expect(faulty.users).toEqual(clean.users);
    expect(faulty.users).toHaveLength(250);
    expect(clean.restarts).toBe(0);
    expect(faulty.restarts).toBe(1);
    expect(faulty.metrics.retries).toBeGreaterThan(0);
    expect(emulator.counters.snapshot().earlyRetries).toBe(0);
  });

  it('rides out a 429 storm without retrying early', async () => {
    consent();
    emulator.faults.configure({ storm: { requests: 6, retryAfterSeconds: 2 } });
    const sut = factory.forTenant(tenantId);
    const users = await sut.listAll<{ id: string }>('/users', { query: { $select: 'id', $top: 999 } });
    expect(users).toHaveLength(250);
    const counters = emulator.counters.snapshot();
    expect(counters.throttled).toBeGreaterThanOrEqual(6);
    expect(counters.earlyRetries).toBe(0);
    expect(sut.metrics().throttledResponses).toBeGreaterThanOrEqual(6);
  });
});
