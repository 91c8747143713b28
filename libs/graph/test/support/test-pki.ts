import { createHash, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface TestPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

function newCertificate(publicKey: forge.pki.PublicKey, serial: string): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  return cert;
}

function rsaKeys(): forge.pki.rsa.KeyPair {
  // Node's generator is much faster than forge's pure-JS one.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost, signed by it. */
export function createTestPki(): TestPki {
  const caKeys = rsaKeys();
  const ca = newCertificate(caKeys.publicKey, '01');
  const caName = [{ name: 'commonName', value: 'entra-backup test CA' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = rsaKeys();
  const server = newCertificate(serverKeys.publicKey, '02');
  server.setSubject([{ name: 'commonName', value: 'localhost' }]);
  server.setIssuer(caName);
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ],
    },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());
  return {
    caPem: forge.pki.certificateToPem(ca),
    serverCertPem: forge.pki.certificateToPem(server),
    serverKeyPem: forge.pki.privateKeyToPem(serverKeys.privateKey),
  };
}

export interface TestClientCertificate {
  certificatePem: string;
  privateKeyPem: string;
  publicKeyPem: string;
  thumbprintSha256: string;
}

/** A self-signed application certificate for the client-assertion credential. */
export function createClientCertificate(): TestClientCertificate {
  const keys = rsaKeys();
  const cert = newCertificate(keys.publicKey, '03');
  const name = [{ name: 'commonName', value: 'entra-backup app' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    certificatePem: forge.pki.certificateToPem(cert),
    privateKeyPem: forge.pki.privateKeyInfoToPem(
      forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keys.privateKey)),
    ),
    publicKeyPem: forge.pki.publicKeyToPem(keys.publicKey),
    thumbprintSha256: createHash('sha256').update(der).digest('hex'),
  };
}
