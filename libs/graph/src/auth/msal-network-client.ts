import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { Dispatcher, fetch } from 'undici';

/**
 * msal's HTTP client, on the same undici pool as Graph so a configured private CA applies to the token
 * endpoint as well. https://learn.microsoft.com/entra/msal/javascript/node/configuration (system.networkClient)
 */
export class UndiciMsalNetworkClient implements INetworkModule {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly userAgent: string,
  ) {}

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

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const response = await fetch(url, {
      method,
      headers: { 'user-agent': this.userAgent, ...options?.headers },
      body: method === 'POST' ? options?.body : undefined,
      dispatcher: this.dispatcher,
      signal: timeout ? AbortSignal.timeout(timeout) : undefined,
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
        `Identity platform answered ${method} ${new URL(url).pathname} with non-JSON content (HTTP ${response.status})`,
      );
    }
    return { headers, body: body as T, status: response.status };
  }
}
