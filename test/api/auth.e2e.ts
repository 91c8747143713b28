import { CSRF_HEADER, errorBodySchema, sessionSchema } from '@entra-backup/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SIGN_IN_STARTS_PER_WINDOW } from '../../apps/api/src/modules/auth/sign-in-start-limiter';
import { type EmulatorTestApp, pickAccount, signIn, startAppWithEmulator } from './support/emulator-app';

jest.setTimeout(60_000);

describe('Sign in with Microsoft 365 (e2e)', () => {
  let env: EmulatorTestApp;

  beforeAll(async () => {
    env = await startAppWithEmulator();
  });

  afterAll(async () => {
    await env.close();
  });

  it('answers a signed-out session probe without a CSRF token', async () => {
    const res = await request(env.http).get('/api/auth/session').expect(200);
    expect(sessionSchema.parse(res.body)).toEqual({ authenticated: false, demoMode: false, csrfToken: null });
  });

  it('redirects to the organizations authorize endpoint with PKCE, state and nonce', async () => {
    const res = await request(env.http).get('/api/auth/login').expect(302);
    const location = new URL(String(res.headers['location']));
    expect(`${location.origin}${location.pathname}`).toBe(
      `${env.emulator.loginBaseUrl}/organizations/oauth2/v2.0/authorize`,
    );
    expect(location.searchParams.get('client_id')).toBe('3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f');
    expect(location.searchParams.get('response_type')).toBe('code');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('nonce')).toBeTruthy();
    expect(location.searchParams.get('redirect_uri')).toBe('http://localhost:3000/api/auth/callback');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/entra_backup_sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('signs a Global Administrator in, registers the tenant and returns where the user started', async () => {
    const { agent, csrfToken, landedOn } = await signIn(env, env.admin, { returnTo: '/settings' });

    expect(landedOn).toBe('/settings');
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const session = sessionSchema.parse((await agent.get('/api/auth/session').expect(200)).body);
    expect(session).toMatchObject({
      authenticated: true,
      demoMode: false,
      user: {
        upn: env.admin.upn,
        tenantId: env.tenantId,
        objectId: env.admin.id,
        roles: ['Global Administrator'],
        hasAccess: true,
      },
    });
    const tenant = await agent.get(`/api/tenants/${env.tenantId}`).expect(200);
    expect(tenant.body).toMatchObject({ tenantId: env.tenantId });
  });

  it('refuses a user without an admin role: no-access page, 403 NO_ACCESS on the API', async () => {
    const { agent, landedOn } = await signIn(env, env.member);

    expect(landedOn).toBe('/no-access');
    const session = sessionSchema.parse((await agent.get('/api/auth/session').expect(200)).body);
    expect(session.user).toMatchObject({ upn: env.member.upn, roles: [], hasAccess: false });
    const res = await agent.get(`/api/tenants/${env.tenantId}/settings`).expect(403);
    expect(errorBodySchema.parse(res.body).code).toBe('NO_ACCESS');
  });

  it('answers 401 AUTHENTICATION_REQUIRED to API calls without a session', async () => {
    const res = await request(env.http).get('/api/tenants').expect(401);
    expect(errorBodySchema.parse(res.body).code).toBe('AUTHENTICATION_REQUIRED');
    await request(env.http).get('/api/health').expect(200);
  });

  it('refuses a callback whose state does not belong to the session', async () => {
    const agent = request.agent(env.http);
    const login = await agent.get('/api/auth/login').expect(302);
    const callbackUrl = new URL(
      await pickAccount(env, String(login.headers['location']), env.tenantId, env.admin),
    );
    callbackUrl.searchParams.set('state', 'forged-state');

    const res = await agent.get(`${callbackUrl.pathname}${callbackUrl.search}`).expect(302);

    expect(String(res.headers['location'])).toMatch(/^\/\?signInError=.*does%20not%20belong/);
    const session = sessionSchema.parse((await agent.get('/api/auth/session').expect(200)).body);
    expect(session.authenticated).toBe(false);
  });

  it('refuses a replayed callback (the pending sign-in is single-use)', async () => {
    const agent = request.agent(env.http);
    const login = await agent.get('/api/auth/login').expect(302);
    const callbackUrl = new URL(
      await pickAccount(env, String(login.headers['location']), env.tenantId, env.admin),
    );
    const path = `${callbackUrl.pathname}${callbackUrl.search}`;
    await agent.get(path).expect(302, /./);

    const replay = await request(env.http).get(path).expect(302);

    expect(String(replay.headers['location'])).toMatch(/signInError=/);
  });

  it('reports an identity-platform error in plain words', async () => {
    const agent = request.agent(env.http);
    const login = await agent.get('/api/auth/login').expect(302);
    const state = new URL(String(login.headers['location'])).searchParams.get('state') ?? '';
    const res = await agent
      .get('/api/auth/callback')
      .query({
        error: 'access_denied',
        error_description: 'AADSTS65004: User declined to consent to access the app.\r\nTrace ID: x',
        state,
      })
      .expect(302);
    expect(decodeURIComponent(String(res.headers['location']))).toBe(
      '/?signInError=User declined to consent to access the app. (AADSTS65004)',
    );
  });

  it('completes a sign-in started at 127.0.0.1 when the public URL says localhost (same port)', async () => {
    // A browser keeps one cookie jar per host name: what 127.0.0.1 set is not sent to localhost.
    const jars = new Map<string, ReturnType<typeof request.agent>>();
    const browserGet = (url: string) => {
      const { host, pathname, search } = new URL(url);
      if (!jars.has(host)) jars.set(host, request.agent(env.http));
      return jars.get(host)!.get(`${pathname}${search}`).set('host', host);
    };

    let response = await browserGet('http://127.0.0.1:3000/api/auth/login?returnTo=%2Fsettings').expect(302);
    let location = String(response.headers['location']);
    while (!location.startsWith(env.emulator.loginBaseUrl)) {
      // Our own redirects (to the public URL) are followed as the browser follows them.
      response = await browserGet(new URL(location, 'http://127.0.0.1:3000').href).expect(302);
      location = String(response.headers['location']);
    }
    const callback = await pickAccount(env, location, env.tenantId, env.admin);
    expect(new URL(callback).host).toBe('localhost:3000');
    const landed = await browserGet(callback).expect(302);

    expect(String(landed.headers['location'])).toBe('/settings');
    const session = sessionSchema.parse(
      (await browserGet('http://localhost:3000/api/auth/session').expect(200)).body,
    );
    expect(session).toMatchObject({ authenticated: true, user: { upn: env.admin.upn } });
  });

  it('still refuses a callback in a browser that did not start the sign-in', async () => {
    const starter = request.agent(env.http);
    const login = await starter.get('/api/auth/login').set('host', 'localhost:3000').expect(302);
    const callback = new URL(
      await pickAccount(env, String(login.headers['location']), env.tenantId, env.admin),
    );

    const other = await request
      .agent(env.http)
      .get(`${callback.pathname}${callback.search}`)
      .set('host', 'localhost:3000')
      .expect(302);

    expect(String(other.headers['location'])).toMatch(/signInError=.*not%20started%20here/);
  });

  it('does not redirect a request that reached the service under another name than a loopback alias', async () => {
    const res = await request(env.http)
      .get('/api/auth/login')
      .set('host', 'backup.internal:3000')
      .expect(302);
    expect(String(res.headers['location'])).toMatch(new RegExp(`^${env.emulator.loginBaseUrl}`));
  });

  it("answers Microsoft's answer sent to the login route with 400 and keeps the sign-in in progress", async () => {
    const agent = request.agent(env.http);
    const login = await agent.get('/api/auth/login?returnTo=%2Fsettings').expect(302);

    const misrouted = await agent.get('/api/auth/login?code=x&state=y').expect(400);

    expect(errorBodySchema.parse(misrouted.body)).toMatchObject({
      code: 'SIGN_IN_FAILED',
      message: expect.stringContaining('/api/auth/callback') as unknown,
    });
    const callback = new URL(
      await pickAccount(env, String(login.headers['location']), env.tenantId, env.admin),
    );
    const landed = await agent.get(`${callback.pathname}${callback.search}`).expect(302);
    expect(String(landed.headers['location'])).toBe('/settings');
  });

  it('requires the CSRF header to sign out, then ends the session', async () => {
    const { agent, csrfToken } = await signIn(env, env.admin);

    const refused = await agent.post('/api/auth/logout').expect(403);
    expect(errorBodySchema.parse(refused.body).code).toBe('CSRF_TOKEN_INVALID');
    await agent.post('/api/auth/logout').set(CSRF_HEADER, 'wrong').expect(403);
    await agent.post('/api/auth/logout').set(CSRF_HEADER, csrfToken).expect(204);

    const session = sessionSchema.parse((await agent.get('/api/auth/session').expect(200)).body);
    expect(session.authenticated).toBe(false);
    await agent.get(`/api/tenants/${env.tenantId}`).expect(401);
  });
});

describe('Sign-in starts (e2e)', () => {
  let env: EmulatorTestApp;

  beforeAll(async () => {
    env = await startAppWithEmulator();
  });

  afterAll(async () => {
    await env.close();
  });

  const sessionRows = () =>
    env.app.get(DataSource).query<Array<{ expires_at: string }>>('SELECT "expires_at" FROM "auth_session"');

  it("keeps a sign-in that has not come back from Microsoft for 10 minutes, not for a session's 8 hours", async () => {
    const before = Date.now();
    await request(env.http).get('/api/auth/login').expect(302);

    const rows = await sessionRows();
    expect(rows).toHaveLength(1);
    const expiresIn = new Date(rows[0]!.expires_at).getTime() - before;
    expect(expiresIn).toBeGreaterThan(9 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(10 * 60_000 + 5_000);
  });

  it('limits the sign-ins one address starts, with 429, Retry-After and the error body', async () => {
    const started = (await sessionRows()).length;
    for (let i = started; i < SIGN_IN_STARTS_PER_WINDOW; i++) {
      await request(env.http).get('/api/auth/login').expect(302);
    }

    const refused = await request(env.http).get('/api/auth/login').expect(429);

    expect(errorBodySchema.parse(refused.body).code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await sessionRows()).toHaveLength(SIGN_IN_STARTS_PER_WINDOW);
  });
});

describe('Session cookie outside localhost (e2e)', () => {
  let env: EmulatorTestApp;

  beforeAll(async () => {
    env = await startAppWithEmulator({ ENTRA_BACKUP_PUBLIC_URL: 'https://backup.contoso.com' });
  });

  afterAll(async () => {
    await env.close();
  });

  it('is Secure behind a TLS-terminating proxy and never sent over plain http', async () => {
    const proxied = await request(env.http)
      .get('/api/auth/login')
      .set('x-forwarded-proto', 'https')
      .expect(302);
    expect(String(proxied.headers['set-cookie'])).toMatch(/entra_backup_sid=.*; Secure/i);
    expect(new URL(String(proxied.headers['location'])).searchParams.get('redirect_uri')).toBe(
      'https://backup.contoso.com/api/auth/callback',
    );

    const plain = await request(env.http).get('/api/auth/login').expect(302);
    expect(plain.headers['set-cookie']).toBeUndefined();
  });
});
