import { loadAppConfig } from '../../config/app-config';
import { ConfiguredGraphClientFactory, GraphNotConfiguredError } from './configured-graph-client.factory';

const TENANT = '7a1c4f0e-1111-4222-8333-444455556666';

describe(ConfiguredGraphClientFactory.name, () => {
  it('refuses to talk to Graph without app credentials, naming the variables', () => {
    const sut = new ConfiguredGraphClientFactory(loadAppConfig({}));
    expect(() => sut.forTenant(TENANT)).toThrow(GraphNotConfiguredError);
    expect(() => sut.forTenant(TENANT)).toThrow(
      /AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH/,
    );
  });

  it('builds tenant clients from the configured base URLs and credentials, once, and closes them', async () => {
    const config = loadAppConfig({
      GRAPH_BASE_URL: 'https://graph.example.test',
      LOGIN_BASE_URL: 'https://login.example.test',
      AZURE_CLIENT_ID: '3f9c1d2e-0000-4000-8000-0000000000b1',
      AZURE_CLIENT_SECRET: 'not-a-real-secret',
    });
    const sut = new ConfiguredGraphClientFactory(config);
    const client = sut.forTenant(TENANT);
    expect(client.tenantId).toBe(TENANT);
    expect(sut.forTenant(TENANT)).not.toBe(client);
    expect(client.metrics().requests).toBe(0);
    await expect(sut.close()).resolves.toBeUndefined();
    await expect(sut.onApplicationShutdown()).resolves.toBeUndefined();
  });
});
