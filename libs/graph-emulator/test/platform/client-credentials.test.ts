import { createIdentityRouter } from '../../src/identity/identity.router';
import type { RunningEmulator } from '../../src/server/start-emulator';
import { type FakeWorld, TENANT_A, TENANT_B } from './fake-directory';
import { APP, consentDirectly, startTestEmulator } from './harness';
import { createHash, createSign } from 'node:crypto';
import forge from 'node-forge';
import { decodeJwtPayload, httpsCall } from './https-client';

function selfSignedCertificate(): { certPem: string; keyPem: string } {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'backup-app' }]);
  cert.setIssuer([{ name: 'commonName', value: 'backup-app' }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** A certificate client assertion: RS256, x5t#S256 of the certificate, aud = token endpoint (PS256: client-assertion.test.ts). */
function clientAssertion(
  clientId: string,
  audience: string,
  keyPem: string,
  certPem: string,
  nowS: number,
): string {
  const der = Buffer.from(certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const header = {
    alg: 'RS256',
    typ: 'JWT',
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  };
  const payload = {
    aud: audience,
    iss: clientId,
    sub: clientId,
    jti: `${nowS}-${Math.random()}`,
    nbf: nowS,
    exp: nowS + 600,
  };
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(keyPem).toString('base64url')}`;
}

describe(`${createIdentityRouter.name}: client credentials grant`, () => {
  let sut: RunningEmulator<FakeWorld>;
  const tokenUrl = (tenant: string) => `${sut.loginBaseUrl}/${tenant}/oauth2/v2.0/token`;
  const form = (overrides: Record<string, string> = {}) => ({
    grant_type: 'client_credentials',
    client_id: APP.clientId,
    client_secret: APP.clientSecret ?? '',
    scope: 'https://graph.microsoft.com/.default',
    ...overrides,
  });

  beforeAll(async () => {
    sut = await startTestEmulator();
  });
  afterAll(async () => {
    await sut.stop();
  });
  beforeEach(() => sut.reset());

  it('fails before admin consent like the real service: AADSTS700016 unauthorized_client', async () => {
    const res = await httpsCall(tokenUrl(TENANT_A.tenantId), sut.caCertPem, { form: form() });

    expect(res.status).toBe(400);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    expect(body['error_description']).toEqual(
      expect.stringMatching(
        new RegExp(
          `^AADSTS700016: Application with identifier '${APP.clientId}' was not found in the directory 'Contoso'.*\\r\\nTrace ID: [0-9a-f-]{36}\\r\\nCorrelation ID: [0-9a-f-]{36}\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`,
          's',
        ),
      ),
    );
    expect(body['timestamp']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(body['trace_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(body['correlation_id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('issues an app token whose roles are exactly the consented application permissions', async () => {
    consentDirectly(sut, TENANT_A.tenantId, ['User.Read.All', 'Group.Read.All']);

    const res = await httpsCall(tokenUrl(TENANT_A.tenantId), sut.caCertPem, { form: form() });

    expect(res.status).toBe(200);
    const body = res.json<{ token_type: string; expires_in: number; access_token: string }>();
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3599);
    const claims = decodeJwtPayload(body.access_token);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: TENANT_A.tenantId,
      appid: APP.clientId,
      idtyp: 'app',
      roles: ['Group.Read.All', 'User.Read.All'],
    });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(3599);
  });

  it('accepts the secret in HTTP Basic authentication', async () => {
    consentDirectly(sut);
    const basic = Buffer.from(
      `${encodeURIComponent(APP.clientId)}:${encodeURIComponent(APP.clientSecret ?? '')}`,
    ).toString('base64');

    const res = await httpsCall(tokenUrl(TENANT_A.tenantId), sut.caCertPem, {
      form: { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' },
      headers: { Authorization: `Basic ${basic}` },
    });

    expect(res.status).toBe(200);
  });

  it('accepts a certificate-signed client assertion (x5t#S256) and rejects one signed by another key', async () => {
    const cert = selfSignedCertificate();
    const other = selfSignedCertificate();
    const certApp = {
      ...APP,
      clientId: 'dddddddd-0000-4000-8000-00000000000d',
      clientSecret: undefined,
      certificatePem: cert.certPem,
    };
    await httpsCall(`${sut.baseUrl}/_emulator/apps`, sut.caCertPem, { json: certApp });
    sut.world.applyAdminConsent(
      TENANT_A.tenantId,
      { appId: certApp.clientId, displayName: certApp.displayName },
      ['User.Read.All'],
    );
    const assertion = (keyPem: string, thumbprintCertPem: string) =>
      clientAssertion(
        certApp.clientId,
        tokenUrl(TENANT_A.tenantId),
        keyPem,
        thumbprintCertPem,
        Math.floor(sut.clock.now() / 1000),
      );
    const request = (jwt: string) =>
      httpsCall(tokenUrl(TENANT_A.tenantId), sut.caCertPem, {
        form: {
          grant_type: 'client_credentials',
          client_id: certApp.clientId,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: jwt,
          scope: 'https://graph.microsoft.com/.default',
        },
      });

    const good = await request(assertion(cert.keyPem, cert.certPem));
    const forged = await request(assertion(other.keyPem, cert.certPem));

    expect(good.status).toBe(200);
    expect(decodeJwtPayload(good.json<{ access_token: string }>().access_token)).toMatchObject({
      appid: certApp.clientId,
      appidacr: '2',
      roles: ['User.Read.All'],
    });
    expect(forged.status).toBe(401);
    expect(forged.json()).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
  });

  it('rejects a wrong secret with 401 invalid_client AADSTS7000215', async () => {
    consentDirectly(sut);

    const res = await httpsCall(tokenUrl(TENANT_A.tenantId), sut.caCertPem, {
      form: form({ client_secret: 'wrong' }),
    });

    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(res.text).not.toContain(APP.clientSecret);
  });

  it('rejects an unknown application with AADSTS700016', async () => {
    const res = await httpsCall(tokenUrl(TENANT_A.tenantId), sut.caCertPem, {
      form: form({ client_id: 'bbbbbbbb-0000-4000-8000-00000000000b' }),
    });

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
  });

  it('rejects a scope without /.default with invalid_scope AADSTS1002012', async () => {
    consentDirectly(sut);

    const res = await httpsCall(tokenUrl(TENANT_A.tenantId), sut.caCertPem, {
      form: form({ scope: 'https://graph.microsoft.com/User.Read.All' }),
    });

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
  });

  it('keeps consent per tenant: consent in one tenant does not open another', async () => {
    consentDirectly(sut, TENANT_A.tenantId);

    const res = await httpsCall(tokenUrl(TENANT_B.tenantId), sut.caCertPem, { form: form() });

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error_codes: [700016] });
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const res = await httpsCall(tokenUrl('99999999-9999-4999-8999-999999999999'), sut.caCertPem, {
      form: form(),
    });

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  it('accepts only POST on the token endpoint (AADSTS900561)', async () => {
    const res = await httpsCall(tokenUrl(TENANT_A.tenantId), sut.caCertPem);

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', error_codes: [900561] });
  });

  it('rejects an unsupported grant type', async () => {
    const res = await httpsCall(tokenUrl(TENANT_A.tenantId), sut.caCertPem, {
      form: form({ grant_type: 'password' }),
    });

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });
  });
});
