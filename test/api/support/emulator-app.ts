import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { App } from 'supertest/types';
import { Agent, fetch } from 'undici';
import { startEmulator, type RunningEmulator } from '@entra-backup/graph-emulator';
import { createApp } from '../../../apps/api/src/bootstrap';
import { AppConfig, type EnvironmentRecord, loadAppConfig } from '../../../apps/api/src/config/app-config';
import { run as runCli } from '../../../apps/cli/src/cli';
import { requiredAppRoles } from '../../../apps/api/src/modules/consent/consent-permissions';

export const TEST_CLIENT_ID = '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f';
export const TEST_CLIENT_SECRET = 'e2e-client-secret-value';
export const TEST_PUBLIC_URL = 'http://localhost:3000';

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';

export interface EmulatedUser {
  readonly id: string;
  readonly upn: string;
}

export interface EmulatorTestApp {
  readonly app: NestExpressApplication;
  readonly http: App;
  readonly emulator: RunningEmulator;
  readonly dataDir: string;
  /** The first emulated tenant and, for cross-tenant tests, the second. */
  readonly tenantId: string;
  readonly otherTenantId: string;
  /** A Global Administrator, and a member without any directory role, of `tenantId`. */
  readonly admin: EmulatedUser;
  readonly member: EmulatedUser;
  /** A Global Administrator of `otherTenantId`. */
  readonly otherAdmin: EmulatedUser;
  /** HTTPS to the emulator, trusting its CA. */
  readonly emulatorFetch: typeof fetch;
  close(): Promise<void>;
}

/**
 * The real application configured for the Microsoft cloud, pointed at an in-process emulator (the
 * identity platform and Graph over HTTPS with its own CA) by configuration alone: client id and
 * secret of an app registered in the emulator, base URLs and ENTRA_BACKUP_CA_FILE.
 */
/** The emulator with the product's app registered; tests may share one across apps (`reset()` between). */
export async function startTestEmulator(dataDir: string): Promise<RunningEmulator> {
  return startEmulator({
    port: 0,
    dataDir: join(dataDir, 'emulator'),
    tenants: 2,
    usersPerTenant: 40,
    seed: 11,
    apps: [
      {
        clientId: TEST_CLIENT_ID,
        clientSecret: TEST_CLIENT_SECRET,
        displayName: 'Entra Backup (e2e)',
        redirectUris: [`${TEST_PUBLIC_URL}/api/auth/callback`, `${TEST_PUBLIC_URL}/api/consent/callback`],
        requiredAppRoles: requiredAppRoles(),
      },
    ],
  });
}

/**
 * The real application configured for the Microsoft cloud, pointed at an in-process emulator (the
 * identity platform and Graph over HTTPS with its own CA) by configuration alone: client id and
 * secret of an app registered in the emulator, base URLs and ENTRA_BACKUP_CA_FILE. With
 * `options.emulator` the app uses that (shared) emulator and leaves it running on close.
 */
