import { createGraphFrontDoor } from '../../src/platform/graph-front-door';
import type { RunningEmulator } from '../../src/server/start-emulator';
import { type FakeWorld, TENANT_A } from './fake-directory';
import { APP, appToken, consentDirectly, startTestEmulator } from './harness';
import { httpsCall } from './https-client';

describe(`${createGraphFrontDoor.name}: Graph front door`, () => {
  let sut: RunningEmulator<FakeWorld>;
  let token: string;

  beforeAll(async () => {
    sut = await startTestEmulator();
  });
  afterAll(async () => {
    await sut.stop();
  });
  beforeEach(async () => {
    sut.reset();
    consentDirectly(sut);
    token = await appToken(sut);
  });

  it('answers a request without a token with 401 InvalidAuthenticationToken in the documented error shape', async () => {
    const res = await httpsCall(`${sut.graphBaseUrl}/v1.0/users`, sut.caCertPem, {
      headers: { 'client-request-id': 'c-1' },
    });

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    const requestId = String(res.headers['request-id']);
    expect(res.json()).toEqual({
      error: {
        code: 'InvalidAuthenticationToken',
        message: 'Access token is empty.',
        innerError: {
          date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
          'request-id': requestId,
          'client-request-id': 'c-1',
        },
      },
    });
  });

  it('rejects a token once the emulator clock passes its expiry', async () => {
    sut.clock.advance(3600 * 1000);

    const res = await httpsCall(`${sut.graphBaseUrl}/v1.0/users`, sut.caCertPem, {
      headers: { Authorization: `Bearer ${token}` },
    });

    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({
      error: {
        code: 'InvalidAuthenticationToken',
        message: 'Lifetime validation failed, the token is expired.',
      },
    });
  });

  it('rejects a token with a forged signature', async () => {
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.from('not-a-signature').toString('base64url')}`;

    const res = await httpsCall(`${sut.graphBaseUrl}/v1.0/users`, sut.caCertPem, {
      headers: { Authorization: `Bearer ${forged}` },
    });

    expect(res.status).toBe(401);
  });

  it('rejects an id token (wrong audience)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const res = await httpsCall(`${sut.graphBaseUrl}/v1.0/users`, sut.caCertPem, {
      headers: { Authorization: `Bearer ${header}.e30.` },
    });

    expect(res.status).toBe(401);
  });

  it('passes the request context to the Graph router and sends Graph response headers', async () => {
    const res = await httpsCall(`${sut.graphBaseUrl}/beta/me/context`, sut.caCertPem, {
      headers: { Authorization: `Bearer ${token}`, 'client-request-id': 'my-client-id' },
    });

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
    );
    expect(res.headers['client-request-id']).toBe('my-client-id');
    expect(res.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(String(res.headers['x-ms-ags-diagnostic']))).toHaveProperty('ServerInfo');
    expect(res.json()).toEqual({
      tenantId: TENANT_A.tenantId,
      appId: APP.clientId,
      kind: 'app',
      roles: [...APP.requiredAppRoles].sort(),
      scopes: [],
      requestId: res.headers['request-id'],
      clientRequestId: 'my-client-id',
      version: 'beta',
    });
  });

  it('echoes the request id as client-request-id when the client sends none', async () => {
    const res = await httpsCall(`${sut.graphBaseUrl}/v1.0/users`, sut.caCertPem, {
      headers: { Authorization: `Bearer ${token}` },
    });

    expect(res.headers['client-request-id']).toBe(res.headers['request-id']);
  });

  it('answers an unknown Graph segment with a Graph error body', async () => {
    const res = await httpsCall(`${sut.graphBaseUrl}/v1.0/nothingHere`, sut.caCertPem, {
      headers: { Authorization: `Bearer ${token}` },
    });

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'BadRequest', message: "Resource not found for the segment 'nothingHere'." },
    });
  });
});
