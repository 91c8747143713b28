import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEmulatorCertificates } from './certificates';

describe(ensureEmulatorCertificates.name, () => {
  const freshDir = () => mkdtempSync(join(tmpdir(), 'emulator-ca-spec-'));

  it('creates a CA and a server certificate for localhost, 127.0.0.1 and ::1 signed by it, keys private', () => {
    const dir = freshDir();

    const sut = ensureEmulatorCertificates(dir);

    const ca = new X509Certificate(sut.caCertPem);
    const server = new X509Certificate(sut.serverCertPem);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBeDefined();
    expect(sut.caCertPath).toBe(join(dir, 'emulator-ca', 'ca.pem'));
    expect(statSync(join(dir, 'emulator-ca', 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'emulator-ca', 'server-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('reuses valid certificates', () => {
    const dir = freshDir();
    const first = ensureEmulatorCertificates(dir);

    const second = ensureEmulatorCertificates(dir);

    expect(second).toEqual(first);
  });

  it('adds a missing host name by issuing a new server certificate from the same CA', () => {
    const dir = freshDir();
    const first = ensureEmulatorCertificates(dir);

    const second = ensureEmulatorCertificates(dir, ['emulator.test']);

    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.serverCertPem).not.toBe(first.serverCertPem);
    expect(new X509Certificate(second.serverCertPem).checkHost('emulator.test')).toBe('emulator.test');
  });

  it('renews a server certificate that is about to expire', () => {
    const dir = freshDir();
    const first = ensureEmulatorCertificates(dir);
    const nearExpiry = new Date(new X509Certificate(first.serverCertPem).validTo);

    const renewed = ensureEmulatorCertificates(dir, [], new Date(nearExpiry.getTime() - 60_000));

    expect(renewed.serverCertPem).not.toBe(first.serverCertPem);
    expect(renewed.caCertPem).toBe(first.caCertPem);
  });

  it('replaces an unreadable CA with a new one', () => {
    const dir = freshDir();
    const first = ensureEmulatorCertificates(dir);
    writeFileSync(join(dir, 'emulator-ca', 'ca.pem'), 'garbage');

    const second = ensureEmulatorCertificates(dir);

    expect(second.caCertPem).not.toBe(first.caCertPem);
    expect(
      new X509Certificate(second.serverCertPem).verify(
        new X509Certificate(readFileSync(second.caCertPath)).publicKey,
      ),
    ).toBe(true);
  });
});
