import {
  constants,
  createHash,
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign,
} from 'node:crypto';
import forge from 'node-forge';
import { createIdentityRouter } from '../../src/identity/identity.router';
import type { RunningEmulator } from '../../src/server/start-emulator';
import { type FakeWorld, TENANT_A } from './fake-directory';
import { APP, startTestEmulator } from './harness';
import { decodeJwtPayload, httpsCall } from './https-client';

interface AppCertificate {
  readonly certPem: string;
  readonly privateKey: KeyObject;
  /** Base64url SHA-1 and SHA-256 thumbprints of the DER certificate. */
  readonly x5t: string;
  readonly x5tS256: string;
}

/** A self-signed certificate; Node generates the key (much faster than forge), forge signs the certificate. */
function appCertificate(): AppCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forgeKey = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'backup-app' }]);
  cert.setIssuer([{ name: 'commonName', value: 'backup-app' }]);
  cert.sign(forgeKey, forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    certPem: forge.pki.certificateToPem(cert),
    privateKey,
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
  };
}

type Signer = (input: string) => Buffer;

const pkcs1: (key: KeyObject) => Signer = (key) => (input) => sign('sha256', Buffer.from(input), key);
const pss: (key: KeyObject, saltLength?: number) => Signer =
  (key, saltLength = 32) =>
  (input) =>
    sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Certificate credentials as Microsoft Entra documents them: PS256 with `x5t#S256` (what msal-node
 * 7 sends for a SHA-256 thumbprint) or the older RS256 with `x5t`; nothing else, and only when the
 * signature is the registered certificate's.
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 */
describe(`${createIdentityRouter.name}: certificate client assertions`, () => {
  const certApp = {
    ...APP,
    clientId: 'eeeeeeee-0000-4000-8000-00000000000e',
    clientSecret: undefined,
    displayName: 'Entra Backup (certificate)',
  };
  let sut: RunningEmulator<FakeWorld>;
  let cert: AppCertificate;
  let other: AppCertificate;
  const tokenUrl = () => `${sut.loginBaseUrl}/${TENANT_A.tenantId}/oauth2/v2.0/token`;

  beforeAll(async () => {
    cert = appCertificate();
    other = appCertificate();
    sut = await startTestEmulator({ apps: [APP, { ...certApp, certificatePem: cert.certPem }] });
  });
  afterAll(async () => {
    await sut.stop();
  });
  beforeEach(() => {
    sut.reset();
    sut.world.applyAdminConsent(
      TENANT_A.tenantId,
      { appId: certApp.clientId, displayName: certApp.displayName },
      ['User.Read.All', 'Group.Read.All'],
    );
  });

  function assertion(header: Record<string, unknown>, signer: Signer | ((input: string) => string)): string {
    const nowS = Math.floor(sut.clock.now() / 1000);
    const claims = {
      aud: tokenUrl(),
      iss: certApp.clientId,
      sub: certApp.clientId,
      jti: randomUUID(),
      nbf: nowS,
      iat: nowS,
      exp: nowS + 600,
    };
    const input = `${b64({ typ: 'JWT', ...header })}.${b64(claims)}`;
    const signature = signer(input);
    return `${input}.${typeof signature === 'string' ? signature : signature.toString('base64url')}`;
  }

  const requestToken = (clientAssertion: string) =>
    httpsCall(tokenUrl(), sut.caCertPem, {
      form: {
        grant_type: 'client_credentials',
        client_id: certApp.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: clientAssertion,
        scope: 'https://graph.microsoft.com/.default',
      },
    });

  it('issues a token with the consented roles for a PS256 assertion naming the certificate by x5t#S256', async () => {
    const response = await requestToken(
      assertion({ alg: 'PS256', 'x5t#S256': cert.x5tS256 }, pss(cert.privateKey)),
    );

    expect(response.status).toBe(200);
    expect(decodeJwtPayload(response.json<{ access_token: string }>().access_token)).toMatchObject({
      appid: certApp.clientId,
      appidacr: '2',
      roles: ['Group.Read.All', 'User.Read.All'],
    });
  });

  it('still accepts the older RS256 assertion naming the certificate by its SHA-1 x5t', async () => {
    const response = await requestToken(assertion({ alg: 'RS256', x5t: cert.x5t }, pkcs1(cert.privateKey)));

    expect(response.status).toBe(200);
  });

  it.each<[string, () => string]>([
    [
      'PS256 signed by another key',
      () => assertion({ alg: 'PS256', 'x5t#S256': cert.x5tS256 }, pss(other.privateKey)),
    ],
    [
      'RS256 signed by another key',
      () => assertion({ alg: 'RS256', x5t: cert.x5t }, pkcs1(other.privateKey)),
    ],
    [
      'PS256 with a PKCS#1 v1.5 signature',
      () => assertion({ alg: 'PS256', 'x5t#S256': cert.x5tS256 }, pkcs1(cert.privateKey)),
    ],
    [
      'RS256 with a PSS signature',
      () => assertion({ alg: 'RS256', 'x5t#S256': cert.x5tS256 }, pss(cert.privateKey)),
    ],
    [
      'PS256 with an empty PSS salt',
      () => assertion({ alg: 'PS256', 'x5t#S256': cert.x5tS256 }, pss(cert.privateKey, 0)),
    ],
    [
      'PS256 with a tampered payload',
      () => {
        const [header, , signature] = assertion(
          { alg: 'PS256', 'x5t#S256': cert.x5tS256 },
          pss(cert.privateKey),
        ).split('.');
        return `${header}.${b64({ aud: tokenUrl(), iss: certApp.clientId, sub: certApp.clientId, exp: 4_000_000_000 })}.${signature}`;
      },
    ],
  ])('rejects %s with invalid_client AADSTS700027', async (_case, build) => {
    const response = await requestToken(build());

    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(response.json<{ error_description: string }>().error_description).toContain(
      'The signature does not match the registered certificate.',
    );
  });

  it.each<[string, () => string]>([
    ['none', () => assertion({ alg: 'none', 'x5t#S256': cert.x5tS256 }, () => '')],
    [
      'HS256 keyed with the certificate',
      () =>
        assertion({ alg: 'HS256', 'x5t#S256': cert.x5tS256 }, (input) =>
          createHmac('sha256', cert.certPem).update(input).digest(),
        ),
    ],
    [
      'RS512',
      () =>
        assertion({ alg: 'RS512', 'x5t#S256': cert.x5tS256 }, (input) =>
          sign('sha512', Buffer.from(input), cert.privateKey),
        ),
    ],
  ])('rejects alg %s whatever its signature', async (_case, build) => {
    const response = await requestToken(build());

    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    expect(response.json<{ error_description: string }>().error_description).toContain(
      "The 'alg' header must be",
    );
  });

  it('rejects a PS256 assertion naming a certificate the app does not have', async () => {
    const response = await requestToken(
      assertion({ alg: 'PS256', 'x5t#S256': other.x5tS256 }, pss(other.privateKey)),
    );

    expect(response.status).toBe(401);
    expect(response.json<{ error_description: string }>().error_description).toContain(
      'is not registered on application',
    );
  });
});
