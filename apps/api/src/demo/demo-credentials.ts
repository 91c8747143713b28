import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DemoCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

const FILE = 'demo-app.json';

/**
 * The demo app registration's client id and secret: generated on the first demo start and kept in
 * the emulator's data directory (mode 0600), so sessions and consents stay valid across restarts.
 */
export function loadOrCreateDemoCredentials(dir: string): DemoCredentials {
  const stored = readDemoCredentials(dir);
  if (stored !== undefined) return stored;
  const path = join(dir, FILE);
  mkdirSync(dir, { recursive: true });
  const credentials: DemoCredentials = {
    clientId: randomUUID(),
    clientSecret: randomBytes(30).toString('base64url'),
  };
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return credentials;
}

/** The stored demo credentials, or undefined when no demo server has run on this data dir. */
export function readDemoCredentials(dir: string): DemoCredentials | undefined {
  const path = join(dir, FILE);
  if (!existsSync(path)) return undefined;
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<DemoCredentials>;
    if (typeof stored.clientId === 'string' && typeof stored.clientSecret === 'string') {
      return { clientId: stored.clientId, clientSecret: stored.clientSecret };
    }
  } catch {
    // A damaged file is replaced by the demo start-up.
  }
  return undefined;
}
