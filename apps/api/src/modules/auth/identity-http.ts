import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { Agent, type Dispatcher, fetch } from 'undici';

/**
 * HTTPS to the Microsoft identity platform (OpenID metadata, JWKS, token endpoint) on one pool,
 * trusting the configured extra CAs besides Node's bundled roots. An explicit CA option, since
 * NODE_EXTRA_CA_CERTS is read only at process start and the demo mode learns its CA later.
 */
export class IdentityHttp implements INetworkModule {
  private readonly dispatcher: Dispatcher;

  constructor(caCertificates: readonly string[], timeoutMs = 30_000) {
    this.dispatcher = new Agent({
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: caCertificates.length > 0 ? { ca: [...rootCertificates, ...caCertificates] } : undefined,
    });
  }

  async getJson<T>(url: string): Promise<T> {
    const response = await fetch(url, { dispatcher: this.dispatcher, signal: AbortSignal.timeout(30_000) });
    if (!response.ok) {
      throw new Error(`GET ${new URL(url).pathname} answered HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const response = await fetch(url, {
      method,
      headers: options?.headers,
      body: method === 'POST' ? options?.body : undefined,
      dispatcher: this.dispatcher,
      signal: AbortSignal.timeout(timeout ?? 30_000),
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new Error(
        `Identity platform answered ${method} ${new URL(url).pathname} with non-JSON (HTTP ${response.status})`,
      );
    }
    return { headers, body: body as T, status: response.status };
  }
}
