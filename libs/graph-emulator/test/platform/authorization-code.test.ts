import { createIdentityRouter } from '../../src/identity/identity.router';
import { createHash, randomBytes } from 'node:crypto';
import type { RunningEmulator } from '../../src/server/start-emulator';
import { GLOBAL_ADMIN, type FakeWorld, TENANT_A, TENANT_B } from './fake-directory';
import { APP, startTestEmulator } from './harness';
import { decodeJwtPayload, httpsCall, type HttpResult } from './https-client';

const REDIRECT = 'http://localhost:3000/auth/callback';

describe(`${createIdentityRouter.name}: authorization code flow with PKCE`, () => {
  let sut: RunningEmulator<FakeWorld>;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  const authorizeQuery = (extra: Record<string, string> = {}) =>
    new URLSearchParams({
      client_id: APP.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid profile offline_access User.Read',
      state: 'st-123',
      nonce: 'n-456',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });

  /** Picks `userId` on the sign-in page, as the browser's form post does, and returns the redirect. */
  const signIn = (tenant: string, userId: string, extra: Record<string, string> = {}): Promise<HttpResult> =>
    httpsCall(`${sut.loginBaseUrl}/${tenant}/oauth2/v2.0/authorize`, sut.caCertPem, {
      form: { ...Object.fromEntries(authorizeQuery(extra)), emulator_user: userId },
    });

  const codeFrom = (res: HttpResult): string => {
    const location = new URL(String(res.headers['location']));
    return location.searchParams.get('code') ?? '';
  };

  const redeem = (code: string, extra: Record<string, string> = {}) =>
    httpsCall(`${sut.loginBaseUrl}/${TENANT_A.tenantId}/oauth2/v2.0/token`, sut.caCertPem, {
      form: {
        grant_type: 'authorization_code',
        client_id: APP.clientId,
        client_secret: APP.clientSecret ?? '',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        scope: 'openid profile offline_access User.Read',
        ...extra,
      },
    });

  beforeAll(async () => {
    sut = await startTestEmulator();
  });
  afterAll(async () => {
    await sut.stop();
  });
  beforeEach(() => sut.reset());

  it('shows a sign-in page that names the emulator and lists the tenant users', async () => {
    const res = await httpsCall(
      `${sut.loginBaseUrl}/${TENANT_A.tenantId}/oauth2/v2.0/authorize?${authorizeQuery().toString()}`,
      sut.caCertPem,
    );

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Microsoft identity platform emulator');
    expect(res.text).toContain(`admin@${TENANT_A.defaultDomain} · Global Administrator`);
    expect(res.text).toContain(`user@${TENANT_A.defaultDomain}`);
  });

  it('asks for the organization first on /organizations', async () => {
    const res = await httpsCall(
      `${sut.loginBaseUrl}/organizations/oauth2/v2.0/authorize?${authorizeQuery().toString()}`,
      sut.caCertPem,
    );

    expect(res.text).toContain('Pick an organization');
    expect(res.text).toContain(TENANT_A.tenantId);
    expect(res.text).toContain(TENANT_B.tenantId);
  });

  it('round-trips code + PKCE into id, access and refresh tokens with the documented claims', async () => {
    const admin = sut.world.allUsers(TENANT_A.tenantId)[0]!;

    const redirect = await signIn('organizations', admin.id, { emulator_tenant: TENANT_A.tenantId });

    expect(redirect.status).toBe(302);
    const location = new URL(String(redirect.headers['location']));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-123');
    const res = await redeem(codeFrom(redirect));
    expect(res.status).toBe(200);
    const body = res.json<{
      id_token: string;
      access_token: string;
      refresh_token: string;
      token_type: string;
    }>();
    expect(body.token_type).toBe('Bearer');
    expect(decodeJwtPayload(body.id_token)).toMatchObject({
      aud: APP.clientId,
      iss: `${sut.baseUrl}/${TENANT_A.tenantId}/v2.0`,
      tid: TENANT_A.tenantId,
      oid: admin.id,
      preferred_username: admin.userPrincipalName,
      name: admin.displayName,
      nonce: 'n-456',
      wids: [GLOBAL_ADMIN],
      ver: '2.0',
    });
    expect(decodeJwtPayload(body.access_token)).toMatchObject({
      aud: 'https://graph.microsoft.com',
      scp: 'User.Read openid profile',
      oid: admin.id,
      idtyp: 'user',
    });
    expect(body.refresh_token).toEqual(expect.any(String));
    expect(sut.world.signIns).toEqual([
      expect.objectContaining({
        tenantId: TENANT_A.tenantId,
        userId: admin.id,
        appId: APP.clientId,
        errorCode: 0,
      }),
    ]);
  });

  it('rejects a wrong code_verifier with invalid_grant', async () => {
    const code = codeFrom(await signIn(TENANT_A.tenantId, sut.world.allUsers(TENANT_A.tenantId)[1]!.id));

    const res = await redeem(code, { code_verifier: randomBytes(32).toString('base64url') });

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
  });

  it('redeems a code only once', async () => {
    const code = codeFrom(await signIn(TENANT_A.tenantId, sut.world.allUsers(TENANT_A.tenantId)[1]!.id));
    await redeem(code);

    const again = await redeem(code);

    expect(again.status).toBe(400);
    expect(again.json()).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });

  it('requires the same redirect_uri at redemption', async () => {
    const code = codeFrom(await signIn(TENANT_A.tenantId, sut.world.allUsers(TENANT_A.tenantId)[1]!.id));

    const res = await redeem(code, { redirect_uri: 'http://localhost:3000/other' });

    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('expires codes after ten minutes of emulator time', async () => {
    const code = codeFrom(await signIn(TENANT_A.tenantId, sut.world.allUsers(TENANT_A.tenantId)[1]!.id));
    sut.clock.advance(10 * 60 * 1000 + 1);

    const res = await redeem(code);

    expect(res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('exchanges a refresh token for new tokens, once', async () => {
    const code = codeFrom(await signIn(TENANT_A.tenantId, sut.world.allUsers(TENANT_A.tenantId)[1]!.id));
    const first = (await redeem(code)).json<{ refresh_token: string }>();
    const refresh = () =>
      httpsCall(`${sut.loginBaseUrl}/${TENANT_A.tenantId}/oauth2/v2.0/token`, sut.caCertPem, {
        form: {
          grant_type: 'refresh_token',
          client_id: APP.clientId,
          client_secret: APP.clientSecret ?? '',
          refresh_token: first.refresh_token,
          scope: 'openid profile offline_access User.Read',
        },
      });

    const res = await refresh();
    const reused = await refresh();

    expect(res.status).toBe(200);
    const body = res.json<{ access_token: string; refresh_token: string; id_token: string }>();
    expect(body.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwtPayload(body.id_token)).toMatchObject({ tid: TENANT_A.tenantId });
    expect(reused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('returns the code in a self-posting form for response_mode=form_post', async () => {
    const res = await signIn(TENANT_A.tenantId, sut.world.allUsers(TENANT_A.tenantId)[1]!.id, {
      response_mode: 'form_post',
    });

    expect(res.status).toBe(200);
    expect(res.text).toContain(`action="${REDIRECT}"`);
    expect(res.text).toMatch(/name="code" value="[^"]+"/);
    expect(res.text).toContain('name="state" value="st-123"');
  });

  it('shows an error page, not a redirect, for an unregistered redirect URI (AADSTS50011)', async () => {
    const res = await httpsCall(
      `${sut.loginBaseUrl}/${TENANT_A.tenantId}/oauth2/v2.0/authorize?${authorizeQuery({ redirect_uri: 'https://evil.example.com/cb' }).toString()}`,
      sut.caCertPem,
    );

    expect(res.status).toBe(400);
    expect(res.headers['location']).toBeUndefined();
    expect(res.text).toContain('AADSTS50011');
  });

  it('redirects protocol errors back with error and state', async () => {
    const res = await httpsCall(
      `${sut.loginBaseUrl}/${TENANT_A.tenantId}/oauth2/v2.0/authorize?${authorizeQuery({ response_type: 'token' }).toString()}`,
      sut.caCertPem,
    );

    const location = new URL(String(res.headers['location']));
    expect(location.searchParams.get('error')).toBe('unsupported_response_type');
    expect(location.searchParams.get('state')).toBe('st-123');
  });

  it('accepts any port for a registered localhost redirect URI', async () => {
    const res = await signIn(TENANT_A.tenantId, sut.world.allUsers(TENANT_A.tenantId)[1]!.id, {
      redirect_uri: 'http://localhost:4321/auth/callback',
    });

    expect(res.status).toBe(302);
    expect(String(res.headers['location'])).toMatch(/^http:\/\/localhost:4321\/auth\/callback\?code=/);
  });

  it('returns to a registered post-logout redirect URI with the state', async () => {
    const target = encodeURIComponent(REDIRECT);
    const res = await httpsCall(
      `${sut.loginBaseUrl}/${TENANT_A.tenantId}/oauth2/v2.0/logout?client_id=${APP.clientId}&post_logout_redirect_uri=${target}&state=bye`,
      sut.caCertPem,
    );

    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe(`${REDIRECT}?state=bye`);
  });
});
