import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphClientFactory } from '@entra-backup/graph';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { App } from 'supertest/types';
import { Agent, fetch } from 'undici';
import { sessionSchema } from '@entra-backup/common';
import { createApp } from '../../apps/api/src/bootstrap';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { DEMO_SERVER_RECORD_FILE } from '../../apps/api/src/demo/demo-connection';
import { type DemoMode, startDemoModeIfUnconfigured } from '../../apps/api/src/demo/demo-mode';
import { freePort } from './support/free-port';

jest.setTimeout(90_000);

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

describe('Demo mode (e2e)', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-demo-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function boot(demoPort: number): Promise<{ demo: DemoMode; app: NestExpressApplication; http: App }> {
    const config = loadAppConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      ENTRA_BACKUP_DATA_DIR: dataDir,
      ENTRA_BACKUP_PORTAL_DIR: join(dataDir, 'no-portal'),
      ENTRA_BACKUP_PUBLIC_URL: 'http://localhost:3000',
      ENTRA_BACKUP_DEMO_PORT: String(demoPort),
    });
    const demo = await startDemoModeIfUnconfigured(config);
    if (demo === undefined) throw new Error('no credentials configured: the demo mode should start');
    const app = await createApp(demo.config);
    await app.init();
    await demo.afterStart(app);
    return { demo, app, http: app.getHttpServer() as App };
  }

  it('is not started when Microsoft credentials are configured', async () => {
    const config = loadAppConfig({
      ENTRA_BACKUP_DATA_DIR: dataDir,
      AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      AZURE_CLIENT_SECRET: 'secret',
    });
    await expect(startDemoModeIfUnconfigured(config)).resolves.toBeUndefined();
  });

  it('serves sign-in and Graph from the emulator, says so, and keeps consent across a restart', async () => {
    const port = await freePort();
    let { demo, app, http } = await boot(port);
    const ca = new Agent({ connect: { ca: demo.emulator.caCertPem } });
    try {
      expect(demo.config.graph.loginBaseUrl).toBe(`https://127.0.0.1:${port}`);
      expect(demo.config.graph.caCertificates).toContain(demo.emulator.caCertPem);
      const probe = sessionSchema.parse((await request(http).get('/api/auth/session').expect(200)).body);
      expect(probe.demoMode).toBe(true);

      const [tenant] = demo.emulator.world.listTenants();
      const admin = demo.emulator.world
        .listSignInUsers(tenant!.tenantId, 20)
        .find((u) => u.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR))!;
      const agent = request.agent(http);
      const pick = async (url: string, extra: Record<string, string> = {}) => {
        const res = await fetch(url, {
          method: 'POST',
          redirect: 'manual',
          dispatcher: ca,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            emulator_tenant: tenant!.tenantId,
            emulator_user: admin.userPrincipalName,
            ...extra,
          }).toString(),
        });
        const location = new URL(res.headers.get('location') ?? '');
        return `${location.pathname}${location.search}`;
      };
      const login = await agent.get('/api/auth/login').expect(302);
      await agent.get(await pick(String(login.headers['location']))).expect(302, /./);
      const session = sessionSchema.parse((await agent.get('/api/auth/session').expect(200)).body);
      expect(session.user).toMatchObject({ hasAccess: true, tenantId: tenant!.tenantId });
      const start = await agent
        .post(`/api/tenants/${tenant!.tenantId}/consent/start`)
        .set('x-csrf-token', session.csrfToken!)
        .expect(200);
      await agent
        .get(await pick(String(start.body.redirectUrl), { emulator_decision: 'accept' }))
        .expect(302);
      // Registered under the sign-in domain, named after the organization as soon as consent is granted.
      const named = await agent.get(`/api/tenants/${tenant!.tenantId}`).expect(200);
      expect(named.body.displayName).toBe(tenant!.displayName);

      await app.close();
      await demo.stop();
      // The emulator keeps its directory in memory; the product re-applies the recorded consent.
      ({ demo, app, http } = await boot(port));
      const roles = await app.get(GraphClientFactory, { strict: false }).getGrantedAppRoles(tenant!.tenantId);
      expect(roles).toEqual(expect.arrayContaining(['User.Read.All', 'Group.Read.All']));
    } finally {
      await app.close();
      await demo.stop();
      await ca.close();
    }
  });

  it("guards the emulator's control API (ground truth, BitLocker keys) with the token it records for tests", async () => {
    const port = await freePort();
    const { demo, app } = await boot(port);
    const ca = new Agent({ connect: { ca: demo.emulator.caCertPem } });
    try {
      const [tenant] = demo.emulator.world.listTenants();
      const truth = `https://127.0.0.1:${port}/_emulator/tenants/${tenant!.tenantId}/truth/users`;

      const anonymous = await fetch(truth, { dispatcher: ca });
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).not.toContain(tenant!.tenantId);
      const wrong = await fetch(truth, { dispatcher: ca, headers: { authorization: 'Bearer guessed' } });
      expect(wrong.status).toBe(401);
      await wrong.text();

      const recordPath = join(dataDir, 'emulator', DEMO_SERVER_RECORD_FILE);
      expect((await stat(recordPath)).mode & 0o777).toBe(0o600);
      const { controlToken } = JSON.parse(await readFile(recordPath, 'utf8')) as { controlToken: string };
      expect(controlToken.length).toBeGreaterThanOrEqual(32);
      const allowed = await fetch(truth, {
        dispatcher: ca,
        headers: { authorization: `Bearer ${controlToken}` },
      });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('userPrincipalName');
    } finally {
      await app.close();
      await demo.stop();
      await ca.close();
    }
  });

  it('takes the control token from the configuration when it is set', async () => {
    const config = loadAppConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      ENTRA_BACKUP_DATA_DIR: dataDir,
      ENTRA_BACKUP_DEMO_PORT: String(await freePort()),
      ENTRA_BACKUP_DEMO_CONTROL_TOKEN: 'shared-with-the-tests-0123456789',
    });
    const demo = await startDemoModeIfUnconfigured(config);
    try {
      expect(demo?.emulator.controlToken).toBe('shared-with-the-tests-0123456789');
    } finally {
      await demo?.stop();
    }
  });
});
