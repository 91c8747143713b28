import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  auditPageSchema,
  backupRunListItemSchema,
  breakGlassAccountListSchema,
  createdBreakGlassAccountSchema,
  CSRF_HEADER,
  emergencySignInResponseSchema,
  errorBodySchema,
  notificationPageSchema,
  restorePlanSummarySchema,
  restoreRunSchema,
  sessionSchema,
} from '@entra-backup/common';
import { generate } from 'otplib';
import request from 'supertest';
import {
  type EmulatorTestApp,
  grantConsent,
  type SignedIn,
  signIn,
  startAppWithEmulator,
} from './support/emulator-app';

jest.setTimeout(180_000);

const PASSWORD = 'Correct-Horse-Battery-Staple-42';

/**
 * Emergency mode end to end: a tenant admin sets up a break-glass account (password + TOTP) and
 * contacts; then Microsoft's identity platform goes down in the emulator, nobody can sign in with
 * Microsoft, and the break-glass account still signs in, browses the backups and restores a user
 * of its tenant only. Wrong codes lock it out; every use is in the audit log and notified.
 */
describe('Emergency sign-in (e2e)', () => {
  let env: EmulatorTestApp;
  let admin: SignedIn;
  let webhook: Server;
  const webhookBodies: unknown[] = [];

  const tenant = () => `/api/tenants/${env.tenantId}`;

  beforeAll(async () => {
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        webhookBodies.push(JSON.parse(body) as unknown);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    env = await startAppWithEmulator();
    admin = await signIn(env, env.admin);
    await grantConsent(env, admin);
    await backUp();
  });

  afterAll(async () => {
    env.emulator.faults.reset();
    await env.close();
    await new Promise<void>((resolve) => webhook.close(() => resolve()));
  });

  async function backUp(): Promise<void> {
    const started = await admin.agent
      .post(`${tenant()}/backups`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ types: ['users'] })
      .expect(202);
    for (let attempt = 0; attempt < 300; attempt++) {
      const run = backupRunListItemSchema.parse(
        (await admin.agent.get(`${tenant()}/backups/${String(started.body.runId)}`).expect(200)).body,
      );
      if (run.status !== 'running') {
        expect(run.status).toBe('completed');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the backup did not end');
  }

  async function createAccount(username: string): Promise<string> {
    const created = await admin.agent
      .post(`${tenant()}/break-glass-accounts`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ username, password: PASSWORD })
      .expect(201);
    return createdBreakGlassAccountSchema.parse(created.body).totp.secret;
  }

  /** The code of the authenticator app, `steps` time steps from now. */
  function codeOf(secret: string, steps = 0): Promise<string> {
    return generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
  }

  function emergencySignIn(username: string, code: string, password = PASSWORD) {
    const agent = request.agent(env.http);
    const answer = agent
      .post('/api/emergency/sign-in')
      .send({ tenantId: env.tenantId, username, password, code });
    return { agent, answer };
  }

  /** Identity platform requests the emulator has answered so far. */
  function identityRequests(): number {
    return env.emulator.counters
      .snapshot()
      .routes.filter((r) => !/^\/(v1\.0|beta)\//.test(r.path) && !r.path.startsWith('/_emulator'))
      .reduce((n, r) => n + r.count, 0);
  }

  it('sets up a break-glass account: weak passwords refused, the TOTP secret and QR code shown once', async () => {
    const weak = await admin.agent
      .post(`${tenant()}/break-glass-accounts`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ username: 'weak', password: 'Password12345!' })
      .expect(400);
    expect(errorBodySchema.parse(weak.body)).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('common word'),
    });

    const created = await admin.agent
      .post(`${tenant()}/break-glass-accounts`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ username: 'Break.Glass', password: PASSWORD })
      .expect(201);
    const account = createdBreakGlassAccountSchema.parse(created.body);
    expect(account.account).toMatchObject({
      username: 'break.glass',
      tenantId: env.tenantId,
      lockedUntil: null,
    });
    expect(account.totp.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(account.totp.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);

    const listed = await admin.agent.get(`${tenant()}/break-glass-accounts`).expect(200);
    expect(breakGlassAccountListSchema.parse(listed.body).items.map((a) => a.username)).toEqual([
      'break.glass',
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(account.totp.secret);
    await admin.agent
      .post(`${tenant()}/break-glass-accounts`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({ username: 'break.glass', password: PASSWORD })
      .expect(409);

    await admin.agent
      .put(`${tenant()}/emergency-contacts`)
      .set(CSRF_HEADER, admin.csrfToken)
      .send({
        emails: ['SOC@contoso.test'],
        webhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks/emergency`,
      })
      .expect(200);
  });

  it('signs in, browses and restores with the identity platform down, and only in its own tenant', async () => {
    const secret = await createAccount('responder');
    // A user is lost after the last backup: the responder will bring them back.
    const control = `${env.emulator.baseUrl}/_emulator/tenants/${env.tenantId}`;
    const users = (await (await env.emulatorFetch(`${control}/truth/users`)).text())
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { id: string; onPremisesSyncEnabled?: boolean });
    const lost = users.filter((u) => u.onPremisesSyncEnabled !== true && u.id !== env.admin.id)[7]!;
    const deleted = await env.emulatorFetch(`${control}/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'hardDelete', collection: 'users', id: lost.id }),
    });
    expect(deleted.status).toBe(200);

    // Microsoft's identity platform is down: nobody signs in with Microsoft.
    env.emulator.faults.configure({ identityOutage: true });
    const authorize = await env.emulatorFetch(
      `${env.emulator.loginBaseUrl}/${env.tenantId}/oauth2/v2.0/authorize?client_id=x`,
    );
    expect(authorize.status).toBe(503);
    await expect(signIn(env, env.admin)).rejects.toThrow();

    const identityBefore = identityRequests();
    const { agent, answer } = emergencySignIn('responder', await codeOf(secret));
    const signedIn = emergencySignInResponseSchema.parse((await answer.expect(200)).body);
    // Not a single request to the identity platform.
    expect(identityRequests()).toBe(identityBefore);
    expect(signedIn).toMatchObject({ tenantId: env.tenantId, username: 'responder' });
    const session = sessionSchema.parse((await agent.get('/api/auth/session').expect(200)).body);
    expect(session.user).toMatchObject({ kind: 'emergency', tenantId: env.tenantId, hasAccess: true });

    // Browse its tenant's backups.
    const snapshots = await agent.get(`${tenant()}/snapshots`).expect(200);
    expect((snapshots.body as { items: unknown[] }).items.length).toBeGreaterThan(0);
    await agent.get(`${tenant()}/snapshots/latest/types/users/objects`).expect(200);
    // Nothing of another tenant, and no settings changes.
    const other = await agent.get(`/api/tenants/${env.otherTenantId}/snapshots`).expect(403);
    expect(errorBodySchema.parse(other.body).code).toBe('TENANT_FORBIDDEN');
    const settings = await agent
      .put(`${tenant()}/settings`)
      .set(CSRF_HEADER, signedIn.csrfToken)
      .send({ enabledTypes: { groups: true } })
      .expect(403);
    expect(errorBodySchema.parse(settings.body).code).toBe('PERMISSION_DENIED');
    await agent
      .post(`${tenant()}/break-glass-accounts`)
      .set(CSRF_HEADER, signedIn.csrfToken)
      .send({ username: 'another', password: PASSWORD })
      .expect(403);

    // People still cannot sign in, but the app's own tokens are issued again (the tenant's sign-in
    // is what broke): the responder plans and runs a restore.
    env.emulator.faults.configure({ identityOutage: 'sign-in' });
    const planned = await agent
      .post(`${tenant()}/restore-plans`)
      .set(CSRF_HEADER, signedIn.csrfToken)
      .send({ snapshotId: 'latest', types: ['users'] })
      .expect(201);
    const plan = restorePlanSummarySchema.parse(planned.body);
    expect(plan.byAction.recreate).toBe(1);
    await agent.get(`${tenant()}/restore-plans/${plan.planId}/actions`).expect(200);
    const started = await agent
      .post(`${tenant()}/restores`)
      .set(CSRF_HEADER, signedIn.csrfToken)
      .send({ planId: plan.planId })
      .expect(202);
    let status = 'running';
    for (let attempt = 0; attempt < 600 && status === 'running'; attempt++) {
      const run = restoreRunSchema.parse(
        (await agent.get(`${tenant()}/restores/${String(started.body.restoreId)}`).expect(200)).body,
      );
      status = run.status;
      if (status === 'running') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe('completed');
    const truth = await (await env.emulatorFetch(`${control}/truth/users`)).text();
    expect(truth.split('\n').filter((line) => line.includes('"userPrincipalName"')).length).toBe(
      users.length,
    );

    // The use is in the tenant's audit log, and it was notified to the contacts.
    const audit = auditPageSchema.parse(
      (await agent.get(`${tenant()}/audit`).query({ action: 'auth.emergency-signed-in' }).expect(200)).body,
    );
    expect(audit.items[0]).toMatchObject({
      actor: 'emergency:responder',
      principalKind: 'emergency',
      outcome: 'success',
      tenantId: env.tenantId,
    });
    expect(audit.items[0]?.address).not.toBeNull();
    const refused = auditPageSchema.parse(
      (
        await agent
          .get(`${tenant()}/audit`)
          .query({ action: 'access.refused', actor: 'responder' })
          .expect(200)
      ).body,
    );
    expect(refused.items.map((e) => e.details['code'])).toContain('PERMISSION_DENIED');
    let notifications = notificationPageSchema.parse(
      (await agent.get(`${tenant()}/notifications`).expect(200)).body,
    );
    for (let attempt = 0; attempt < 100 && !notifications.items.some((n) => n.status === 'sent'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      notifications = notificationPageSchema.parse(
        (await agent.get(`${tenant()}/notifications`).expect(200)).body,
      );
    }
    expect(notifications.items.filter((n) => n.kind === 'emergency.sign-in')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'email', recipient: 'soc@contoso.test', status: 'recorded' }),
        expect.objectContaining({ channel: 'webhook', status: 'sent' }),
      ]),
    );
    expect(webhookBodies).toContainEqual(
      expect.objectContaining({ kind: 'emergency.sign-in', tenantId: env.tenantId, username: 'responder' }),
    );
  });

  it('accepts each code once, and locks the user name after five wrong codes, answering alike for unknown names', async () => {
    env.emulator.faults.configure({ identityOutage: true });
    const secret = await createAccount('locked.out');
    const code = await codeOf(secret);
    const first = emergencySignIn('locked.out', code);
    await first.answer.expect(200);
    const replayed = await emergencySignIn('locked.out', code).answer.expect(401);
    expect(errorBodySchema.parse(replayed.body).code).toBe('EMERGENCY_SIGN_IN_FAILED');
    await emergencySignIn('locked.out', await codeOf(secret, 1)).answer.expect(200);

    const unknown = await emergencySignIn('nobody.here', code).answer.expect(401);
    const wrongPassword = await emergencySignIn('locked.out', code, 'Not-The-Password-123').answer.expect(
      401,
    );
    expect(errorBodySchema.parse(unknown.body).message).toBe(
      errorBodySchema.parse(wrongPassword.body).message,
    );

    const wrong = String((Number(await codeOf(secret, 5)) + 1) % 1_000_000).padStart(6, '0');
    // One wrong password above, four wrong codes here: the fifth consecutive failure locks.
    for (let i = 0; i < 4; i++) await emergencySignIn('locked.out', wrong).answer.expect(401);
    const locked = await emergencySignIn('locked.out', await codeOf(secret, -1)).answer.expect(423);
    expect(errorBodySchema.parse(locked.body).code).toBe('EMERGENCY_ACCOUNT_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    // An unknown name locks alike, so a lock tells nothing about which names exist.
    for (let i = 0; i < 4; i++) await emergencySignIn('nobody.here', wrong).answer.expect(401);
    await emergencySignIn('nobody.here', wrong).answer.expect(423);

    env.emulator.faults.reset();
    const refusals = auditPageSchema.parse(
      (
        await admin.agent
          .get(`${tenant()}/audit`)
          .query({ action: 'auth.emergency-refused', limit: 50 })
          .expect(200)
      ).body,
    );
    const ofAccount = refusals.items.filter((e) => e.actor === 'emergency:locked.out');
    expect(ofAccount.map((e) => e.details['reason'])).toEqual([
      'locked',
      'wrong or reused code',
      'wrong or reused code',
      'wrong or reused code',
      'wrong or reused code',
      'wrong password',
      'wrong or reused code',
    ]);
    expect(ofAccount.every((e) => e.outcome === 'refused')).toBe(true);
    const accounts = breakGlassAccountListSchema.parse(
      (await admin.agent.get(`${tenant()}/break-glass-accounts`).expect(200)).body,
    );
    const lockedOut = accounts.items.find((a) => a.username === 'locked.out');
    expect(lockedOut?.lockedUntil).not.toBeNull();

    // Deleting the account ends its sessions at once.
    await first.agent.get(`${tenant()}/snapshots`).expect(200);
    await admin.agent
      .delete(`${tenant()}/break-glass-accounts/${lockedOut!.accountId}`)
      .set(CSRF_HEADER, admin.csrfToken)
      .expect(204);
    const ended = await first.agent.get(`${tenant()}/snapshots`).expect(401);
    expect(errorBodySchema.parse(ended.body).code).toBe('AUTHENTICATION_REQUIRED');
  });

  it('documents the emergency, audit and notification routes in OpenAPI with who may call them', async () => {
    const res = await admin.agent.get('/api/docs-json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, Record<string, unknown>>>;
    const permission = (path: string, method: string) => paths[path]?.[method]?.['x-required-permission'];

    expect(permission('/api/emergency/sign-in', 'post')).toBe('public');
    expect(permission('/api/tenants/{tenantId}/break-glass-accounts', 'post')).toBe('emergency:manage');
    expect(permission('/api/tenants/{tenantId}/break-glass-accounts/{accountId}', 'delete')).toBe(
      'emergency:manage',
    );
    expect(permission('/api/tenants/{tenantId}/emergency-contacts', 'put')).toBe('emergency:manage');
    expect(permission('/api/partners/{partnerId}/emergency-contacts', 'put')).toBe('emergency:manage');
    expect(permission('/api/tenants/{tenantId}/notifications', 'get')).toBe('tenants:read');
    expect(permission('/api/tenants/{tenantId}/audit', 'get')).toBe('tenants:read');
    expect(permission('/api/tenants/{tenantId}/audit.csv', 'get')).toBe('exports:download');
    expect(permission('/api/partners/{partnerId}/audit', 'get')).toBe('tenants:read');
    expect(Object.keys(paths['/api/emergency/sign-in']?.['post']?.['responses'] ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '423', '429']),
    );
  });
});
