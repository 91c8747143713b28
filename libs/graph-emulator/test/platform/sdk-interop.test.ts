import {
  ConfidentialClientApplication,
  CryptoProvider,
  ResponseMode,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { Client, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { request as httpsRequest } from 'node:https';
import { Agent } from 'undici';
import { startEmulator, type RunningEmulator } from '../../src/server/start-emulator';
import { type FakeWorld, TENANT_A } from './fake-directory';
import { APP, consentDirectly, startTestEmulator } from './harness';
import { decodeJwtPayload, httpsCall } from './https-client';

/**
 * The production libraries, configured as a product would for the real cloud: only the authority host differs,
 * and the emulator's CA is trusted through msal's standard `system.networkClient` hook.
 */
class CaTrustingNetworkClient implements INetworkModule {
  constructor(private readonly ca: string) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private send<T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method, headers: options?.headers ?? {}, ca: this.ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
          resolve({
            headers,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T,
            status: res.statusCode ?? 0,
          });
        });
      });
      req.on('error', reject);
      if (options?.body) req.write(options.body);
      req.end();
    });
  }
}

describe(`${startEmulator.name}: Microsoft SDKs against the emulator`, () => {
  let sut: RunningEmulator<FakeWorld>;

  beforeAll(async () => {
    sut = await startTestEmulator();
  });
  afterAll(async () => {
    await sut.stop();
  });
  beforeEach(() => sut.reset());

  const msal = () =>
    new ConfidentialClientApplication({
      auth: {
        clientId: APP.clientId,
        clientSecret: APP.clientSecret ?? '',
        authority: `${sut.loginBaseUrl}/${TENANT_A.tenantId}`,
        knownAuthorities: [new URL(sut.loginBaseUrl).host],
      },
      system: { networkClient: new CaTrustingNetworkClient(sut.caCertPem) },
    });

  it('lets @azure/msal-node acquire an app token by client credentials', async () => {
    consentDirectly(sut);

    const result = await msal().acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });

    expect(decodeJwtPayload(result?.accessToken ?? '')).toMatchObject({
      tid: TENANT_A.tenantId,
      appid: APP.clientId,
      roles: [...APP.requiredAppRoles].sort(),
    });
  });

  it('surfaces the before-consent error through msal-node', async () => {
    await expect(
      msal().acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }),
    ).rejects.toMatchObject({
      errorCode: 'unauthorized_client',
      errorMessage: expect.stringContaining('AADSTS700016'),
    });
  });

  it('lets @azure/msal-node sign a user in with the authorization code flow and PKCE on /organizations', async () => {
    const redirectUri = APP.redirectUris[0]!;
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: APP.clientId,
        clientSecret: APP.clientSecret ?? '',
        authority: `${sut.loginBaseUrl}/organizations`,
        knownAuthorities: [new URL(sut.loginBaseUrl).host],
      },
      system: { networkClient: new CaTrustingNetworkClient(sut.caCertPem) },
    });
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const admin = sut.world.allUsers(TENANT_A.tenantId)[0]!;

    const authUrl = await app.getAuthCodeUrl({
      scopes: ['openid', 'profile', 'offline_access'],
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state: 'state-1',
      nonce: 'nonce-1',
      responseMode: ResponseMode.QUERY,
    });
    const picker = await httpsCall(authUrl, sut.caCertPem);
    const query = Object.fromEntries(new URL(authUrl).searchParams);
    const redirect = await httpsCall(authUrl.split('?')[0]!, sut.caCertPem, {
      form: { ...query, emulator_tenant: TENANT_A.tenantId, emulator_user: admin.id },
    });
    const callback = new URL(String(redirect.headers['location']));
    const code = callback.searchParams.get('code') ?? '';
    const result = await app.acquireTokenByCode(
      {
        code,
        scopes: ['openid', 'profile', 'offline_access'],
        redirectUri,
        codeVerifier: verifier,
        nonce: 'nonce-1',
        state: 'state-1',
      },
      { code, state: callback.searchParams.get('state') ?? '' },
    );

    expect(picker.text).toContain('Pick an organization');
    expect(callback.searchParams.get('state')).toBe('state-1');
    expect(result.idTokenClaims).toMatchObject({
      tid: TENANT_A.tenantId,
      oid: admin.id,
      nonce: 'nonce-1',
      preferred_username: admin.userPrincipalName,
    });
    expect(result.account).toMatchObject({
      username: admin.userPrincipalName,
      homeAccountId: `${admin.id}.${TENANT_A.tenantId}`,
    });
    const userinfo = await httpsCall(`${sut.graphBaseUrl}/oidc/userinfo`, sut.caCertPem, {
      headers: { Authorization: `Bearer ${result.accessToken}` },
    });
    expect(userinfo.json()).toMatchObject({
      sub: (result.idTokenClaims as Record<string, unknown>)['sub'],
      name: admin.displayName,
    });
  });

  it('lets @microsoft/microsoft-graph-client page /v1.0/users through @odata.nextLink over HTTPS', async () => {
    consentDirectly(sut);
    const app = msal();
    const dispatcher = new Agent({ connect: { ca: sut.caCertPem } });
    const client = Client.init({
      authProvider: (done) => {
        app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }).then(
          (r) => done(null, r?.accessToken ?? null),
          (err: Error) => done(err, null),
        );
      },
      baseUrl: sut.graphBaseUrl,
      customHosts: new Set([new URL(sut.graphBaseUrl).hostname]),
      // undici 7's Agent serves Node's global fetch; its types differ from the bundled undici-types only nominally.
      fetchOptions: { dispatcher: dispatcher as unknown as RequestInit['dispatcher'] },
    });
    const ids: string[] = [];

    const first = (await client.api('/users').get()) as PageCollection;
    await new PageIterator(client, first, (user: { id: string }) => {
      ids.push(user.id);
      return true;
    }).iterate();

    expect(ids).toEqual(sut.world.allUsers(TENANT_A.tenantId).map((u) => u.id));
    await dispatcher.close();
  });
});
