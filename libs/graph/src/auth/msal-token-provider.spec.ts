import {
  AuthenticationResult,
  ClientCredentialRequest,
  Configuration,
  INetworkModule,
  NetworkResponse,
  ServerError,
} from '@azure/msal-node';
import { ManualClock, settle } from '../../test/support/manual-clock';
import { GraphAuthenticationError } from '../errors';
import { ClientCertificateCredential } from '../options';
import { ClientCredentialApp, MsalAccessTokenProvider } from './msal-token-provider';

const TENANT = '11111111-2222-4333-8444-555555555555';

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

class FakeApp implements ClientCredentialApp {
  readonly requests: ClientCredentialRequest[] = [];
  private readonly pending: Array<(result: AuthenticationResult) => void> = [];
  failure: Error | undefined;

  constructor(private readonly clock: ManualClock) {}

  acquireTokenByClientCredential(request: ClientCredentialRequest): Promise<AuthenticationResult | null> {
    this.requests.push(request);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve) => this.pending.push(resolve));
  }

  /** Answers the oldest pending request with a token valid for `lifetimeSeconds`. */
  issue(lifetimeSeconds: number, roles: string[] = ['User.Read.All']): string {
    const token = jwt({
      roles,
      exp: Math.floor(this.clock.now() / 1000) + lifetimeSeconds,
      n: this.requests.length,
    });
    this.pending.shift()!({ accessToken: token } as AuthenticationResult);
    return token;
  }
}

function build(credentialOverride?: ClientCertificateCredential) {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const app = new FakeApp(clock);
  const configurations: Configuration[] = [];
  const logger = { debug: jest.fn(), warn: jest.fn() };
  const sut = new MsalAccessTokenProvider({
    clientId: 'client-id',
    credential: credentialOverride ?? { kind: 'secret', clientSecret: 'very-secret-value' },
    loginBaseUrl: 'https://login.example.test:8443',
    scope: 'https://graph.microsoft.com/.default',
    networkClient: { sendGetRequestAsync: jest.fn(), sendPostRequestAsync: jest.fn() },
    clock,
    refreshMarginMs: 300_000,
    logger,
    createApp: (configuration) => {
      configurations.push(configuration);
      return app;
    },
  });
  return { sut, app, clock, configurations, logger };
}

describe(MsalAccessTokenProvider.name, () => {
  it('configures msal for the tenant authority, trusting the configured login host', async () => {
    const { sut, app, configurations } = build();
    const pending = sut.getAccessToken(TENANT);
    await settle();
    app.issue(3600);
    await pending;
    expect(configurations).toHaveLength(1);
    expect(configurations[0]!.auth).toMatchObject({
      clientId: 'client-id',
      authority: `https://login.example.test:8443/${TENANT}`,
      knownAuthorities: ['https://login.example.test:8443'],
      clientSecret: 'very-secret-value',
    });
    expect(configurations[0]!.system?.loggerOptions?.piiLoggingEnabled).toBe(false);
    expect(app.requests[0]).toEqual({ scopes: ['https://graph.microsoft.com/.default'], skipCache: true });
  });

  it('passes a certificate credential instead of a secret', async () => {
    const { sut, app, configurations } = build({
      kind: 'certificate',
      thumbprintSha256: 'a'.repeat(64),
      privateKey: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----',
      x5c: '-----BEGIN CERTIFICATE-----\ny\n-----END CERTIFICATE-----',
    });
    const pending = sut.getAccessToken(TENANT);
    await settle();
    app.issue(3600);
    await pending;
    expect(configurations[0]!.auth.clientSecret).toBeUndefined();
    expect(configurations[0]!.auth.clientCertificate).toEqual({
      thumbprintSha256: 'a'.repeat(64),
      privateKey: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----',
      x5c: '-----BEGIN CERTIFICATE-----\ny\n-----END CERTIFICATE-----',
    });
  });

  it('shares one in-flight request between concurrent callers and reuses the token', async () => {
    const { sut, app } = build();
    const callers = [sut.getAccessToken(TENANT), sut.getAccessToken(TENANT), sut.getAccessToken(TENANT)];
    await settle();
    const token = app.issue(3600);
    await expect(Promise.all(callers)).resolves.toEqual([token, token, token]);
    await expect(sut.getAccessToken(TENANT)).resolves.toBe(token);
    expect(app.requests).toHaveLength(1);
  });

  it('refreshes the token before it expires', async () => {
    const { sut, app, clock } = build();
    const first = sut.getAccessToken(TENANT);
    await settle();
    const firstToken = app.issue(3600);
    await first;
    await clock.advance(3600_000 - 300_000 - 1);
    await expect(sut.getAccessToken(TENANT)).resolves.toBe(firstToken);
    await clock.advance(1);
    const second = sut.getAccessToken(TENANT);
    await settle();
    const secondToken = app.issue(3600);
    await expect(second).resolves.toBe(secondToken);
    expect(app.requests).toHaveLength(2);
  });

  it('keeps short-lived tokens for half their lifetime', async () => {
    const { sut, app, clock } = build();
    const first = sut.getAccessToken(TENANT);
    await settle();
    const token = app.issue(120);
    await first;
    await clock.advance(59_000);
    await expect(sut.getAccessToken(TENANT)).resolves.toBe(token);
    expect(app.requests).toHaveLength(1);
  });

  it('reads granted app roles from a fresh token', async () => {
    const { sut, app } = build();
    const first = sut.getAccessToken(TENANT);
    await settle();
    app.issue(3600, []);
    await first;
    const roles = sut.getGrantedAppRoles(TENANT);
    await settle();
    app.issue(3600, ['User.Read.All', 'Group.Read.All']);
    await expect(roles).resolves.toEqual(['User.Read.All', 'Group.Read.All']);
    expect(app.requests).toHaveLength(2);
  });

  it('fetches a new token after invalidation', async () => {
    const { sut, app } = build();
    const first = sut.getAccessToken(TENANT);
    await settle();
    app.issue(3600);
    await first;
    sut.invalidate(TENANT);
    const second = sut.getAccessToken(TENANT);
    await settle();
    app.issue(3600);
    await second;
    expect(app.requests).toHaveLength(2);
  });

  it('wraps identity platform errors without leaking the secret', async () => {
    const { sut, app } = build();
    app.failure = new ServerError(
      'invalid_client',
      'correlation-id',
      'AADSTS7000215: Invalid client secret provided.',
    );
    const error = (await sut
      .getAccessToken(TENANT)
      .catch((caught: unknown) => caught)) as GraphAuthenticationError;
    expect(error).toBeInstanceOf(GraphAuthenticationError);
    expect(error).toMatchObject({ tenantId: TENANT, code: 'invalid_client', transient: false });
    expect(error.message).toContain('AADSTS7000215');
    expect(error.message).not.toContain('very-secret-value');
  });

  it('marks network failures of the token endpoint as transient', async () => {
    const { sut, app } = build();
    app.failure = new TypeError('fetch failed', {
      cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
    });
    await expect(sut.getAccessToken(TENANT)).rejects.toMatchObject({ transient: true });
  });
});

