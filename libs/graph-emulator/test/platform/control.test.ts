import { createControlRouter } from '../../src/control/control.router';
import type { RunningEmulator } from '../../src/server/start-emulator';
import type { CountersSnapshot } from '../../src/platform/request-counters';
import { type FakeWorld, TENANT_A } from './fake-directory';
import { APP, appToken, consentDirectly, startTestEmulator } from './harness';
import { httpsCall } from './https-client';

describe(`${createControlRouter.name}: emulator control API`, () => {
  let sut: RunningEmulator<FakeWorld>;
  const control = (path: string, options: Parameters<typeof httpsCall>[2] = {}) =>
    httpsCall(`${sut.baseUrl}/_emulator${path}`, sut.caCertPem, options);

  beforeAll(async () => {
    sut = await startTestEmulator();
  });
  afterAll(async () => {
    await sut.stop();
  });
  beforeEach(() => sut.reset());

  it('counts requests per method and path template, with statuses', async () => {
    consentDirectly(sut);
    const auth = { Authorization: `Bearer ${await appToken(sut)}` };
    const user = sut.world.allUsers(TENANT_A.tenantId)[0]!;
    await httpsCall(`${sut.graphBaseUrl}/v1.0/users`, sut.caCertPem, { headers: auth });
    await httpsCall(`${sut.graphBaseUrl}/v1.0/users?$skiptoken=2`, sut.caCertPem, { headers: auth });
    await httpsCall(`${sut.graphBaseUrl}/v1.0/users/${user.id}`, sut.caCertPem);

    const snapshot = (await control('/counters')).json<CountersSnapshot>();

    expect(snapshot.routes).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: '/{tenant}/oauth2/v2.0/token', count: 1, statuses: { '200': 1 } },
        { method: 'GET', path: '/v1.0/users', count: 2, statuses: { '200': 2 } },
        { method: 'GET', path: '/v1.0/users/{id}', count: 1, statuses: { '401': 1 } },
      ]),
    );
    expect(snapshot).toMatchObject({
      total: 4,
      statuses: { '200': 3, '401': 1 },
      throttled: 0,
      earlyRetries: 0,
    });
  });

  it('zeroes the counters on DELETE', async () => {
    await httpsCall(`${sut.graphBaseUrl}/v1.0/users`, sut.caCertPem);

    const deleted = await control('/counters', { method: 'DELETE' });

    expect(deleted.status).toBe(204);
    expect((await control('/counters')).json()).toMatchObject({ total: 0, routes: [] });
  });

  it('moves the emulator clock', async () => {
    const before = Date.parse((await control('/clock')).json<{ now: string }>().now);

    const advanced = await control('/clock', { json: { advanceSeconds: 3600 } });
    const set = await control('/clock', { json: { set: '2030-01-02T03:04:05.000Z' } });

    expect(Date.parse(advanced.json<{ now: string }>().now) - before).toBeGreaterThanOrEqual(3600 * 1000);
    expect(Date.parse(set.json<{ now: string }>().now)).toBeGreaterThanOrEqual(
      Date.parse('2030-01-02T03:04:05.000Z'),
    );
    expect(Math.abs(sut.clock.now() - Date.parse('2030-01-02T03:04:05.000Z'))).toBeLessThan(5000);
  });

  it('rejects a clock change that is not exactly one of advanceMs, advanceSeconds or set', async () => {
    const res = await control('/clock', { json: { advanceMs: 1, set: '2030-01-01T00:00:00Z' } });

    expect(res.status).toBe(400);
  });

  it('lists registered apps without their secrets', async () => {
    const res = await control('/apps');

    expect(res.json()).toEqual({
      value: [
        {
          clientId: APP.clientId,
          displayName: APP.displayName,
          redirectUris: APP.redirectUris,
          requiredAppRoles: APP.requiredAppRoles,
          hasClientSecret: true,
        },
      ],
    });
    expect(res.text).not.toContain(APP.clientSecret);
  });

  it('registers an app at run time and forgets it on reset', async () => {
    const app = {
      clientId: 'cccccccc-0000-4000-8000-00000000000c',
      clientSecret: 'another-secret',
      displayName: 'Second app',
      redirectUris: ['https://second.example.com/cb'],
      requiredAppRoles: ['Device.Read.All'],
    };

    const created = await control('/apps', { json: app });
    await control('/reset', { json: {} });

    expect(created.status).toBe(201);
    expect(created.text).not.toContain('another-secret');
    expect((await control('/apps')).json<{ value: unknown[] }>().value).toHaveLength(1);
  });

  it('names every problem of an invalid app registration', async () => {
    const res = await control('/apps', {
      json: { clientId: 'not-a-guid', displayName: 'x', redirectUris: ['ftp://x'], clientSecret: 's' },
    });

    expect(res.status).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(
      /clientId must be a GUID.*redirect URI 'ftp:\/\/x'/,
    );
  });

  it('lists consents given through the consent page', async () => {
    const admin = sut.world.allUsers(TENANT_A.tenantId)[0]!;
    await httpsCall(`${sut.loginBaseUrl}/${TENANT_A.tenantId}/v2.0/adminconsent`, sut.caCertPem, {
      form: {
        client_id: APP.clientId,
        scope: 'https://graph.microsoft.com/.default',
        redirect_uri: APP.redirectUris[1]!,
        emulator_user: admin.id,
        emulator_decision: 'accept',
      },
    });

    const res = await control('/consents');

    expect(res.json()).toEqual({
      value: [
        expect.objectContaining({
          tenantId: TENANT_A.tenantId,
          clientId: APP.clientId,
          appRoles: APP.requiredAppRoles,
        }),
      ],
    });
  });

  it('resets the directory, consents and grants', async () => {
    consentDirectly(sut);

    const res = await control('/reset', { json: {} });

    expect(res.status).toBe(200);
    expect(sut.world.grantedAppRoles(TENANT_A.tenantId, APP.clientId)).toEqual([]);
    const token = await httpsCall(
      `${sut.loginBaseUrl}/${TENANT_A.tenantId}/oauth2/v2.0/token`,
      sut.caCertPem,
      {
        form: {
          grant_type: 'client_credentials',
          client_id: APP.clientId,
          client_secret: APP.clientSecret ?? '',
          scope: 'https://graph.microsoft.com/.default',
        },
      },
    );
    expect(token.json()).toMatchObject({ error_codes: [700016] });
  });

  it('lists its endpoints at /_emulator', async () => {
    const res = await control('/');

    expect(res.json()).toMatchObject({
      endpoints: expect.arrayContaining(['POST /_emulator/reset', 'GET|PUT /_emulator/faults']),
    });
  });

  it('answers unknown control paths with plain JSON 404, without Graph headers', async () => {
    const res = await control('/nope');

    expect(res.status).toBe(404);
    expect(res.headers['request-id']).toBeUndefined();
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });
});
