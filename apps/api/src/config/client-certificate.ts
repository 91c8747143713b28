import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PATH_VARIABLE = 'AZURE_CLIENT_CERTIFICATE_PATH';
const PASSWORD_VARIABLE = 'AZURE_CLIENT_CERTIFICATE_PASSWORD';

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PRIVATE_KEY_BLOCK = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

/**
 * The app registration's certificate credential (AZURE_CLIENT_CERTIFICATE_PATH): msal signs each
 * token request's client assertion with the private key and names the certificate by its SHA-256
 * thumbprint (`x5t#S256`, PS256).
 * https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 *
 * The private key lives in an ECMAScript private field, so neither `JSON.stringify` (pino) nor
 * `util.inspect` of a configuration object can print it.
 */
export class ClientCertificate {
  readonly #privateKey: KeyObject;

  constructor(
    /** Absolute path of the PEM file, for messages. */
    readonly path: string,
    /** SHA-256 thumbprint of the certificate, lowercase hex. */
    readonly thumbprintSha256: string,
    /** End of the certificate's validity; the identity platform refuses assertions after it. */
    readonly notAfter: Date,
    privateKey: KeyObject,
  ) {
    this.#privateKey = privateKey;
  }

  /** The private key as unencrypted PKCS#8 PEM, the form msal-node takes. Never log it. */
  privateKeyPem(): string {
    return this.#privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }
}

export type ClientCertificateResult =
  | { readonly certificate: ClientCertificate; readonly problem?: undefined }
  | { readonly certificate?: undefined; readonly problem: string };

/**
 * Reads a PEM file holding the certificate and its private key (the format Azure's SDKs take for
 * AZURE_CLIENT_CERTIFICATE_PATH). Problems name the variable and the path but never quote the file:
 * messages from the crypto library are not passed on, as they could echo key material.
 */
export function loadClientCertificate(path: string, password: string | undefined): ClientCertificateResult {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: `${PATH_VARIABLE}: ${path} does not exist` };
    if (code === 'EISDIR') return { problem: `${PATH_VARIABLE}: ${path} is a directory, not a PEM file` };
    return { problem: `${PATH_VARIABLE}: ${path} cannot be read (${code ?? 'unknown error'})` };
  }

  const keyBlock = PRIVATE_KEY_BLOCK.exec(pem);
  const certificateBlocks = pem.match(CERTIFICATE_BLOCK) ?? [];
  if (!keyBlock || certificateBlocks.length === 0) {
    const missing = [!keyBlock && 'private key', certificateBlocks.length === 0 && 'certificate']
      .filter(Boolean)
      .join(' and no ');
    return {
      problem: `${PATH_VARIABLE}: ${path} holds no PEM ${missing}; it must hold the private key and the certificate`,
    };
  }

  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(
      password === undefined ? { key: keyBlock[0] } : { key: keyBlock[0], passphrase: password },
    );
  } catch (error) {
    const encrypted = keyBlock[1] === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(keyBlock[0]);
    const missingPassphrase = (error as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE';
    if (password === undefined && (encrypted || missingPassphrase)) {
      return {
        problem: `${PATH_VARIABLE}: the private key in ${path} is encrypted; set ${PASSWORD_VARIABLE}`,
      };
    }
    if (password !== undefined && encrypted) {
      return {
        problem: `${PASSWORD_VARIABLE} does not decrypt the private key in ${PATH_VARIABLE} (${path})`,
      };
    }
    return { problem: `${PATH_VARIABLE}: the private key in ${path} is not a valid PEM private key` };
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    return {
      problem: `${PATH_VARIABLE}: the private key in ${path} must be an RSA key (Microsoft Entra signs client assertions with RSA)`,
    };
  }

  // The file may carry a chain; the credential is the certificate that matches the private key.
  let leaf: X509Certificate | undefined;
  for (const block of certificateBlocks) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch {
      return { problem: `${PATH_VARIABLE}: ${path} holds a certificate that is not valid PEM` };
    }
    if (certificate.checkPrivateKey(privateKey)) {
      leaf = certificate;
      break;
    }
  }
  if (!leaf) {
    return {
      problem: `${PATH_VARIABLE}: the private key in ${path} does not belong to any certificate in the file`,
    };
  }
  return {
    certificate: new ClientCertificate(
      path,
      leaf.fingerprint256.replaceAll(':', '').toLowerCase(),
      new Date(leaf.validTo),
      privateKey,
    ),
  };
}
