import { createIdentityRouter } from '../../src/identity/identity.router';
import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import type { RunningEmulator } from '../../src/server/start-emulator';
import { type FakeWorld, TENANT_A } from './fake-directory';
import { appToken, consentDirectly, startTestEmulator } from './harness';
import { httpsCall } from './https-client';

describe(`${createIdentityRouter.name}: OpenID Connect discovery and JWKS`, () => {
  let sut: RunningEmulator<FakeWorld>;

  beforeAll(async () => {
    sut = await startTestEmulator();
  });
  afterAll(async () => {
    await sut.stop();
  });

  it('serves the tenant discovery document with the documented fields', async () => {
    const res = await httpsCall(
      `${sut.loginBaseUrl}/${TENANT_A.tenantId}/v2.0/.well-known/openid-configuration`,
      sut.caCertPem,
    );

    expect(res.status).toBe(200);
    const doc = res.json();
    const t = `${sut.baseUrl}/${TENANT_A.tenantId}`;
    expect(doc).toMatchObject({
      issuer: `${t}/v2.0`,
      authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
      token_endpoint: `${t}/oauth2/v2.0/token`,
      end_session_endpoint: `${t}/oauth2/v2.0/logout`,
      jwks_uri: `${t}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      cloud_instance_name: 'microsoftonline.com',
    });
  });

  it('gives organizations the templated issuer, as the real service does', async () => {
    const res = await httpsCall(
      `${sut.loginBaseUrl}/organizations/v2.0/.well-known/openid-configuration`,
      sut.caCertPem,
    );

    expect(res.json()).toMatchObject({
      issuer: `${sut.baseUrl}/{tenantid}/v2.0`,
      authorization_endpoint: `${sut.baseUrl}/organizations/oauth2/v2.0/authorize`,
    });
  });

  it('resolves a tenant by its initial domain', async () => {
    const res = await httpsCall(
      `${sut.loginBaseUrl}/${TENANT_A.defaultDomain}/v2.0/.well-known/openid-configuration`,
      sut.caCertPem,
    );

    expect(res.json()).toMatchObject({ issuer: `${sut.baseUrl}/${TENANT_A.tenantId}/v2.0` });
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const res = await httpsCall(
      `${sut.loginBaseUrl}/nosuchtenant.onmicrosoft.com/v2.0/.well-known/openid-configuration`,
      sut.caCertPem,
    );

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  it('publishes a JWKS whose key verifies the tokens it issues', async () => {
    consentDirectly(sut);
    const token = await appToken(sut);
    const jwks = (
      await httpsCall(`${sut.loginBaseUrl}/${TENANT_A.tenantId}/discovery/v2.0/keys`, sut.caCertPem)
    ).json<{
      keys: Array<JsonWebKey & { kid: string }>;
    }>();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as {
      kid: string;
      alg: string;
    };
    const jwk = jwks.keys.find((k) => k.kid === kid);

    expect(alg).toBe('RS256');
    expect(jwk).toBeDefined();
    const verified = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(createPublicKey({ key: jwk!, format: 'jwk' }), Buffer.from(signature, 'base64url'));
    expect(verified).toBe(true);
  });

  it('answers MSAL instance discovery for its own host', async () => {
    const authorize = encodeURIComponent(`${sut.baseUrl}/${TENANT_A.tenantId}/oauth2/v2.0/authorize`);
    const res = await httpsCall(
      `${sut.loginBaseUrl}/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`,
      sut.caCertPem,
    );
    const host = new URL(sut.baseUrl).host;

    expect(res.json()).toEqual({
      tenant_discovery_endpoint: `${sut.baseUrl}/${TENANT_A.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });
});
