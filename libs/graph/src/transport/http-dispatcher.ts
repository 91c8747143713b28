import { rootCertificates } from 'node:tls';
import { Agent, Dispatcher } from 'undici';

export interface DispatcherOptions {
  caCertificates?: string[];
  requestTimeoutMs: number;
}

/**
 * One connection pool for Graph and the identity platform. Extra CA certificates are added to Node's
 * bundled roots rather than replacing them; without them undici uses Node's default trust store
 * (which includes NODE_EXTRA_CA_CERTS).
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  return new Agent({
    headersTimeout: options.requestTimeoutMs,
    bodyTimeout: options.requestTimeoutMs,
    connect: options.caCertificates ? { ca: [...rootCertificates, ...options.caCertificates] } : undefined,
  });
}
