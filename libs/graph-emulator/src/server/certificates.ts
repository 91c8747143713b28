import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

export interface EmulatorTlsMaterial {
  caCertPem: string;
  caCertPath: string;
  serverCertPem: string;
  serverKeyPem: string;
}

const CA_VALIDITY_DAYS = 3650;
const SERVER_VALIDITY_DAYS = 365;
/** Regenerate a certificate when it would expire within this margin. */
const RENEW_MARGIN_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_SERVER_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * Makes sure `<dataDir>/emulator-ca/` holds a local CA and a server certificate for `names` signed by it,
 * reusing both while they are valid. Private keys are written with mode 0600.
 * The app trusts the CA with NODE_EXTRA_CA_CERTS=<dataDir>/emulator-ca/ca.pem; a browser by importing ca.pem.
 */
export function ensureEmulatorCertificates(
  dataDir: string,
  names: string[] = DEFAULT_SERVER_NAMES,
  now = new Date(),
): EmulatorTlsMaterial {
  const dir = join(dataDir, 'emulator-ca');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caCertPath = join(dir, 'ca.pem');
  const caKeyPath = join(dir, 'ca-key.pem');
  const serverCertPath = join(dir, 'server.pem');
  const serverKeyPath = join(dir, 'server-key.pem');

  let ca = loadCa(caCertPath, caKeyPath, now);
  let caRenewed = false;
  if (!ca) {
    ca = createCa(now);
    writeFileSync(caCertPath, forge.pki.certificateToPem(ca.cert));
    writePrivate(caKeyPath, forge.pki.privateKeyToPem(ca.key));
    caRenewed = true;
  }
  const wanted = [...new Set([...DEFAULT_SERVER_NAMES, ...names])];
  if (caRenewed || !serverCertUsable(serverCertPath, serverKeyPath, ca.cert, wanted, now)) {
    const server = createServerCert(ca, wanted, now);
    writeFileSync(serverCertPath, forge.pki.certificateToPem(server.cert));
    writePrivate(serverKeyPath, forge.pki.privateKeyToPem(server.key));
  }
  return {
    caCertPem: readFileSync(caCertPath, 'utf8'),
    caCertPath,
    serverCertPem: readFileSync(serverCertPath, 'utf8'),
    serverKeyPem: readFileSync(serverKeyPath, 'utf8'),
  };
}

interface KeyedCert {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

function rsaKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's native generator is much faster than forge's pure-JS one.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function serialNumber(): string {
  // Positive, non-zero 16-byte serial (RFC 5280 §4.1.2.2).
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function createCa(now: Date): KeyedCert {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + CA_VALIDITY_DAYS * 86_400_000);
  const subject = [
    { name: 'commonName', value: 'entra-backup Graph Emulator Local CA' },
    { name: 'organizationName', value: 'entra-backup emulator' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

function createServerCert(ca: KeyedCert, names: string[], now: Date): KeyedCert {
  const keys = rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(
    Math.min(now.getTime() + SERVER_VALIDITY_DAYS * 86_400_000, ca.cert.validity.notAfter.getTime()),
  );
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

function loadCa(certPath: string, keyPath: string, now: Date): KeyedCert | undefined {
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  try {
    const cert = forge.pki.certificateFromPem(readFileSync(certPath, 'utf8'));
    const key = forge.pki.privateKeyFromPem(readFileSync(keyPath, 'utf8')) as forge.pki.rsa.PrivateKey;
    const pub = cert.publicKey as forge.pki.rsa.PublicKey;
    if (pub.n.compareTo(key.n) !== 0) return undefined;
    if (!validAt(cert, now)) return undefined;
    return { cert, key };
  } catch {
    return undefined;
  }
}

function serverCertUsable(
  certPath: string,
  keyPath: string,
  caCert: forge.pki.Certificate,
  names: string[],
  now: Date,
): boolean {
  if (!existsSync(certPath) || !existsSync(keyPath)) return false;
  try {
    const cert = forge.pki.certificateFromPem(readFileSync(certPath, 'utf8'));
    const key = forge.pki.privateKeyFromPem(readFileSync(keyPath, 'utf8')) as forge.pki.rsa.PrivateKey;
    if ((cert.publicKey as forge.pki.rsa.PublicKey).n.compareTo(key.n) !== 0) return false;
    if (!validAt(cert, now) || !caCert.verify(cert)) return false;
    const san = cert.getExtension('subjectAltName') as {
      altNames?: Array<{ type: number; value?: string; ip?: string }>;
    } | null;
    // For IP entries forge keeps the raw address bytes in `value`; compare bytes so IPv6 spellings do not matter.
    const present = new Set(
      (san?.altNames ?? []).map((a) =>
        a.type === 7 ? `ip:${a.value ?? ''}` : (a.value ?? '').toLowerCase(),
      ),
    );
    return names.every((n) => present.has(isIP(n) ? `ip:${bytesFromIp(n)}` : n.toLowerCase()));
  } catch {
    return false;
  }
}

function validAt(cert: forge.pki.Certificate, now: Date): boolean {
  return (
    cert.validity.notBefore.getTime() <= now.getTime() &&
    cert.validity.notAfter.getTime() - RENEW_MARGIN_MS > now.getTime()
  );
}

function bytesFromIp(ip: string): string {
  // Present in node-forge's util but missing from @types/node-forge.
  return (forge.util as unknown as { bytesFromIP(ip: string): string | null }).bytesFromIP(ip) ?? '';
}

function writePrivate(path: string, pem: string): void {
  writeFileSync(path, pem, { mode: 0o600 });
  chmodSync(path, 0o600);
}
