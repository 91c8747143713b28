import { CSRF_HEADER, errorBodySchema, sessionSchema } from '@entra-backup/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../apps/api/src/core/clock';
import { STATE_CHANGE_ROLE_RECHECK_MS } from '../../apps/api/src/modules/auth/access.service';
import { type EmulatorTestApp, grantConsent, signIn, startAppWithEmulator } from './support/emulator-app';

jest.setTimeout(60_000);

const PRIVILEGED_ROLE_ADMINISTRATOR = 'e8611ab8-c189-46e8-94e1-60213ab1f814';

describe('Who may do what (e2e)', () => {
  let env: EmulatorTestApp;

  beforeEach(async () => {
    env = await startAppWithEmulator();
  });

  afterEach(async () => {
    await env.close();
  });

  it("keeps each admin inside their own tenant: another tenant's routes answer 403 TENANT_FORBIDDEN", async () => {
    const a = await signIn(env, env.admin);
    const b = await signIn(env, env.otherAdmin, { tenantId: env.otherTenantId });

    for (const path of [
      `/api/tenants/${env.otherTenantId}`,
      `/api/tenants/${env.otherTenantId}/settings`,
      `/api/tenants/${env.otherTenantId}/consent`,
      `/api/tenants/${env.otherTenantId}/schedule`,
    ]) {
      const res = await a.agent.get(path).expect(403);
      expect(errorBodySchema.parse(res.body).code).toBe('TENANT_FORBIDDEN');
    }
    const put = await b.agent
      .put(`/api/tenants/${env.tenantId}/settings`)
      .set(CSRF_HEADER, b.csrfToken)
      .send({ enabledTypes: { users: false } })
      .expect(403);
    expect(errorBodySchema.parse(put.body).code).toBe('TENANT_FORBIDDEN');
    const start = await b.agent
      .post(`/api/tenants/${env.tenantId}/consent/start`)
      .set(CSRF_HEADER, b.csrfToken)
      .expect(403);
    expect(errorBodySchema.parse(start.body).code).toBe('TENANT_FORBIDDEN');

    const listA = await a.agent.get('/api/tenants').expect(200);
    expect(listA.body.items.map((t: { tenantId: string }) => t.tenantId)).toEqual([env.tenantId]);
    const listB = await b.agent.get('/api/tenants').expect(200);
    expect(listB.body.items.map((t: { tenantId: string }) => t.tenantId)).toEqual([env.otherTenantId]);
  });

  it('refuses state-changing requests without the CSRF token of the session', async () => {
    const a = await signIn(env, env.admin);
    const b = await signIn(env, env.admin);

    const missing = await a.agent.post(`/api/tenants/${env.tenantId}/consent/start`).expect(403);
    expect(errorBodySchema.parse(missing.body).code).toBe('CSRF_TOKEN_INVALID');
    const foreign = await a.agent
      .put(`/api/tenants/${env.tenantId}/settings`)
      .set(CSRF_HEADER, b.csrfToken)
      .send({ enabledTypes: { users: false } })
      .expect(403);
    expect(errorBodySchema.parse(foreign.body).code).toBe('CSRF_TOKEN_INVALID');
    await a.agent.get(`/api/tenants/${env.tenantId}/settings`).expect(200);
  });

  it('after consent, confirms the role from the directory rather than the ID token claim', async () => {
    const admin = await signIn(env, env.admin);
    const before = sessionSchema.parse((await admin.agent.get('/api/auth/session').expect(200)).body);
    expect(before.user?.roles).toEqual(['Global Administrator']);
    await grantConsent(env, admin);

    /** `<action>:<evidence>` of every sign-in in the audit trail, oldest first. */
    const evidence = async () => {
      const rows = (await env.app
        .get(DataSource)
        .query(
          `SELECT "action", "details" FROM "app_audit_event" WHERE "action" LIKE 'auth.sign%' ORDER BY "occurred_at"`,
        )) as Array<{ action: string; details: string }>;
      return rows.map((r) => `${r.action}:${(JSON.parse(r.details) as { evidence: string }).evidence}`);
    };
    // Before consent the app has no token for the tenant: `wids` was the only evidence.
    expect(await evidence()).toEqual(['auth.signed-in:wids']);
    await signIn(env, env.admin);
    expect(await evidence()).toEqual(['auth.signed-in:wids', 'auth.signed-in:directory']);

    // The admin's Global Administrator assignment is removed in the directory: the next sign-in
    // is refused on the directory's word.
    const collection = env.emulator.world.directory(env.tenantId)!.collection('roleAssignments');
    const ids: string[] = [];
    for (let i = 0; i < collection.count(); i += 1) {
      const assignment = collection.at(i);
      if (assignment?.['principalId'] === env.admin.id) ids.push(String(assignment['id']));
    }
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const res = await env.emulatorFetch(
        `${env.emulator.baseUrl}/_emulator/tenants/${env.tenantId}/changes`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'delete', collection: 'roleAssignments', id }),
        },
      );
      expect(res.status).toBeLessThan(300);
    }

    const again = await signIn(env, env.admin);
    expect(again.landedOn).toBe('/no-access');
    expect((await evidence()).at(-1)).toBe('auth.sign-in-refused:directory');
    const res = await again.agent.get(`/api/tenants/${env.tenantId}/settings`).expect(403);
    expect(errorBodySchema.parse(res.body).code).toBe('NO_ACCESS');
  });

  it('lets a Privileged Role Administrator in', async () => {
    const users = env.emulator.world.listSignInUsers(env.tenantId, 40);
    const pra = users.find(
      (u) =>
        u.roleTemplateIds.includes(PRIVILEGED_ROLE_ADMINISTRATOR) &&
        !u.roleTemplateIds.includes('62e90394-69f5-4237-9190-012177145e10'),
    );
    expect(pra).toBeDefined();

    const session = await signIn(env, { id: pra!.id, upn: pra!.userPrincipalName });

    expect(session.landedOn).toBe('/');
    const body = sessionSchema.parse((await session.agent.get('/api/auth/session').expect(200)).body);
    expect(body.user?.roles).toEqual(['Privileged Role Administrator']);
  });

  it('keeps sessions in the database under hashed ids', async () => {
    const admin = await signIn(env, env.admin);
    const rows = await env.app.get(DataSource).query(`SELECT "sid_hash", "data" FROM "auth_session"`);
    expect(rows.length).toBeGreaterThan(0);
    // Ids are stored hashed; the cookie value never appears in the database.
    const cookie = decodeURIComponent(
      String(
        admin.agent.jar.getCookie('entra_backup_sid', {
          domain: '127.0.0.1',
          path: '/',
          secure: false,
          script: false,
        })?.value ?? '',
      ),
    );
    expect(cookie).not.toBe('');
    for (const row of rows as Array<{ sid_hash: string; data: string }>) {
      expect(row.sid_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(cookie).not.toContain(row.sid_hash);
    }
  });

  it('ends the session of an admin whose role was removed at the next change after half a minute', async () => {
    const admin = await signIn(env, env.admin);
    await grantConsent(env, admin);
    const change = () =>
      admin.agent
        .put(`/api/tenants/${env.tenantId}/settings`)
        .set(CSRF_HEADER, admin.csrfToken)
        .send({ enabledTypes: { users: true } });
    await change().expect(200);

    await removeRoleAssignments(env, env.admin.id);
    // One directory read serves a burst of changes for half a minute...
    await change().expect(200);
    const clock = env.app.get(Clock);
    const later = new Date(clock.now().getTime() + STATE_CHANGE_ROLE_RECHECK_MS + 1000);
    jest.spyOn(clock, 'now').mockReturnValue(later);

    // ...then the next change finds the role gone and ends the session.
    const refused = await change().expect(401);
    expect(errorBodySchema.parse(refused.body)).toMatchObject({
      code: 'AUTHENTICATION_REQUIRED',
      message: expect.stringContaining('session ended') as unknown,
    });
    const session = sessionSchema.parse((await admin.agent.get('/api/auth/session').expect(200)).body);
    expect(session.authenticated).toBe(false);
    await admin.agent.get(`/api/tenants/${env.tenantId}/settings`).expect(401);
  });
});

/** Deletes every directory role assignment of a user in the emulated tenant. */
async function removeRoleAssignments(env: EmulatorTestApp, userId: string): Promise<void> {
  const collection = env.emulator.world.directory(env.tenantId)!.collection('roleAssignments');
  const ids: string[] = [];
  for (let i = 0; i < collection.count(); i += 1) {
    const assignment = collection.at(i);
    if (assignment?.['principalId'] === userId) ids.push(String(assignment['id']));
  }
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) {
    const res = await env.emulatorFetch(`${env.emulator.baseUrl}/_emulator/tenants/${env.tenantId}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'delete', collection: 'roleAssignments', id }),
    });
    expect(res.status).toBeLessThan(300);
  }
}
