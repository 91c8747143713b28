import { requireControlToken } from '../../src/control/control-token';
import type { RunningEmulator } from '../../src/server/start-emulator';
import { type FakeWorld, TENANT_A } from './fake-directory';
import { appToken, consentDirectly, startTestEmulator } from './harness';
import { httpsCall } from './https-client';

const TOKEN = 'control-token-of-this-test-0123456789';

describe(`${requireControlToken.name}: the control API behind a token`, () => {
  let sut: RunningEmulator<FakeWorld>;
  const control = (path: string, headers: Record<string, string> = {}) =>
    httpsCall(`${sut.baseUrl}/_emulator${path}`, sut.caCertPem, { headers });

  beforeAll(async () => {
    sut = await startTestEmulator({ controlToken: TOKEN });
  });
  afterAll(async () => {
    await sut.stop();
  });

  it.each([
    ['no Authorization header', {}],
    ['another token', { Authorization: 'Bearer not-the-token' }],
    ['the token without the Bearer scheme', { Authorization: TOKEN }],
  ])('refuses the ground truth and the control endpoints with %s', async (_case, headers) => {
    for (const path of ['/', `/tenants/${TENANT_A.tenantId}/truth/users`, '/faults', '/nope']) {
      const res = await control(path, headers);
      expect(res.status).toBe(401);
      expect(res.text).not.toContain(TENANT_A.tenantId);
    }
  });

  it('answers the holder of the token', async () => {
    const res = await control('/', { Authorization: `Bearer ${TOKEN}` });

    expect(res.status).toBe(200);
    expect(sut.controlToken).toBe(TOKEN);
  });

  it('leaves Graph and the identity platform alone', async () => {
    consentDirectly(sut);
    const res = await httpsCall(`${sut.graphBaseUrl}/v1.0/users`, sut.caCertPem, {
      headers: { Authorization: `Bearer ${await appToken(sut)}` },
    });

    expect(res.status).toBe(200);
  });
});