describe(`${MsalAccessTokenProvider.name} with msal-node`, () => {
  /** msal's network port answered in memory: records every URL msal asks for. */
  function recordingNetwork(loginOrigin: string) {
    const calls: string[] = [];
    const now = Math.floor(Date.now() / 1000);
    const network: INetworkModule = {
      sendGetRequestAsync: <T>(url: string): Promise<NetworkResponse<T>> => {
        calls.push(`GET ${url.split('?')[0]}`);
        const base = url.split('/v2.0/')[0]!;
        return Promise.resolve({
          status: 200,
          headers: {},
          body: {
            issuer: `${base}/v2.0`,
            token_endpoint: `${base}/oauth2/v2.0/token`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            jwks_uri: `${loginOrigin}/discovery/v2.0/keys`,
          } as T,
        });
      },
      sendPostRequestAsync: <T>(url: string): Promise<NetworkResponse<T>> => {
        calls.push(`POST ${url.split('?')[0]}`);
        return Promise.resolve({
          status: 200,
          headers: {},
          body: {
            token_type: 'Bearer',
            expires_in: 3599,
            access_token: jwt({ roles: ['Device.Read.All'], exp: now + 3599 }),
          } as T,
        });
      },
    };
    return { calls, network };
  }

  function provider(loginBaseUrl: string, network: INetworkModule) {
    return new MsalAccessTokenProvider({
      clientId: 'client-id',
      credential: { kind: 'secret', clientSecret: 'secret' },
      loginBaseUrl,
      scope: 'https://graph.microsoft.com/.default',
      networkClient: network,
      clock: new ManualClock(Date.now()),
      refreshMarginMs: 300_000,
      logger: { debug: jest.fn(), warn: jest.fn() },
    });
  }

  it('uses the public cloud without any discovery call', async () => {
    const { calls, network } = recordingNetwork('https://login.microsoftonline.com');
    const sut = provider('https://login.microsoftonline.com', network);
    await expect(sut.getGrantedAppRoles(TENANT)).resolves.toEqual(['Device.Read.All']);
    expect(calls).toEqual([`POST https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`]);
  });

  it('reads the OpenID configuration of another authority from that authority only', async () => {
    const { calls, network } = recordingNetwork('https://login.example.test:8443');
    const sut = provider('https://login.example.test:8443', network);
    await expect(sut.getAccessToken(TENANT)).resolves.toContain('.');
    expect(calls).toEqual([
      `GET https://login.example.test:8443/${TENANT}/v2.0/.well-known/openid-configuration`,
      `POST https://login.example.test:8443/${TENANT}/oauth2/v2.0/token`,
    ]);
  });
});
