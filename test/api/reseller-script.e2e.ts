import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Agent, fetch } from 'undici';
import { CSRF_HEADER } from '@entra-backup/common';
import { createApp } from '../../apps/api/src/bootstrap';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { type DemoMode, startDemoModeIfUnconfigured } from '../../apps/api/src/demo/demo-mode';
import { PartnersService } from '../../apps/api/src/modules/partners/partners.service';
import { freePort } from './support/free-port';

jest.setTimeout(240_000);

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
const ROOT = join(__dirname, '..', '..');

/** The README's reseller script: the fenced block between its markers, exactly as documented. */
async function readmeScript(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- reseller-script:start -->\s*```bash\n([\s\S]*?)```\s*<!-- reseller-script:end -->/.exec(
    readme,
  );
  if (block?.[1] === undefined) throw new Error('README.md has no reseller script between its markers');
  return block[1];
}

describe("The README's reseller script against the demo (e2e)", () => {
  let dataDir: string;
  let demo: DemoMode;
  let app: NestExpressApplication;
  let baseUrl: string;
  let emulatorFetch: typeof fetch;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-reseller-'));
    const config = loadAppConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      ENTRA_BACKUP_DATA_DIR: dataDir,
      ENTRA_BACKUP_PORTAL_DIR: join(dataDir, 'no-portal'),
      ENTRA_BACKUP_PUBLIC_URL: 'http://localhost:3000',
      ENTRA_BACKUP_DEMO_PORT: String(await freePort()),
    });
    const started = await startDemoModeIfUnconfigured(config);
    if (started === undefined) throw new Error('the demo mode should start without credentials');
    demo = started;
    app = await createApp(demo.config);
    await app.listen(0, '127.0.0.1');
    await demo.afterStart(app);
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const dispatcher = new Agent({ connect: { ca: demo.emulator.caCertPem } });
    emulatorFetch = (input, init) => fetch(input, { ...init, dispatcher });
  });

  afterAll(async () => {
    await app?.close();
    await demo?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Signs a demo user in through the emulator's account picker, as a browser would. */
  async function signIn(tenantId: string, upn: string, returnTo?: string) {
    const agent = request.agent(app.getHttpServer());
    const login = await agent
      .get('/api/auth/login')
      .query(returnTo ? { returnTo } : {})
      .expect(302);
    const callback = new URL(await pick(String(login.headers['location']), tenantId, upn));
    await agent.get(`${callback.pathname}${callback.search}`).expect(302);
    const session = await agent.get('/api/auth/session').expect(200);
    return { agent, csrf: String(session.body.csrfToken) };
  }

  async function pick(url: string, tenantId: string, upn: string, extra: Record<string, string> = {}) {
    const response = await emulatorFetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ emulator_tenant: tenantId, emulator_user: upn, ...extra }).toString(),
    });
    const location = response.headers.get('location');
    if (response.status !== 302 || location === null)
      throw new Error(`the emulator answered ${response.status}`);
    return location;
  }

  it('onboards a customer, switches types on, backs up, lists snapshots, exports and plans a restore', async () => {
    const [partnerOrg, customer] = demo.emulator.world.listTenants();
    if (partnerOrg === undefined || customer === undefined)
      throw new Error('the demo needs two organizations');
    const staffUser = demo.emulator.world
      .listSignInUsers(partnerOrg.tenantId, 50)
      .find((u) => u.roleTemplateIds.length === 0)!;
    const customerAdmin = demo.emulator.world
      .listSignInUsers(customer.tenantId, 50)
      .find((u) => u.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR))!;

    // The installation's operator creates the partner; its Owner signs in and creates the key.
    const partner = await app
      .get(PartnersService)
      .create({ name: 'Northwind IT', ownerUpn: staffUser.userPrincipalName }, 'cli:operator');
    const owner = await signIn(partnerOrg.tenantId, staffUser.userPrincipalName, '/partner');
    const created = await owner.agent
      .post(`/api/v1/partners/${partner.partnerId}/api-keys`)
      .set(CSRF_HEADER, owner.csrf)
      .send({ name: 'Onboarding script', scopes: ['read', 'backup', 'restore', 'export', 'admin'] })
      .expect(201);

    const work = await mkdtemp(join(tmpdir(), 'entra-backup-reseller-run-'));
    const script = spawn('bash', ['-c', await readmeScript()], {
      cwd: work,
      env: {
        ...process.env,
        EB_URL: baseUrl,
        EB_KEY: String(created.body.key),
        EB_PARTNER: partner.partnerId,
      },
    });
    let stdout = '';
    let stderr = '';
    script.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const onboardingUrl = new Promise<string>((resolve) => {
      script.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /Send this link to the customer's Global Administrator: (\S+)/.exec(stdout);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
    });
    const exited = new Promise<number>((resolve) => script.on('close', (code) => resolve(code ?? 1)));

    // The customer's Global Administrator opens the link, signs in, accepts and consents.
    const link = new URL(
      await Promise.race([onboardingUrl, exited.then(() => Promise.reject(new Error(stderr)))]),
    );
    const token = link.pathname.split('/').pop()!;
    const customerSession = await signIn(customer.tenantId, customerAdmin.userPrincipalName, link.pathname);
    const accepted = await customerSession.agent
      .post(`/api/onboarding/${token}/accept`)
      .set(CSRF_HEADER, customerSession.csrf)
      .expect(200);
    const consent = new URL(
      await pick(String(accepted.body.consentUrl), customer.tenantId, customerAdmin.userPrincipalName, {
        emulator_decision: 'accept',
      }),
    );
    await customerSession.agent.get(`${consent.pathname}${consent.search}`).expect(302);

    const code = await exited;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`Tenant ${customer.tenantId} onboarded`);
    expect(stdout).toMatch(/Backup [0-9a-f-]{36}: completed/);
    expect(stdout).toMatch(/^#1 [0-9a-f-]{36} /m);
    expect((await stat(join(work, 'fabrikam-export.zip'))).size).toBeGreaterThan(1000);
    const plan = JSON.parse(stdout.slice(stdout.lastIndexOf('{'))) as { planId: string; status: string };
    expect(plan.planId).toMatch(/^[0-9a-f-]{36}$/);
    await rm(work, { recursive: true, force: true });
  });
});
