import { rootCertificates } from 'node:tls';
import { DEFAULT_USER_AGENT, UndiciMsalNetworkClient } from '@entra-backup/graph';
import { Agent, type Dispatcher, fetch } from 'undici';

/**
 * HTTPS to the Microsoft identity platform (OpenID metadata, JWKS, token endpoint) on one pool,
 * trusting the configured extra CAs besides Node's bundled roots. An explicit CA option, since
 * NODE_EXTRA_CA_CERTS is read only at process start and the demo mode learns its CA later.
 * msal's requests go through the Graph library's network client on this pool.
 */
export class IdentityHttp extends UndiciMsalNetworkClient {
  private readonly pool: Dispatcher;

  constructor(caCertificates: readonly string[], timeoutMs = 30_000) {
    const pool = new Agent({
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: caCertificates.length > 0 ? { ca: [...rootCertificates, ...caCertificates] } : undefined,
    });
    super(pool, DEFAULT_USER_AGENT);
    this.pool = pool;
  }

  async getJson<T>(url: string): Promise<T> {
    const response = await fetch(url, { dispatcher: this.pool, signal: AbortSignal.timeout(30_000) });
    if (!response.ok) {
      throw new Error(`GET ${new URL(url).pathname} answered HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
