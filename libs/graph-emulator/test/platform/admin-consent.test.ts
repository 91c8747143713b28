import { createIdentityRouter } from '../../src/identity/identity.router';
import type { RunningEmulator } from '../../src/server/start-emulator';
import { type FakeWorld, TENANT_A, TENANT_B } from './fake-directory';
import { APP, startTestEmulator } from './harness';
import { decodeJwtPayload, httpsCall } from './https-client';

const REDIRECT = 'https://app.example.com/consent/callback';
const SCOPE = 'https://graph.microsoft.com/.default';

describe(`${createIdentityRouter.name}: v2.0 admin consent endpoint`, () => {
  let sut: RunningEmulator<FakeWorld>;
  const consentUrl = (tenant: string) => `${sut.loginBaseUrl}/${tenant}/v2.0/adminconsent`;
  const query = { client_id: APP.clientId, scope: SCOPE, redirect_uri: REDIRECT, state: 'xyz' };
  const post = (tenant: string, fields: Record<string, string>) =>
    httpsCall(consentUrl(tenant), sut.caCertPem, { form: { ...query, ...fields } });
  const admin = () => sut.world.allUsers(TENANT_A.tenantId)[0]!;
  const member = () => sut.world.allUsers(TENANT_A.tenantId)[1]!;
  const redirectParams = (location: unknown) => {
    const url = new URL(String(location));
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    return Object.fromEntries(url.searchParams);
  };

  beforeAll(async () => {
    sut = await startTestEmulator();
  });
  afterAll(async () => {
    await sut.stop();
  });
  beforeEach(() => sut.reset());

  it('shows the requested application permissions to a Global Administrator', async () => {
    const res = await post(TENANT_A.tenantId, { emulator_user: admin().id });

    expect(res.status).toBe(200);
    expect(res.text).toContain('Permissions requested');
    for (const role of APP.requiredAppRoles) expect(res.text).toContain(role);
  });

  it('redirects with admin_consent=True, tenant, scope and state on acceptance and grants the roles', async () => {
    const res = await post(TENANT_A.tenantId, { emulator_user: admin().id, emulator_decision: 'accept' });

    expect(res.status).toBe(302);
    expect(redirectParams(res.headers['location'])).toEqual({
      admin_consent: 'True',
      tenant: TENANT_A.tenantId,
      scope: SCOPE,
      state: 'xyz',
    });
    expect(sut.world.grantedAppRoles(TENANT_A.tenantId, APP.clientId)).toEqual(APP.requiredAppRoles);
    expect(sut.consents.list()).toEqual([
      expect.objectContaining({
        tenantId: TENANT_A.tenantId,
        clientId: APP.clientId,
        appRoles: APP.requiredAppRoles,
        consentedBy: { id: admin().id, userPrincipalName: admin().userPrincipalName },
      }),
    ]);
    expect(sut.world.audits).toEqual([
      expect.objectContaining({ tenantId: TENANT_A.tenantId, activityDisplayName: 'Consent to application' }),
    ]);
  });

  it('lets client credentials succeed after consent with roles equal to the consented set', async () => {
    await post(TENANT_A.tenantId, { emulator_user: admin().id, emulator_decision: 'accept' });

    const res = await httpsCall(`${sut.loginBaseUrl}/${TENANT_A.tenantId}/oauth2/v2.0/token`, sut.caCertPem, {
      form: {
        grant_type: 'client_credentials',
        client_id: APP.clientId,
        client_secret: APP.clientSecret ?? '',
        scope: SCOPE,
      },
    });

    expect(res.status).toBe(200);
    expect(decodeJwtPayload(res.json<{ access_token: string }>().access_token)['roles']).toEqual(
      [...APP.requiredAppRoles].sort(),
    );
  });

  it('redirects with admin_consent=True and error=consent_required (AADSTS65004) when the admin cancels', async () => {
    const res = await post(TENANT_A.tenantId, { emulator_user: admin().id, emulator_decision: 'cancel' });

    const params = redirectParams(res.headers['location']);
    expect(params).toEqual({
      admin_consent: 'True',
      error: 'consent_required',
      error_description: expect.stringMatching(
        /^AADSTS65004: User declined to consent to access the app\.\r\nTrace ID: /,
      ),
      state: 'xyz',
    });
    expect(sut.world.grantedAppRoles(TENANT_A.tenantId, APP.clientId)).toEqual([]);
  });

  it('does not let a user without Global Administrator consent', async () => {
    const page = await post(TENANT_A.tenantId, { emulator_user: member().id, emulator_decision: 'accept' });

    expect(page.status).toBe(200);
    expect(page.text).toContain('Need admin approval');
    expect(page.text).not.toContain('name="emulator_decision" value="accept"');
    expect(sut.world.grantedAppRoles(TENANT_A.tenantId, APP.clientId)).toEqual([]);
  });

  it('sends a non-admin who returns to the app back with the error', async () => {
    const res = await post(TENANT_A.tenantId, { emulator_user: member().id, emulator_decision: 'return' });

    expect(redirectParams(res.headers['location'])).toEqual({
      admin_consent: 'True',
      error: 'access_denied',
      error_description: expect.stringMatching(/^AADSTS90094: /),
      state: 'xyz',
    });
  });

  it('offers the organization picker on /organizations and consents in the picked tenant only', async () => {
    const picker = await httpsCall(
      `${consentUrl('organizations')}?${new URLSearchParams(query).toString()}`,
      sut.caCertPem,
    );
    const adminB = sut.world.allUsers(TENANT_B.tenantId)[0]!;

    const res = await post('organizations', {
      emulator_tenant: TENANT_B.tenantId,
      emulator_user: adminB.id,
      emulator_decision: 'accept',
    });

    expect(picker.text).toContain('Pick an organization');
    expect(redirectParams(res.headers['location'])).toMatchObject({
      admin_consent: 'True',
      tenant: TENANT_B.tenantId,
    });
    expect(sut.world.grantedAppRoles(TENANT_B.tenantId, APP.clientId)).toEqual(APP.requiredAppRoles);
    expect(sut.world.grantedAppRoles(TENANT_A.tenantId, APP.clientId)).toEqual([]);
  });

  it('requires scope on the v2.0 endpoint', async () => {
    const res = await httpsCall(
      `${consentUrl(TENANT_A.tenantId)}?client_id=${APP.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s`,
      sut.caCertPem,
    );

    expect(redirectParams(res.headers['location'])).toMatchObject({
      admin_consent: 'True',
      error: 'invalid_request',
      state: 's',
    });
  });

  it('never redirects to an unregistered redirect URI', async () => {
    const res = await httpsCall(
      `${consentUrl(TENANT_A.tenantId)}?${new URLSearchParams({ ...query, redirect_uri: 'https://evil.example.com/' }).toString()}`,
      sut.caCertPem,
    );

    expect(res.status).toBe(400);
    expect(res.headers['location']).toBeUndefined();
    expect(res.text).toContain('AADSTS50011');
  });

  describe('older /adminconsent endpoint (no scope)', () => {
    const legacyUrl = () => `${sut.loginBaseUrl}/${TENANT_A.tenantId}/adminconsent`;
    const legacyPost = (fields: Record<string, string>) =>
      httpsCall(legacyUrl(), sut.caCertPem, {
        form: { client_id: APP.clientId, redirect_uri: REDIRECT, state: 'xyz', ...fields },
      });

    it('grants the configured application permissions and redirects with tenant, state and admin_consent=True', async () => {
      const res = await legacyPost({ emulator_user: admin().id, emulator_decision: 'accept' });

      expect(redirectParams(res.headers['location'])).toEqual({
        tenant: TENANT_A.tenantId,
        state: 'xyz',
        admin_consent: 'True',
      });
      expect(sut.world.grantedAppRoles(TENANT_A.tenantId, APP.clientId)).toEqual(APP.requiredAppRoles);
    });

    it('redirects with error=permission_denied when the admin cancels', async () => {
      const res = await legacyPost({ emulator_user: admin().id, emulator_decision: 'cancel' });

      expect(redirectParams(res.headers['location'])).toEqual({
        error: 'permission_denied',
        error_description: 'The admin canceled the request',
        state: 'xyz',
      });
    });
  });
});
