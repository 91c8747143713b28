import { Dispatcher } from 'undici';
import { AccessTokenProvider } from './auth/access-token-provider';
import { UndiciMsalNetworkClient } from './auth/msal-network-client';
import { MsalAccessTokenProvider } from './auth/msal-token-provider';
import { GraphClient } from './graph-client';
import { HttpGraphClient } from './http-graph-client';
import { GraphMetrics } from './metrics';
import {
  assertTenantId,
  GraphClientFactoryOptions,
  ResolvedGraphOptions,
  resolveGraphOptions,
} from './options';
import { RequestExecutor } from './request-executor';
import { Semaphore } from './resilience/semaphore';
import { ThrottleGate } from './resilience/throttle-gate';
import { GraphTransport } from './transport/graph-transport';
import { createDispatcher } from './transport/http-dispatcher';
import { SdkGraphTransport } from './transport/sdk-graph-transport';

/** Creates tenant-bound Graph clients. Abstract so Nest modules can use it as a DI token. */
export abstract class GraphClientFactory {
  /**
   * A client for one tenant with its own metrics. Clients of the same tenant share the token, the
   * concurrency bound and the throttle gate.
   */
  abstract forTenant(tenantId: string): GraphClient;
  /** Application permissions granted in the tenant (the `roles` of a freshly issued app-only token). */
  abstract getGrantedAppRoles(tenantId: string): Promise<string[]>;
  /** Closes pooled connections. */
  abstract close(): Promise<void>;
}

interface TenantState {
  semaphore: Semaphore;
  gate: ThrottleGate;
  transport: GraphTransport;
}

export interface GraphClientFactoryDeps {
  tokenProvider?: AccessTokenProvider;
  /** Replaces the HTTP transport (unit tests). */
  createTransport?: (tenantId: string) => GraphTransport;
}

export class DefaultGraphClientFactory extends GraphClientFactory {
  readonly options: ResolvedGraphOptions;
  private readonly dispatcher: Dispatcher;
  private readonly tokenProvider: AccessTokenProvider;
  private readonly tenants = new Map<string, TenantState>();
  private readonly customHosts: Set<string>;

  constructor(
    options: GraphClientFactoryOptions,
    private readonly deps: GraphClientFactoryDeps = {},
  ) {
    super();
    this.options = resolveGraphOptions(options);
    this.dispatcher = createDispatcher(this.options);
    // The SDK attaches the token only for graph.microsoft.com and for these host names (without port).
    this.customHosts = new Set([new URL(this.options.graphBaseUrl).hostname.toLowerCase()]);
    this.tokenProvider =
      deps.tokenProvider ??
      new MsalAccessTokenProvider({
        clientId: this.options.clientId,
        credential: this.options.credential,
        loginBaseUrl: this.options.loginBaseUrl,
        scope: this.options.scope,
        networkClient: new UndiciMsalNetworkClient(this.dispatcher, this.options.userAgent),
        clock: this.options.clock,
        refreshMarginMs: this.options.tokenRefreshMarginMs,
        logger: this.options.logger,
      });
  }

  forTenant(tenantId: string): GraphClient {
    assertTenantId(tenantId);
    const tenant = this.tenant(tenantId);
    const metrics = new GraphMetrics();
    const { options } = this;
    const executor = new RequestExecutor({
      transport: tenant.transport,
      gate: tenant.gate,
      semaphore: tenant.semaphore,
      clock: options.clock,
      random: options.random,
      retry: options.retry,
      metrics,
      logger: options.logger,
      userAgent: options.userAgent,
      invalidateToken: () => this.tokenProvider.invalidate(tenantId),
    });
    return new HttpGraphClient({
      tenantId,
      graphBaseUrl: options.graphBaseUrl,
      defaultVersion: options.defaultVersion,
      executor,
      gate: tenant.gate,
      metrics,
      clock: options.clock,
      random: options.random,
      retry: options.retry,
      maxRestarts: options.maxRestarts,
      logger: options.logger,
    });
  }

  getGrantedAppRoles(tenantId: string): Promise<string[]> {
    assertTenantId(tenantId);
    return this.tokenProvider.getGrantedAppRoles(tenantId);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private tenant(tenantId: string): TenantState {
    const key = tenantId.toLowerCase();
    let state = this.tenants.get(key);
    if (!state) {
      state = {
        semaphore: new Semaphore(this.options.maxConcurrency),
        gate: new ThrottleGate(this.options.clock),
        transport:
          this.deps.createTransport?.(tenantId) ??
          new SdkGraphTransport({
            dispatcher: this.dispatcher,
            customHosts: this.customHosts,
            getAccessToken: () => this.tokenProvider.getAccessToken(tenantId),
          }),
      };
      this.tenants.set(key, state);
    }
    return state;
  }
}
