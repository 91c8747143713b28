import type { Json } from '../directory/object-collection';
import { GraphHttpError } from '../shared/graph-error';

/**
 * `keyCredentials[].key` (the public certificate) is "returned only on $select for a single object,
 * that is, GET applications/{applicationId}?$select=keyCredentials or GET
 * servicePrincipals/{servicePrincipalId}?$select=keyCredentials; otherwise, it is always null":
 * https://learn.microsoft.com/graph/api/resources/keycredential
 */
export function withoutCertificateKeys(obj: Json): Json {
  const credentials = obj['keyCredentials'];
  if (!Array.isArray(credentials) || credentials.length === 0) return obj;
  return {
    ...obj,
    keyCredentials: credentials.map((c: unknown) =>
      typeof c === 'object' && c !== null ? { ...(c as Json), key: null } : c,
    ),
  };
}

/**
 * Certificates written with the application's create or update: each needs its public certificate
 * (`key`, Base64), its `type` and `usage` (https://learn.microsoft.com/graph/api/application-update,
 * https://learn.microsoft.com/graph/applications-how-to-add-certificate). A private key is never
 * accepted here (`Sign` certificates go through addKey with proof of possession).
 */
export function checkCertificateUpload(body: Json): void {
  const credentials = body['keyCredentials'];
  if (credentials === undefined) return;
  if (!Array.isArray(credentials)) throw invalidKeyCredentials();
  for (const c of credentials as unknown[]) {
    if (typeof c !== 'object' || c === null) throw invalidKeyCredentials();
    const credential = c as Json;
    const key = credential['key'];
    if (typeof key !== 'string' || key === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(key))
      throw invalidKeyCredentials();
    if (credential['type'] !== 'AsymmetricX509Cert' && credential['type'] !== 'X509CertAndPassword')
      throw invalidKeyCredentials();
    if (credential['usage'] !== 'Verify' && credential['usage'] !== 'Sign') throw invalidKeyCredentials();
  }
}

function invalidKeyCredentials(): GraphHttpError {
  return new GraphHttpError(
    400,
    'Request_BadRequest',
    "Invalid value specified for property 'keyCredentials' of resource 'Application'.",
  );
}
