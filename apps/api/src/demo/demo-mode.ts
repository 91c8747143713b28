import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { startEmulator, type RunningEmulator } from '@entra-backup/graph-emulator';
import type { AppConfig } from '../config/app-config';
import { ConsentGrantsService } from '../modules/consent/consent-grants.service';
import { requiredAppRoles } from '../modules/consent/consent-permissions';
import { TenantsService } from '../modules/tenants/tenants.service';
import { DEMO_SERVER_RECORD_FILE, forgetDemoServer, recordDemoServer } from './demo-connection';
import { loadOrCreateDemoCredentials } from './demo-credentials';

const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const DEMO_APP_NAME = 'Entra Backup (demo)';

export interface DemoMode {
  /** The configuration pointing Graph and sign-in at the emulator. */
  readonly config: AppConfig;
  readonly emulator: RunningEmulator;
  /** After the API started: re-applies recorded consents (the emulator keeps them in memory only) and logs how to sign in. */
  afterStart(app: INestApplicationContext): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Demo mode: without AZURE_CLIENT_ID and a credential the service starts the Microsoft Graph
 * and identity emulator in-process and uses it instead of Microsoft's cloud, so the whole flow can
 * be tried on one machine without a Microsoft account. The rest of the product runs unchanged:
 * it sees ordinary configuration (base URLs, client credentials, an extra trusted CA).
 */
export async function startDemoModeIfUnconfigured(config: AppConfig): Promise<DemoMode | undefined> {
  if (config.hasAppCredentials) return undefined;
  const logger = new Logger('DemoMode');
  const dataDir = join(config.storage.dataDir, 'emulator');
  const credentials = loadOrCreateDemoCredentials(dataDir);
  const { publicUrl } = config.auth;
  // The control API hands out every tenant's ground truth, BitLocker keys included: even on
  // localhost, only holders of this token may use it.
  const controlToken = config.auth.demoControlToken ?? randomBytes(32).toString('base64url');
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({
      port: config.auth.demoPort,
      host: config.auth.demoHost,
      dataDir,
      seed: 1,
      tenants: config.auth.demoTenants,
      usersPerTenant: 250,
      controlToken,
      apps: [
        {
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          displayName: DEMO_APP_NAME,
          redirectUris: [`${publicUrl}/api/auth/callback`, `${publicUrl}/api/consent/callback`],
          requiredAppRoles: requiredAppRoles(),
        },
      ],
    });
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `port ${config.auth.demoPort} is in use`
        : String(error);
    throw new Error(
      `Demo mode could not start the emulator (${reason}); set ENTRA_BACKUP_DEMO_PORT to a free port, or configure AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH`,
    );
  }
  // The CLI on the same data dir finds this emulator (and its CA) through this record.
  recordDemoServer(dataDir, {
    pid: process.pid,
    graphBaseUrl: emulator.graphBaseUrl,
    loginBaseUrl: emulator.loginBaseUrl,
    caCertPath: emulator.caCertPath,
    controlToken,
  });
  const demoConfig = config.withGraph(
    {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      graphBaseUrl: emulator.graphBaseUrl,
      loginBaseUrl: emulator.loginBaseUrl,
      caCertificates: [...config.graph.caCertificates, emulator.caCertPem],
    },
    { demoMode: true },
  );

  return {
    config: demoConfig,
    emulator,
    afterStart: async (app) => {
      await reapplyConsents(app, emulator, credentials.clientId);
      for (const line of signInHints(emulator, publicUrl, dataDir)) logger.warn(line);
    },
    stop: async () => {
      forgetDemoServer(dataDir, process.pid);
      await emulator.stop();
    },
  };
}

/** Consents the product recorded, given again in the emulator (whose directory lives in memory). */
async function reapplyConsents(
  app: INestApplicationContext,
  emulator: RunningEmulator,
  clientId: string,
): Promise<void> {
  const tenants = app.get(TenantsService, { strict: false });
  const grants = app.get(ConsentGrantsService, { strict: false });
  for (const tenant of (await tenants.list()).items) {
    const grant = await grants.find(tenant.tenantId);
    if (grant === null || emulator.world.getTenant(tenant.tenantId) === undefined) continue;
    emulator.world.applyAdminConsent(tenant.tenantId, { appId: clientId, displayName: DEMO_APP_NAME }, [
      ...grant.grantedRoles,
    ]);
  }
}

function signInHints(emulator: RunningEmulator, publicUrl: string, dataDir: string): string[] {
  const lines = [
    'DEMO MODE: AZURE_CLIENT_ID and a credential are not set, so Microsoft Graph and sign-in are served by',
    `the built-in emulator at ${emulator.baseUrl} (its CA: ${emulator.caCertPath}). No Microsoft account is needed.`,
    `Open ${publicUrl} and choose "Sign in with Microsoft 365"; on the emulator's page pick:`,
  ];
  for (const tenant of emulator.world.listTenants()) {
    const users = emulator.world.listSignInUsers(tenant.tenantId, 50);
    const admin = users.find((u) => u.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR));
    const member = users.find((u) => u.roleTemplateIds.length === 0);
    lines.push(
      `  ${tenant.displayName}: ${admin?.userPrincipalName ?? '-'} (Global Administrator), ${member?.userPrincipalName ?? '-'} (ordinary user, no access)`,
    );
  }
  lines.push(
    `The emulator's control API (${emulator.baseUrl}/_emulator) needs "Authorization: Bearer <controlToken>"; the token is in ${join(dataDir, DEMO_SERVER_RECORD_FILE)}.`,
    'Set AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) and ENTRA_BACKUP_PUBLIC_URL to use a real Microsoft Entra tenant.',
  );
  return lines;
}
