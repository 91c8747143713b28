import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  DefaultGraphClientFactory,
  type GraphClient,
  GraphClientFactory,
  type GraphLogger,
} from '@entra-backup/graph';
import { AppConfig } from '../../config/app-config';

/** Thrown when Graph is used while AZURE_CLIENT_ID and a secret or certificate are not configured. */
export class GraphNotConfiguredError extends Error {
  override readonly name = 'GraphNotConfiguredError';
  constructor() {
    super(
      'Microsoft Graph credentials are not configured: set AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH',
    );
  }
}

/**
 * The Graph client factory of the application, built from configuration on first use so the
 * service starts without credentials (the demo start-up supplies the emulator's). The same code
 * serves Microsoft's cloud and the emulator: only base URLs, credentials and extra CA
 * certificates differ.
 */
@Injectable()
export class ConfiguredGraphClientFactory extends GraphClientFactory implements OnApplicationShutdown {
  private inner: DefaultGraphClientFactory | undefined;
  private readonly logger = new Logger('Graph');

  constructor(private readonly config: AppConfig) {
    super();
  }

  forTenant(tenantId: string): GraphClient {
    return this.factory().forTenant(tenantId);
  }

  getGrantedAppRoles(tenantId: string): Promise<string[]> {
    return this.factory().getGrantedAppRoles(tenantId);
  }

  async close(): Promise<void> {
    const inner = this.inner;
    this.inner = undefined;
    await inner?.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private factory(): DefaultGraphClientFactory {
    if (this.inner) return this.inner;
    const { clientId, graphBaseUrl, loginBaseUrl, caCertificates } = this.config.graph;
    const credential = this.config.appCredential;
    if (clientId === undefined || credential === undefined) throw new GraphNotConfiguredError();
    this.inner = new DefaultGraphClientFactory({
      clientId,
      credential,
      graphBaseUrl,
      loginBaseUrl,
      ...(caCertificates.length > 0 ? { caCertificates: [...caCertificates] } : {}),
      logger: this.graphLogger(),
    });
    return this.inner;
  }

  /** Graph's log lines never carry tokens or secrets (the library logs paths, statuses and request ids). */
  private graphLogger(): GraphLogger {
    return {
      debug: (message) => this.logger.debug(message),
      warn: (message) => this.logger.warn(message),
    };
  }
}
