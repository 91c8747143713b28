import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { readDemoCredentials } from './demo-credentials';

/** Where a demo server records its emulator, in the emulator's directory of the data dir. */
export const DEMO_SERVER_RECORD_FILE = 'demo-server.json';
const RECORD_FILE = DEMO_SERVER_RECORD_FILE;

/** What a running demo server tells other processes (the CLI) on the same data dir. */
export interface DemoServerRecord {
  readonly pid: number;
  readonly graphBaseUrl: string;
  readonly loginBaseUrl: string;
  readonly caCertPath: string;
  /** The bearer token of the emulator's control API (this file is readable by its owner only). */
  readonly controlToken?: string;
}

export function demoEmulatorDir(config: AppConfig): string {
  return join(config.storage.dataDir, 'emulator');
}

/** Written by the demo start-up once its emulator listens; removed when it stops. */
export function recordDemoServer(dir: string, record: DemoServerRecord): void {
  const path = join(dir, RECORD_FILE);
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  // It holds the control token: private even when an older file was not.
  chmodSync(path, 0o600);
}

export function forgetDemoServer(dir: string, pid: number): void {
  const current = readRecord(dir);
  if (current?.pid === pid) rmSync(join(dir, RECORD_FILE), { force: true });
}

/** How a process without Microsoft app credentials reaches Graph. */
export type DemoConnection =
  /** App credentials are configured: Microsoft's cloud (or whatever the URLs name). */
  | { readonly kind: 'configured'; readonly config: AppConfig }
  /** A demo server runs on this data dir: its emulator, with the demo app's credentials. */
  | { readonly kind: 'demo'; readonly config: AppConfig; readonly emulatorUrl: string }
  /** Neither: commands that need Graph fail; `hint` says what to do. */
  | { readonly kind: 'none'; readonly config: AppConfig; readonly hint: string };

/**
 * Decides how a second process on the same data dir (the CLI next to `npm start`) reaches Graph
 * in demo mode: through the running demo server's emulator, with the demo app's credentials and
 * the emulator's CA, all read from the data dir. The emulator keeps its directory in memory, so
 * only the server's running instance has the tenants' current state and consent.
 * @param isRunning whether a process id is alive (a double in tests)
 */
export function connectToDemoServer(
  config: AppConfig,
  isRunning: (pid: number) => boolean = processIsRunning,
): DemoConnection {
  if (config.hasAppCredentials) return { kind: 'configured', config };
  const dir = demoEmulatorDir(config);
  const record = readRecord(dir);
  const credentials = readDemoCredentials(dir);
  const hint =
    `no Microsoft app credentials are configured and no demo server runs on the data dir ${config.storage.dataDir}: ` +
    'start the server in demo mode (npm start) with the same ENTRA_BACKUP_DATA_DIR, or set AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH';
  if (record === undefined || credentials === undefined || !isRunning(record.pid)) {
    return { kind: 'none', config, hint };
  }
  let ca: string;
  try {
    ca = readFileSync(record.caCertPath, 'utf8');
  } catch {
    return { kind: 'none', config, hint };
  }
  return {
    kind: 'demo',
    emulatorUrl: record.graphBaseUrl,
    config: config.withGraph(
      {
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        graphBaseUrl: record.graphBaseUrl,
        loginBaseUrl: record.loginBaseUrl,
        caCertificates: [...config.graph.caCertificates, ca],
      },
      { demoMode: true },
    ),
  };
}

function readRecord(dir: string): DemoServerRecord | undefined {
  const path = join(dir, RECORD_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<DemoServerRecord>;
    const { pid, graphBaseUrl, loginBaseUrl, caCertPath } = parsed;
    if (
      typeof pid !== 'number' ||
      typeof graphBaseUrl !== 'string' ||
      typeof loginBaseUrl !== 'string' ||
      typeof caCertPath !== 'string'
    )
      return undefined;
    return { pid, graphBaseUrl, loginBaseUrl, caCertPath };
  } catch {
    return undefined;
  }
}

/** Signal 0 only checks that the process exists; EPERM means it exists under another user. */
function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
