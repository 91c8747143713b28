import type { NodeAuthOptions } from '@azure/msal-node';
import type { ClientCredential } from '../options';

/**
 * msal's credential options for an app credential: the client secret, or the certificate whose
 * private key signs each token request's client assertion. One mapping for the app-only tokens
 * of backups and for the portal's sign-in, so both always use the same credential the same way.
 */
export function msalCredentialOptions(
  credential: ClientCredential,
): Pick<NodeAuthOptions, 'clientSecret' | 'clientCertificate'> {
  if (credential.kind === 'secret') return { clientSecret: credential.clientSecret };
  return {
    clientCertificate: {
      thumbprintSha256: credential.thumbprintSha256,
      privateKey: credential.privateKey,
      ...(credential.x5c ? { x5c: credential.x5c } : {}),
    },
  };
}
