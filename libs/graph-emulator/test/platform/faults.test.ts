import { FaultInjector } from '../../src/platform/fault-injector';
import type { RunningEmulator } from '../../src/server/start-emulator';
import type { CountersSnapshot } from '../../src/platform/request-counters';
import type { FakeWorld } from './fake-directory';
import { appToken, consentDirectly, startTestEmulator } from './harness';
import { httpsCall } from './https-client';

describe(`${FaultInjector.name}: fault injection`, () => {
  let sut: RunningEmulator<FakeWorld>;
  let auth: Record<string, string>;
  const users = (query = '') =>
    httpsCall(`${sut.graphBaseUrl}/v1.0/users${query}`, sut.caCertPem, { headers: auth });
  const putFaults = (json: unknown) =>
    httpsCall(`${sut.baseUrl}/_emulator/faults`, sut.caCertPem, { method: 'PUT', json });

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

  it('injects 503 with Retry-After and the Graph error body at the configured rate', async () => {
    await putFaults({ errorRate: 1, errorStatuses: [503], retryAfterSeconds: 7 });

    const res = await users();

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json()).toMatchObject({
      error: { code: 'serviceNotAvailable', innerError: { 'request-id': res.headers['request-id'] } },
    });
  });

  it('tells a retried $batch envelope (same client-request-id) from a different batch to the same URL', async () => {
    await putFaults({ errorRate: 1, errorStatuses: [503], retryAfterSeconds: 30 });
    const batch = (clientRequestId: string) =>
      httpsCall(`${sut.graphBaseUrl}/v1.0/$batch`, sut.caCertPem, {
        method: 'POST',
        headers: { ...auth, 'client-request-id': clientRequestId },
        json: { requests: [{ id: '1', method: 'GET', url: '/users' }] },
      });
    const counters = async () =>
      (await httpsCall(`${sut.baseUrl}/_emulator/counters`, sut.caCertPem)).json<CountersSnapshot>();

    expect((await batch('11111111-1111-4111-8111-111111111111')).status).toBe(503);
    await batch('22222222-2222-4222-8222-222222222222');
    expect((await counters()).earlyRetries).toBe(0);

    await batch('11111111-1111-4111-8111-111111111111');
    expect((await counters()).earlyRetries).toBe(1);
  });

  it('tells a retried request (same client-request-id) from a different request to the same URL', async () => {
    await putFaults({ errorRate: 1, errorStatuses: [503], retryAfterSeconds: 30 });
    const list = (clientRequestId: string) =>
      httpsCall(`${sut.graphBaseUrl}/v1.0/users`, sut.caCertPem, {
        headers: { ...auth, 'client-request-id': clientRequestId },
      });
    const counters = async () =>
      (await httpsCall(`${sut.baseUrl}/_emulator/counters`, sut.caCertPem)).json<CountersSnapshot>();

    expect((await list('33333333-3333-4333-8333-333333333333')).status).toBe(503);
    await list('44444444-4444-4444-8444-444444444444');
    expect((await counters()).earlyRetries).toBe(0);

    await list('33333333-3333-4333-8333-333333333333');
    expect((await counters()).earlyRetries).toBe(1);
  });

  it('injects 500 and 504 too', async () => {
    await putFaults({ errorRate: 1, errorStatuses: [500, 504], seed: 3 });

    const statuses = new Set<number>();
    for (let i = 0; i < 12; i += 1) statuses.add((await users()).status);

    expect([...statuses].sort()).toEqual([500, 504]);
  });

  it('throttles the next N requests in a 429 storm, then recovers', async () => {
    await putFaults({ storm: { requests: 2, retryAfterSeconds: 3 } });

    const results = [await users(), await users(), await users()];

    expect(results.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(results[0]!.headers['retry-after']).toBe('3');
  });

  it('throttles everything during a timed storm', async () => {
    await putFaults({ storm: { durationMs: 60_000 } });

    const during = await users();
    sut.clock.advance(60_000);
    const after = await users();

    expect(during.status).toBe(429);
    expect(Number(during.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(after.status).toBe(200);
  });

  it('expires the nth page token with Directory_ExpiredPageToken', async () => {
    await putFaults({ expiredPageTokenNth: 2 });

    const first = await users();
    const second = await users('?$skiptoken=2');
    const third = await users('?$skiptoken=4');

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(third.status).toBe(400);
    expect(third.json()).toMatchObject({
      error: {
        code: 'Directory_ExpiredPageToken',
        message: 'The specified page token value has expired and can no longer be included in your request.',
      },
    });
  });

  it('drops connections without an answer', async () => {
    await putFaults({ dropRate: 1 });

    await expect(users()).rejects.toThrow(/socket hang up|ECONNRESET/);
    const snapshot = (
      await httpsCall(`${sut.baseUrl}/_emulator/counters`, sut.caCertPem)
    ).json<CountersSnapshot>();
    expect(snapshot.droppedConnections).toBe(1);
  });

  it('answers the nth request to a path with the configured status and code', async () => {
    await putFaults({
      rules: [
        {
          path: '/users',
          nth: 2,
          status: 404,
          code: 'Request_ResourceNotFound',
          message: 'Gone for the test.',
        },
      ],
    });

    const statuses = [(await users()).status, (await users()).status, (await users()).status];

    expect(statuses).toEqual([200, 404, 200]);
  });

  it('adds latency', async () => {
    await putFaults({ latencyMs: 120 });
    const started = Date.now();

    await users();

    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('rejects an invalid fault configuration with 400 naming the field', async () => {
    const res = await putFaults({ errorRate: 2 });

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'invalid_request',
      message: expect.stringContaining('errorRate'),
    });
  });

  it('starts from the faults given at start-up and returns to them on reset', async () => {
    const emulator = await startTestEmulator({ faults: { errorRate: 1, errorStatuses: [500] } });
    try {
      await httpsCall(`${emulator.baseUrl}/_emulator/faults`, emulator.caCertPem, {
        method: 'PUT',
        json: {},
      });
      await httpsCall(`${emulator.baseUrl}/_emulator/reset`, emulator.caCertPem, {
        method: 'POST',
        json: {},
      });

      const state = (await httpsCall(`${emulator.baseUrl}/_emulator/faults`, emulator.caCertPem)).json<{
        config: { errorRate: number };
      }>();

      expect(state.config.errorRate).toBe(1);
    } finally {
      await emulator.stop();
    }
  });
});
