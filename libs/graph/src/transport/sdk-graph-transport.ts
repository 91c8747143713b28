import {
  AuthenticationHandler,
  AuthenticationProvider,
  Context,
  Middleware,
  RedirectHandler,
  RedirectHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { Dispatcher, fetch } from 'undici';
import { GraphTransport, TransportRequest, TransportResponse } from './graph-transport';

interface SendContext extends Context {
  beforeSend?: () => Promise<void>;
  signal?: AbortSignal;
}

/** Last link of the SDK middleware chain: the HTTP call itself, through our undici pool. */
class UndiciHttpMessageHandler implements Middleware {
  constructor(private readonly dispatcher: Dispatcher) {}

  async execute(context: Context): Promise<void> {
    const sendContext = context as SendContext;
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    await sendContext.beforeSend?.();
    const options = context.options ?? {};
    const response = await fetch(url, {
      method: options.method,
      headers: options.headers as Record<string, string>,
      body: options.body as string | undefined,
      redirect: options.redirect,
      signal: sendContext.signal,
      dispatcher: this.dispatcher,
    });
    context.response = response as unknown as Response;
  }
}

export interface SdkGraphTransportOptions {
  dispatcher: Dispatcher;
  /** Host names (without port) that receive the bearer token: the configured Graph host. */
  customHosts: Set<string>;
  getAccessToken: () => Promise<string>;
}

/**
 * Sends requests through the Microsoft Graph JS SDK's middleware: its AuthenticationHandler attaches the
 * token only for Graph hosts (`customHosts`, matched by host name without port), its RedirectHandler drops
 * the token on cross-host redirects, and its TelemetryHandler sets `client-request-id` when absent.
 *
 * We call the middleware chain directly instead of `Client.api()`, because GraphRequest re-parses the
 * query string and rebuilds it in its own order, and Graph asks for `@odata.nextLink` to be called
 * verbatim: https://learn.microsoft.com/graph/paging
 */
export class SdkGraphTransport extends GraphTransport {
  private readonly chain: Middleware;

  constructor(private readonly options: SdkGraphTransportOptions) {
    super();
    const provider: AuthenticationProvider = { getAccessToken: () => options.getAccessToken() };
    const middleware: Middleware[] = [
      new AuthenticationHandler(provider),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new UndiciHttpMessageHandler(options.dispatcher),
    ];
    for (let index = 0; index < middleware.length - 1; index++) {
      middleware[index]!.setNext?.(middleware[index + 1]!);
    }
    this.chain = middleware[0]!;
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    const context: SendContext = {
      request: request.url,
      options: { method: request.method, headers: { ...request.headers }, body: request.body },
      customHosts: this.options.customHosts,
      beforeSend: request.beforeSend,
      signal: request.signal,
    };
    await this.chain.execute(context);
    const response = context.response;
    if (!response) throw new Error(`No response for ${request.method} ${request.url}`);
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, body };
  }
}
