import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggedRequest } from '../../src/platform/request-log';
import { startEmulator, type RunningEmulator } from '../../src/server/start-emulator';
import { APP } from './harness';
import { httpsCall } from './https-client';

const WRITE_ROLES = ['User.Read.All', 'User.ReadWrite.All', 'Group.Read.All'];

describe(`${startEmulator.name}: Graph request log`, () => {
  let sut: RunningEmulator;
  let tenantId: string;
  let token: string;
  const graph = (path: string, options: Parameters<typeof httpsCall>[2] = {}) =>
    httpsCall(`${sut.graphBaseUrl}${path}`, sut.caCertPem, {
      ...options,
      headers: { Authorization: `Bearer ${token}`, ...(options.headers ?? {}) },
    });
  const control = (path: string, options: Parameters<typeof httpsCall>[2] = {}) =>
    httpsCall(`${sut.baseUrl}/_emulator${path}`, sut.caCertPem, options);

  beforeAll(async () => {
    sut = await startEmulator({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'emulator-request-log-')),
      tenants: 1,
      usersPerTenant: 60,
      seed: 3,
      apps: [{ ...APP, requiredAppRoles: WRITE_ROLES }],
    });
    tenantId = sut.world.listTenants()[0]!.tenantId;
    sut.world.applyAdminConsent(tenantId, { appId: APP.clientId, displayName: APP.displayName }, WRITE_ROLES);
    const res = await httpsCall(`${sut.loginBaseUrl}/${tenantId}/oauth2/v2.0/token`, sut.caCertPem, {
      form: {
        grant_type: 'client_credentials',
        client_id: APP.clientId,
        client_secret: APP.clientSecret ?? '',
        scope: 'https://graph.microsoft.com/.default',
      },
    });
    token = res.json<{ access_token: string }>().access_token;
  });
  afterAll(async () => {
    await sut.stop();
  });
  beforeEach(() => sut.requests.clear());

  it('lists each Graph request with method, versioned path, status and tenant', async () => {
    await graph('/v1.0/users?$top=2');
    await httpsCall(`${sut.graphBaseUrl}/beta/groups`, sut.caCertPem);

    const log = (await control('/requests')).json<{ count: number; value: LoggedRequest[] }>();

    expect(log.value).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/v1.0/users',
        url: '/v1.0/users?$top=2',
        status: 200,
        tenantId,
        appId: APP.clientId,
        batched: false,
      }),
      expect.objectContaining({ method: 'GET', path: '/beta/groups', status: 401, tenantId: null }),
    ]);
    expect(log.count).toBe(2);
  });

  it('lists each $batch item as its own entry, and counts only real writes', async () => {
    const users = (await graph('/v1.0/users?$top=50&$select=id')).json<{ value: Array<{ id: string }> }>();
    const target = users.value[45]!.id;
    const onlyReads = await graph('/v1.0/$batch', {
      json: {
        requests: [
          { id: '1', method: 'GET', url: '/users?$top=1' },
          { id: '2', method: 'GET', url: 'groups?$top=1' },
        ],
      },
    });
    expect(onlyReads.status).toBe(200);
    expect(sut.requests.writes()).toEqual([]);

    const mixed = await graph('/v1.0/$batch', {
      json: {
        requests: [
          { id: 'a', method: 'GET', url: `/users/${target}` },
          {
            id: 'b',
            method: 'PATCH',
            url: `/users/${target}`,
            headers: { 'Content-Type': 'application/json' },
            body: { usageLocation: 'NL' },
          },
        ],
      },
    });
    expect(mixed.status).toBe(200);

    const batched = sut.requests.list({ batched: true });
    expect(batched.map((e) => [e.batchItemId, e.method, e.path, e.status])).toEqual([
      ['1', 'GET', '/v1.0/users', 200],
      ['2', 'GET', '/v1.0/groups', 200],
      ['a', 'GET', `/v1.0/users/${target}`, 200],
      ['b', 'PATCH', `/v1.0/users/${target}`, 204],
    ]);
    expect(sut.requests.list({ method: 'POST' }).map((e) => e.path)).toEqual([
      '/v1.0/$batch',
      '/v1.0/$batch',
    ]);
    const writes = (await control('/requests?writes=true')).json<{ value: LoggedRequest[] }>();
    expect(writes.value).toEqual([
      expect.objectContaining({ method: 'PATCH', url: `/v1.0/users/${target}`, batched: true, tenantId }),
    ]);
  });

  it('clears on DELETE and rejects unknown filters', async () => {
    await graph('/v1.0/organization');
    expect(sut.requests.list()).toHaveLength(1);

    const deleted = await control('/requests', { method: 'DELETE' });

    expect(deleted.status).toBe(204);
    expect((await control('/requests')).json()).toMatchObject({ count: 0, value: [] });
    expect((await control('/requests?verb=GET')).status).toBe(400);
  });
});
