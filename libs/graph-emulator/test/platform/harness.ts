import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegisteredApp } from '../../src/identity/app-registry';
import type { FaultConfigInput } from '../../src/platform/fault-injector';
import { AdjustableClock, type EmulatorClock } from '../../src/shared/world-port';
import { startEmulator, type RunningEmulator } from '../../src/server/start-emulator';
import { fakeDirectory, type FakeWorld, TENANT_A } from './fake-directory';
import { httpsCall } from './https-client';

export const APP: RegisteredApp = {
  clientId: 'aaaaaaaa-0000-4000-8000-00000000000a',
  clientSecret: 'demo~secret.value-1',
  displayName: 'Entra Backup (test)',
  redirectUris: ['http://localhost:3000/auth/callback', 'https://app.example.com/consent/callback'],
  requiredAppRoles: ['User.Read.All', 'Group.Read.All', 'AuditLog.Read.All'],
};

/** One data dir per test process: the CA and signing key are generated once and reused. */
const dataDir = mkdtempSync(join(tmpdir(), 'emulator-platform-'));

export async function startTestEmulator(
  overrides: {
    faults?: FaultConfigInput;
    apps?: RegisteredApp[];
    clock?: EmulatorClock;
    controlToken?: string;
  } = {},
): Promise<RunningEmulator<FakeWorld>> {
  return startEmulator({
    port: 0,
    dataDir,
    // The fake directory's tenants have 5 users: small tenants for throttling.
    usersPerTenant: 5,
    apps: overrides.apps ?? [APP],
    clock: overrides.clock ?? new AdjustableClock(),
    directory: fakeDirectory,
    ...(overrides.faults ? { faults: overrides.faults } : {}),
    ...(overrides.controlToken === undefined ? {} : { controlToken: overrides.controlToken }),
  });
}

/** An emulator clock that moves only when a test moves it, so rate limits do not refill while a test runs. */
export class FrozenClock implements EmulatorClock {
  private t = Date.now();
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(epochMs: number): void {
    this.t = epochMs;
  }
}

/** Grants admin consent for `APP` in a tenant the way a test would: directly in the world. */
export function consentDirectly(
  emulator: RunningEmulator<FakeWorld>,
  tenantId = TENANT_A.tenantId,
  roles = APP.requiredAppRoles,
): void {
  emulator.world.applyAdminConsent(tenantId, { appId: APP.clientId, displayName: APP.displayName }, roles);
}

export async function appToken(
  emulator: RunningEmulator<FakeWorld>,
  tenantId = TENANT_A.tenantId,
): Promise<string> {
  const res = await httpsCall(`${emulator.loginBaseUrl}/${tenantId}/oauth2/v2.0/token`, emulator.caCertPem, {
    form: {
      grant_type: 'client_credentials',
      client_id: APP.clientId,
      client_secret: APP.clientSecret ?? '',
      scope: 'https://graph.microsoft.com/.default',
    },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.json<{ access_token: string }>().access_token;
}
