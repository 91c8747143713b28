import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { GLOBAL_ADMINISTRATOR_TEMPLATE_ID } from '../../src/identity/token-service';
import { startEmulator, type RunningEmulator } from '../../src/server/start-emulator';
import { APP } from './harness';
import { decodeJwtPayload, httpsCall } from './https-client';

describe(`${startEmulator.name}: the generated directory`, () => {
  let sut: RunningEmulator;
  let dispatcher: Agent;

  beforeAll(async () => {
    sut = await startEmulator({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'emulator-generated-')),
      tenants: 2,
      usersPerTenant: 120,
      seed: 5,
      apps: [APP],
    });
    dispatcher = new Agent({ connect: { ca: sut.caCertPem } });
  });
  afterAll(async () => {
    await dispatcher.close();
    await sut.stop();
  });

  it('runs admin consent, client credentials and Graph paging end to end', async () => {
    const [tenant] = sut.world.listTenants();
    const admin = sut.world
      .listSignInUsers(tenant!.tenantId, 50)
      .find((u) => u.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR_TEMPLATE_ID));
    expect(admin).toBeDefined();

    const consent = await httpsCall(
      `${sut.loginBaseUrl}/${tenant!.tenantId}/v2.0/adminconsent`,
      sut.caCertPem,
      {
        form: {
          client_id: APP.clientId,
          scope: 'https://graph.microsoft.com/.default',
          redirect_uri: APP.redirectUris[0]!,
          state: 's',
          emulator_user: admin!.id,
          emulator_decision: 'accept',
        },
      },
    );
    expect(new URL(String(consent.headers['location'])).searchParams.get('admin_consent')).toBe('True');

    const msal = new ConfidentialClientApplication({
      auth: {
        clientId: APP.clientId,
        clientSecret: APP.clientSecret ?? '',
        authority: `${sut.loginBaseUrl}/${tenant!.tenantId}`,
        knownAuthorities: [new URL(sut.loginBaseUrl).host],
      },
      system: {
        networkClient: {
          sendGetRequestAsync: async (url, options) =>
            toNetworkResponse(await fetchWithCa(dispatcher, url, 'GET', options?.headers, options?.body)),
          sendPostRequestAsync: async (url, options) =>
            toNetworkResponse(await fetchWithCa(dispatcher, url, 'POST', options?.headers, options?.body)),
        },
      },
    });
    const token = await msal.acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(decodeJwtPayload(token!.accessToken)['roles']).toEqual([...APP.requiredAppRoles].sort());

    const client = Client.init({
      authProvider: (done) => done(null, token!.accessToken),
      baseUrl: sut.graphBaseUrl,
      customHosts: new Set([new URL(sut.graphBaseUrl).hostname]),
      fetchOptions: { dispatcher: dispatcher as unknown as RequestInit['dispatcher'] },
    });
    const ids = new Set<string>();
    const first = (await client.api('/users').top(50).select('id').get()) as PageCollection;
    await new PageIterator(client, first, (u: { id: string }) => {
      ids.add(u.id);
      return true;
    }).iterate();
    expect(ids.size).toBe(120);
    const tenants = await httpsCall(`${sut.baseUrl}/_emulator/tenants`, sut.caCertPem);
    expect(tenants.status).toBe(200);
    expect(tenants.text).toContain(tenant!.tenantId);
  });
});

/** msal's network hook on Node's fetch, trusting the emulator CA through an undici dispatcher. */
function fetchWithCa(
  dispatcher: Agent,
  url: string,
  method: string,
  headers?: Record<string, string>,
  body?: string,
): Promise<Response> {
  return fetch(url, { method, headers, body, dispatcher } as unknown as RequestInit);
}

async function toNetworkResponse<T>(
  res: Response,
): Promise<{ headers: Record<string, string>; body: T; status: number }> {
  return {
    headers: Object.fromEntries(res.headers.entries()),
    body: (await res.json()) as T,
    status: res.status,
  };
}
