import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../../apps/api/src/bootstrap';
import { type EnvironmentRecord, loadAppConfig } from '../../../apps/api/src/config/app-config';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly dataDir: string;
  close(): Promise<void>;
}

/**
 * The real application on a fresh temporary data directory (SQLite), configured through the
 * same environment parsing as production. Extra variables override the defaults.
 */
export async function startTestApp(env: EnvironmentRecord = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-e2e-'));
  const config = loadAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ENTRA_BACKUP_DATA_DIR: dataDir,
    ENTRA_BACKUP_PORTAL_DIR: join(dataDir, 'no-portal'),
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  return {
    app,
    dataDir,
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
