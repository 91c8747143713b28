import { ThrottleEngine } from '../../src/platform/throttling';
import type { RunningEmulator } from '../../src/server/start-emulator';
import type { CountersSnapshot } from '../../src/platform/request-counters';
import { type FakeWorld, TENANT_A } from './fake-directory';
import { APP, appToken, consentDirectly, FrozenClock, startTestEmulator } from './harness';
import { httpsCall } from './https-client';

describe(`${ThrottleEngine.name}: Graph throttling over HTTPS`, () => {
  let sut: RunningEmulator<FakeWorld>;
  let auth: Record<string, string>;
  const counters = async () =>
    (await httpsCall(`${sut.baseUrl}/_emulator/counters`, sut.caCertPem)).json<CountersSnapshot>();

  beforeAll(async () => {
    sut = await startTestEmulator();
  });
  afterAll(async () => {
    await sut.stop();
  });
  beforeEach(async () => {
    sut.reset();
    consentDirectly(sut);
    auth = { Authorization: `Bearer ${await appToken(sut)}` };
  });

  it('sends x-ms-resource-unit with the request cost', async () => {
    const res = await httpsCall(`${sut.graphBaseUrl}/v1.0/users`, sut.caCertPem, { headers: auth });
    const selected = await httpsCall(`${sut.graphBaseUrl}/v1.0/users?$select=id`, sut.caCertPem, {
      headers: auth,
    });

    expect(res.headers['x-ms-resource-unit']).toBe('2');
    expect(selected.headers['x-ms-resource-unit']).toBe('1');
  });

  it('applies the reports limit of 5 requests per 10 s and counts retries sent before Retry-After', async () => {
    const url = `${sut.graphBaseUrl}/v1.0/auditLogs/signIns`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await httpsCall(url, sut.caCertPem, { headers: auth })).status);

    const throttled = await httpsCall(url, sut.caCertPem, { headers: auth });
    const early = await httpsCall(url, sut.caCertPem, { headers: auth });
    sut.clock.advance(Number(throttled.headers['retry-after']) * 1000);
    const onTime = await httpsCall(url, sut.caCertPem, { headers: auth });

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(throttled.headers['x-ms-throttle-scope']).toMatch(/^Tenant_Application\//);
    expect(throttled.json()).toMatchObject({
      error: { code: 'TooManyRequests', innerError: { 'request-id': throttled.headers['request-id'] } },
    });
    expect(early.status).toBe(429);
    expect(onTime.status).toBe(200);
    expect(await counters()).toMatchObject({ throttled: 2, earlyRetries: 1 });
  });

  it('throttles $batch sub-requests individually inside the 200 envelope', async () => {
    const requests = Array.from({ length: 7 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: '/auditLogs/signIns',
    }));

    const res = await httpsCall(`${sut.graphBaseUrl}/v1.0/$batch`, sut.caCertPem, {
      headers: auth,
      json: { requests },
    });

    expect(res.status).toBe(200);
    const statuses = res
      .json<{ responses: Array<{ status: number; headers: Record<string, string> }> }>()
      .responses.map((r) => r.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('counts a retry of a throttled batch item sent before its Retry-After as early', async () => {
    const requests = Array.from({ length: 6 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: '/auditLogs/signIns',
    }));
    await httpsCall(`${sut.graphBaseUrl}/v1.0/$batch`, sut.caCertPem, { headers: auth, json: { requests } });

    await httpsCall(`${sut.graphBaseUrl}/v1.0/auditLogs/signIns`, sut.caCertPem, { headers: auth });

    expect(await counters()).toMatchObject({ earlyRetries: 1 });
  });

  describe('identity resource units', () => {
    let frozen: RunningEmulator<FakeWorld>;
    let frozenAuth: Record<string, string>;

    beforeAll(async () => {
      frozen = await startTestEmulator({ clock: new FrozenClock() });
      consentDirectly(frozen);
      frozenAuth = { Authorization: `Bearer ${await appToken(frozen)}` };
    });
    afterAll(async () => {
      await frozen.stop();
    });

    it('warns above 80% of the app+tenant budget, then answers 429 with Retry-After and the throttle scope', async () => {
      // A small tenant (<50 users) has 3,500 RU per 10 s; GET /users with $expand costs 3 RU, so 1,166 fit.
      const url = `${frozen.graphBaseUrl}/v1.0/users?$expand=manager`;
      const seen: Array<{ status: number; percentage?: string }> = [];
      for (let i = 0; i < 1166; i += 1) {
        const res = await httpsCall(url, frozen.caCertPem, { headers: frozenAuth });
        seen.push({
          status: res.status,
          percentage: res.headers['x-ms-throttle-limit-percentage'] as string | undefined,
        });
      }

      const throttled = await httpsCall(url, frozen.caCertPem, { headers: frozenAuth });

      expect(seen.every((s) => s.status === 200)).toBe(true);
      expect(seen[0]!.percentage).toBeUndefined();
      expect(seen.at(-1)!.percentage).toBe('1.0');
      expect(throttled.status).toBe(429);
      expect(throttled.headers).toMatchObject({
        'retry-after': '1',
        'x-ms-throttle-scope': `Tenant_Application/Read/${APP.clientId}/${TENANT_A.tenantId}`,
        'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
      });
    }, 60_000);
    it('charges $batch write items to the Intune write limit of 100 per 20 s', async () => {
      const statuses: number[] = [];
      for (let batch = 0; batch < 6; batch += 1) {
        const requests = Array.from({ length: 20 }, (_, i) => ({
          id: String(i + 1),
          method: 'PATCH',
          url: `/deviceManagement/deviceConfigurations/${batch}-${i}`,
          headers: { 'Content-Type': 'application/json' },
          body: { description: 'restored' },
        }));
        const res = await httpsCall(`${frozen.graphBaseUrl}/v1.0/$batch`, frozen.caCertPem, {
          headers: frozenAuth,
          json: { requests },
        });
        expect(res.status).toBe(200);
        const responses = res.json<{
          responses: Array<{ status: number; headers: Record<string, string> }>;
        }>().responses;
        statuses.push(...responses.map((r) => r.status));
        if (batch === 5)
          expect(responses[0]!.headers).toMatchObject({ 'x-ms-throttle-information': 'WriteLimitExceeded' });
      }

      expect(statuses.filter((s) => s === 200)).toHaveLength(100);
      expect(statuses.slice(100)).toEqual(Array.from({ length: 20 }, () => 429));
    });
  });
});
