import {
  consentStatusSchema,
  CSRF_HEADER,
  errorBodySchema,
  settingsStatusSchema,
} from '@entra-backup/common';
import { DataSource } from 'typeorm';
import {
  type EmulatorTestApp,
  pickAccount,
  type SignedIn,
  signIn,
  startAppWithEmulator,
} from './support/emulator-app';

jest.setTimeout(60_000);

describe('Admin consent and settings gating (e2e)', () => {
  let env: EmulatorTestApp;

  beforeEach(async () => {
    env = await startAppWithEmulator();
  });

  afterEach(async () => {
    await env.close();
  });

  async function startConsent(session: SignedIn): Promise<string> {
    const res = await session.agent
      .post(`/api/tenants/${env.tenantId}/consent/start`)
      .set(CSRF_HEADER, session.csrfToken)
      .expect(200);
    return String(res.body.redirectUrl);
  }

  /** The admin accepts (or cancels) on Microsoft's consent page; returns our callback path. */
  async function consentPage(redirectUrl: string, decision: 'accept' | 'cancel'): Promise<string> {
    const callback = new URL(
      await pickAccount(env, redirectUrl, env.tenantId, env.admin, { emulator_decision: decision }),
    );
    return `${callback.pathname}${callback.search}`;
  }

  it('grants consent: verified app token roles recorded, toggles allowed afterwards', async () => {
    const admin = await signIn(env, env.admin);
    const before = settingsStatusSchema.parse(
      (await admin.agent.get(`/api/tenants/${env.tenantId}/settings`).expect(200)).body,
    );
    expect(before.consentGranted).toBe(false);
    const refused = await admin.agent
      .put(`/api/tenants/${env.tenantId}/settings`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ enabledTypes: { users: true } })
      .expect(409);
    expect(errorBodySchema.parse(refused.body).code).toBe('CONSENT_REQUIRED');

    const redirectUrl = await startConsent(admin);
    const url = new URL(redirectUrl);
    expect(`${url.origin}${url.pathname}`).toBe(
      `${env.emulator.loginBaseUrl}/${env.tenantId}/v2.0/adminconsent`,
    );
    expect(url.searchParams.get('scope')).toBe('https://graph.microsoft.com/.default');
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:3000/api/consent/callback');
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const done = await admin.agent.get(await consentPage(redirectUrl, 'accept')).expect(302);
    expect(done.headers['location']).toBe(`/settings/${env.tenantId}?consent=granted`);

    const status = consentStatusSchema.parse(
      (await admin.agent.get(`/api/tenants/${env.tenantId}/consent`).expect(200)).body,
    );
    expect(status).toMatchObject({ granted: true, grantedBy: env.admin.upn, missing: [] });
    expect(status.readPermissions).toContainEqual({ permission: 'User.Read.All', granted: true });
    // Registered under the admin's domain at sign-in, named after the organization once consented.
    const tenant = await admin.agent.get(`/api/tenants/${env.tenantId}`).expect(200);
    expect(tenant.body.displayName).toBe(env.emulator.world.getTenant(env.tenantId)?.displayName);
    const saved = settingsStatusSchema.parse(
      (
        await admin.agent
          .put(`/api/tenants/${env.tenantId}/settings`)
          .set(CSRF_HEADER, admin.csrfToken)
          .send({ enabledTypes: { users: true, groups: true, signInLogs: true } })
          .expect(200)
      ).body,
    );
    expect(saved.consentGranted).toBe(true);
    expect(saved.types.users).toEqual({
      enabled: true,
      permissionsGranted: true,
      requiredPermissions: ['User.Read.All'],
      // The users' directory extension values need the lookup of the tenant's extensions, their
      // authentication methods a permission of their own (the emulated Microsoft Graph grants both).
      collections: [
        {
          collection: 'directoryExtensionValues',
          permissions: [{ permission: 'Directory.Read.All', granted: true }],
          granted: true,
        },
        {
          collection: 'authenticationMethods',
          granted: true,
          permissions: [{ permission: 'UserAuthenticationMethod.Read.All', granted: true }],
        },
      ],
    });
    expect(saved.enabledTypes).toMatchObject({ users: true, groups: true, signInLogs: true, devices: false });
  });

  it('names the tenant at the next sign-in when the organization could not be read right after consent', async () => {
    const admin = await signIn(env, env.admin);
    const domain = env.admin.upn.split('@').pop();
    expect((await admin.agent.get(`/api/tenants/${env.tenantId}`).expect(200)).body.displayName).toBe(domain);
    // Directory reads can lag a fresh consent: the first /organization read is refused.
    env.emulator.faults.configure({
      rules: [{ path: '/organization', nth: 1, times: 1, status: 403, code: 'Authorization_RequestDenied' }],
    });
    await admin.agent.get(await consentPage(await startConsent(admin), 'accept')).expect(302);
    expect((await admin.agent.get(`/api/tenants/${env.tenantId}`).expect(200)).body.displayName).toBe(domain);

    const again = await signIn(env, env.admin);
    const tenant = await again.agent.get(`/api/tenants/${env.tenantId}`).expect(200);
    expect(tenant.body.displayName).toBe(env.emulator.world.getTenant(env.tenantId)?.displayName);
    expect(tenant.body.displayName).not.toBe(domain);
  });

  it('reports a declined consent in plain words and records nothing', async () => {
    const admin = await signIn(env, env.admin);
    const res = await admin.agent.get(await consentPage(await startConsent(admin), 'cancel')).expect(302);

    const location = new URL(String(res.headers['location']), 'http://portal');
    expect(location.pathname).toBe(`/settings/${env.tenantId}`);
    expect(location.searchParams.get('consent')).toBe('failed');
    expect(location.searchParams.get('consentError')).toMatch(
      /^User declined to consent to access the app\..*\(AADSTS65004\)$/,
    );
    const status = consentStatusSchema.parse(
      (await admin.agent.get(`/api/tenants/${env.tenantId}/consent`).expect(200)).body,
    );
    expect(status.granted).toBe(false);
  });

  it('rejects a missing, forged, replayed, expired or foreign state with 400 CONSENT_STATE_INVALID', async () => {
    const admin = await signIn(env, env.admin);
    const expectInvalid = async (session: SignedIn, path: string, reason: RegExp) => {
      const res = await session.agent.get(path).set('accept', 'application/json').expect(400);
      const body = errorBodySchema.parse(res.body);
      expect(body.code).toBe('CONSENT_STATE_INVALID');
      expect(body.message).toMatch(reason);
    };

    await expectInvalid(admin, `/api/consent/callback?admin_consent=True&tenant=${env.tenantId}`, /missing/);
    await expectInvalid(
      admin,
      `/api/consent/callback?admin_consent=True&tenant=${env.tenantId}&state=forged`,
      /not issued/,
    );

    const path = await consentPage(await startConsent(admin), 'accept');
    await admin.agent.get(path).expect(302);
    await expectInvalid(admin, path, /already used/);

    const expiredPath = await consentPage(await startConsent(admin), 'accept');
    await env.app
      .get(DataSource)
      .query(`UPDATE "consent_state" SET "expires_at" = ? WHERE "used_at" IS NULL`, [
        new Date(Date.now() - 1000).toISOString(),
      ]);
    await expectInvalid(admin, expiredPath, /expired/);

    const foreignPath = await consentPage(await startConsent(admin), 'accept');
    const otherSession = await signIn(env, env.admin);
    await expectInvalid(otherSession, foreignPath, /another sign-in session/);

    const page = await admin.agent
      .get('/api/consent/callback?state=forged')
      .set('accept', 'text/html')
      .expect(400);
    expect(page.text).toContain('Admin consent was not accepted');
  });

  it('never trusts the callback tenant parameter: the grant is verified for the session tenant', async () => {
    const admin = await signIn(env, env.admin);
    const path = await consentPage(await startConsent(admin), 'accept');
    const forged = path.replace(`tenant=${env.tenantId}`, `tenant=${env.otherTenantId}`);

    await admin.agent.get(forged).expect(302);

    const own = consentStatusSchema.parse(
      (await admin.agent.get(`/api/tenants/${env.tenantId}/consent`).expect(200)).body,
    );
    expect(own.granted).toBe(true);
    const other = await signIn(env, env.otherAdmin, { tenantId: env.otherTenantId });
    const theirs = consentStatusSchema.parse(
      (await other.agent.get(`/api/tenants/${env.otherTenantId}/consent`).expect(200)).body,
    );
    expect(theirs.granted).toBe(false);
  });
});