export async function startAppWithEmulator(
  env: EnvironmentRecord = {},
  options: {
    emulator?: RunningEmulator;
    /** Runs on the created app before `init()` (global interceptors must be added before it). */
    beforeInit?: (app: NestExpressApplication) => void;
  } = {},
): Promise<EmulatorTestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-e2e-'));
  const ownEmulator = options.emulator === undefined;
  const emulator = options.emulator ?? (await startTestEmulator(dataDir));
  const [first, second] = emulator.world.listTenants();
  if (!first || !second) throw new Error('the emulator should have two tenants');
  const config = loadAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ENTRA_BACKUP_DATA_DIR: dataDir,
    ENTRA_BACKUP_PORTAL_DIR: join(dataDir, 'no-portal'),
    AZURE_CLIENT_ID: TEST_CLIENT_ID,
    AZURE_CLIENT_SECRET: TEST_CLIENT_SECRET,
    LOGIN_BASE_URL: emulator.loginBaseUrl,
    GRAPH_BASE_URL: emulator.graphBaseUrl,
    ENTRA_BACKUP_CA_FILE: emulator.caCertPath,
    ENTRA_BACKUP_PUBLIC_URL: TEST_PUBLIC_URL,
    ...env,
  });
  const app = await createApp(config);
  options.beforeInit?.(app);
  await app.init();
  const dispatcher = new Agent({ connect: { ca: emulator.caCertPem } });
  const emulatorFetch: typeof fetch = (input, init) => fetch(input, { ...init, dispatcher });
  const users = emulator.world.listSignInUsers(first.tenantId, 40);
  const admin = users.find((u) => u.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR));
  const member = users.find((u) => u.roleTemplateIds.length === 0);
  const otherAdmin = emulator.world
    .listSignInUsers(second.tenantId, 5)
    .find((u) => u.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR));
  if (!admin || !member || !otherAdmin) throw new Error('the emulated tenants lack an admin or a member');
  return {
    app,
    http: app.getHttpServer() as App,
    emulator,
    dataDir,
    tenantId: first.tenantId,
    otherTenantId: second.tenantId,
    admin: { id: admin.id, upn: admin.userPrincipalName },
    member: { id: member.id, upn: member.userPrincipalName },
    otherAdmin: { id: otherAdmin.id, upn: otherAdmin.userPrincipalName },
    emulatorFetch,
    close: async () => {
      await app.close();
      await dispatcher.close();
      if (ownEmulator) await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SignedIn {
  readonly agent: ReturnType<typeof request.agent>;
  /** For the `x-csrf-token` header. */
  readonly csrfToken: string;
  /** Where the callback sent the browser. */
  readonly landedOn: string;
}

/**
 * Signs in through the real OIDC round trip: our login redirect, the emulator's sign-in page
 * (posted as the browser posts it when the user picks an account), our callback.
 */
export async function signIn(
  env: EmulatorTestApp,
  user: EmulatedUser,
  options: { tenantId?: string; returnTo?: string } = {},
): Promise<SignedIn> {
  const agent = request.agent(env.http);
  const login = await agent
    .get('/api/auth/login')
    .query(options.returnTo === undefined ? {} : { returnTo: options.returnTo })
    .expect(302);
  const callbackUrl = await pickAccount(
    env,
    String(login.headers['location']),
    options.tenantId ?? env.tenantId,
    user,
  );
  const callback = new URL(callbackUrl);
  const landed = await agent.get(`${callback.pathname}${callback.search}`).expect(302);
  const session = await agent.get('/api/auth/session').expect(200);
  return {
    agent,
    csrfToken: String(session.body.csrfToken ?? ''),
    landedOn: String(landed.headers['location']),
  };
}

/** Posts the emulator's account picker for `url` and returns where it redirects the browser. */
export async function pickAccount(
  env: EmulatorTestApp,
  url: string,
  tenantId: string,
  user: EmulatedUser,
  extra: Record<string, string> = {},
): Promise<string> {
  const response = await env.emulatorFetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ emulator_tenant: tenantId, emulator_user: user.upn, ...extra }).toString(),
  });
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) {
    throw new Error(
      `the emulator answered ${response.status} instead of a redirect: ${(await response.text()).slice(0, 300)}`,
    );
  }
  return location;
}

/** Grants admin consent as the signed-in admin would: start, accept on Microsoft's page, callback. */
export async function grantConsent(
  env: EmulatorTestApp,
  session: SignedIn,
  tenantId = env.tenantId,
): Promise<void> {
  const start = await session.agent
    .post(`/api/tenants/${tenantId}/consent/start`)
    .set('x-csrf-token', session.csrfToken)
    .expect(200);
  const admin = tenantId === env.tenantId ? env.admin : env.otherAdmin;
  const callback = new URL(
    await pickAccount(env, String(start.body.redirectUrl), tenantId, admin, { emulator_decision: 'accept' }),
  );
  const done = await session.agent.get(`${callback.pathname}${callback.search}`).expect(302);
  if (!String(done.headers['location']).endsWith('consent=granted')) {
    throw new Error(`consent failed: ${String(done.headers['location'])}`);
  }
}

/**
 * Users of a tenant without any directory role: people who are not its admins, e.g. a partner's
 * staff signing in with their own tenant's accounts.
 */
export function usersWithoutRoles(env: EmulatorTestApp, tenantId: string, count: number): EmulatedUser[] {
  const users = env.emulator.world
    .listSignInUsers(tenantId, 80)
    .filter((u) => u.roleTemplateIds.length === 0)
    .slice(0, count)
    .map((u) => ({ id: u.id, upn: u.userPrincipalName }));
  if (users.length < count) throw new Error(`tenant ${tenantId} has fewer than ${count} users without roles`);
  return users;
}

/** Runs the real command line in-process on the app's data dir and database, as its operator would. */
export async function runCliOn(
  env: EmulatorTestApp,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    },
    { config: env.app.get(AppConfig), actor: 'cli:operator' },
  );
  return { code, stdout, stderr };
}
