import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  createClientCertificate,
  type TestClientCertificate,
} from '../../../../libs/graph/test/support/test-pki';
import { ConfigurationError, describeConfig, loadAppConfig } from './app-config';
import { ClientCertificate, loadClientCertificate } from './client-certificate';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

/** The base64 body of a PEM block: what must never appear in a message or a log line. */
function pemBody(pem: string): string {
  return pem.split('\n').slice(1, 4).join('');
}

describe(loadClientCertificate.name, () => {
  let dir: string;
  let cert: TestClientCertificate;
  let otherCert: TestClientCertificate;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entra-backup-cert-'));
    cert = createClientCertificate();
    otherCert = createClientCertificate();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function pemFile(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  function load(env: Record<string, string | undefined>) {
    return loadAppConfig({ AZURE_CLIENT_ID: CLIENT_ID, ...env }, { cwd: dir });
  }

  it('configures the app credential from a PEM file with the private key and the certificate', () => {
    pemFile('app.pem', `${cert.privateKeyPem}\n${cert.certificatePem}`);

    const sut = load({ AZURE_CLIENT_CERTIFICATE_PATH: 'app.pem' });

    expect(sut.hasAppCredentials).toBe(true);
    expect(sut.graph.clientSecret).toBeUndefined();
    expect(sut.graph.clientCertificate).toBeInstanceOf(ClientCertificate);
    expect(sut.graph.clientCertificate?.path).toBe(join(dir, 'app.pem'));
    const credential = sut.appCredential;
    expect(credential).toMatchObject({ kind: 'certificate', thumbprintSha256: cert.thumbprintSha256 });
    // The exported key is the certificate's: what it signs, the certificate's public key verifies.
    const privateKey = credential?.kind === 'certificate' ? credential.privateKey : '';
    expect(privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const signature = sign('sha256', Buffer.from('assertion'), createPrivateKey(privateKey));
    expect(verify('sha256', Buffer.from('assertion'), createPublicKey(cert.certificatePem), signature)).toBe(
      true,
    );
  });

  it('finds the certificate that matches the key when the file carries a chain', () => {
    const path = pemFile(
      'chain.pem',
      `${otherCert.certificatePem}\n${cert.certificatePem}\n${cert.privateKeyPem}`,
    );

    expect(load({ AZURE_CLIENT_CERTIFICATE_PATH: path }).graph.clientCertificate?.thumbprintSha256).toBe(
      cert.thumbprintSha256,
    );
  });

  it('decrypts an encrypted private key with AZURE_CLIENT_CERTIFICATE_PASSWORD', () => {
    const encrypted = createPrivateKey(cert.privateKeyPem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: ' pass phrase ' })
      .toString();
    const path = pemFile('encrypted.pem', `${encrypted}\n${cert.certificatePem}`);

    const sut = load({
      AZURE_CLIENT_CERTIFICATE_PATH: path,
      AZURE_CLIENT_CERTIFICATE_PASSWORD: ' pass phrase ',
    });
    expect(sut.appCredential).toMatchObject({ kind: 'certificate', thumbprintSha256: cert.thumbprintSha256 });

    expect(() => load({ AZURE_CLIENT_CERTIFICATE_PATH: path })).toThrow(
      `AZURE_CLIENT_CERTIFICATE_PATH: the private key in ${path} is encrypted; set AZURE_CLIENT_CERTIFICATE_PASSWORD`,
    );
    expect(() =>
      load({ AZURE_CLIENT_CERTIFICATE_PATH: path, AZURE_CLIENT_CERTIFICATE_PASSWORD: 'wrong' }),
    ).toThrow(
      `AZURE_CLIENT_CERTIFICATE_PASSWORD does not decrypt the private key in AZURE_CLIENT_CERTIFICATE_PATH (${path})`,
    );
  });

  it('names the variable when the file does not exist or is not a file', () => {
    const missing = join(dir, 'missing.pem');
    expect(() => load({ AZURE_CLIENT_CERTIFICATE_PATH: missing })).toThrow(
      `Invalid configuration: AZURE_CLIENT_CERTIFICATE_PATH: ${missing} does not exist`,
    );
    const folder = join(dir, 'folder.pem');
    mkdirSync(folder, { recursive: true });
    expect(() => load({ AZURE_CLIENT_CERTIFICATE_PATH: folder })).toThrow(
      `AZURE_CLIENT_CERTIFICATE_PATH: ${folder} is a directory, not a PEM file`,
    );
  });

  it.each([
    ['only a certificate', () => cert.certificatePem, 'holds no PEM private key; it must hold'],
    ['only a private key', () => cert.privateKeyPem, 'holds no PEM certificate; it must hold'],
    ['neither', () => 'not a pem file', 'holds no PEM private key and no certificate'],
    [
      'a key of another certificate',
      () => `${otherCert.privateKeyPem}\n${cert.certificatePem}`,
      'does not belong to any certificate in the file',
    ],
    [
      'a non-RSA key',
      () =>
        `${generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()}\n${cert.certificatePem}`,
      'must be an RSA key',
    ],
  ])('refuses a file holding %s, without quoting the key', (_case, content, message) => {
    const path = pemFile('bad.pem', content());

    const error = (() => {
      try {
        load({ AZURE_CLIENT_CERTIFICATE_PATH: path });
      } catch (e) {
        return e;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(ConfigurationError);
    const text = (error as Error).message;
    expect(text).toContain('AZURE_CLIENT_CERTIFICATE_PATH');
    expect(text).toContain(message);
    expect(text).not.toContain(pemBody(cert.privateKeyPem));
    expect(text).not.toContain(pemBody(otherCert.privateKeyPem));
  });

  it('keeps the private key out of JSON, inspection and the configuration summary', () => {
    const path = pemFile('app.pem', `${cert.privateKeyPem}\n${cert.certificatePem}`);
    const sut = load({ AZURE_CLIENT_CERTIFICATE_PATH: path });
    const exported = sut.graph.clientCertificate!.privateKeyPem();

    for (const text of [
      JSON.stringify(sut),
      inspect(sut, { depth: 10 }),
      JSON.stringify(describeConfig(sut)),
    ]) {
      expect(text).not.toContain(pemBody(cert.privateKeyPem));
      expect(text).not.toContain(pemBody(exported));
    }
    expect(describeConfig(sut)).toMatchObject({
      clientSecret: 'unset',
      clientCertificate: { path, thumbprintSha256: cert.thumbprintSha256 },
    });
  });
});

describe('app credential variables', () => {
  let path: string;
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entra-backup-cert-'));
    const cert = createClientCertificate();
    path = join(dir, 'app.pem');
    writeFileSync(path, `${cert.privateKeyPem}\n${cert.certificatePem}`);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a secret and a certificate together, naming both variables', () => {
    expect(() =>
      loadAppConfig({
        AZURE_CLIENT_ID: CLIENT_ID,
        AZURE_CLIENT_SECRET: 's3cr3t',
        AZURE_CLIENT_CERTIFICATE_PATH: path,
      }),
    ).toThrow(
      'AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH are both set: set only the credential the app registration should use',
    );
  });

  it('refuses a client id without a credential', () => {
    expect(() => loadAppConfig({ AZURE_CLIENT_ID: CLIENT_ID })).toThrow(
      'AZURE_CLIENT_ID needs AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH',
    );
  });

  it.each([
    [{ AZURE_CLIENT_SECRET: 's3cr3t' }, 'AZURE_CLIENT_SECRET needs AZURE_CLIENT_ID'],
    [{ AZURE_CLIENT_CERTIFICATE_PATH: 'app.pem' }, 'AZURE_CLIENT_CERTIFICATE_PATH needs AZURE_CLIENT_ID'],
  ])('refuses a credential without a client id (%o)', (env, message) => {
    expect(() => loadAppConfig(env, { cwd: dir })).toThrow(message);
  });

  it('refuses a certificate password without a certificate', () => {
    expect(() =>
      loadAppConfig({
        AZURE_CLIENT_ID: CLIENT_ID,
        AZURE_CLIENT_SECRET: 's3cr3t',
        AZURE_CLIENT_CERTIFICATE_PASSWORD: 'pw',
      }),
    ).toThrow('AZURE_CLIENT_CERTIFICATE_PASSWORD is set but AZURE_CLIENT_CERTIFICATE_PATH is not');
  });

  it('treats blank certificate variables as unset', () => {
    const sut = loadAppConfig({
      AZURE_CLIENT_ID: CLIENT_ID,
      AZURE_CLIENT_SECRET: 's3cr3t',
      AZURE_CLIENT_CERTIFICATE_PATH: ' ',
      AZURE_CLIENT_CERTIFICATE_PASSWORD: '',
    });

    expect(sut.appCredential).toEqual({ kind: 'secret', clientSecret: 's3cr3t' });
    expect(sut.graph.clientCertificate).toBeUndefined();
  });
});
