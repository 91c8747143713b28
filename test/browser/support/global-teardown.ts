import { rmSync } from 'node:fs';

/** Removes the throw-away data directory playwright.config.ts created for the test server. */
export default function globalTeardown(): void {
  const dataDir = process.env['ENTRA_BACKUP_E2E_DATA_DIR'];
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
