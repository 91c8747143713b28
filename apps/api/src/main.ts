import 'reflect-metadata';
import { type INestApplication, Logger } from '@nestjs/common';
import { ConfigurationError, loadAppConfig } from './config/app-config';
import { ensureWritableDataDir } from './config/data-dir';
import { startServer } from './bootstrap';
import { stopOnSignals } from './core/lifecycle/stop-on-signals';
import { startDemoModeIfUnconfigured, type DemoMode } from './demo/demo-mode';

async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig();
    ensureWritableDataDir(config.storage.dataDir);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Without Microsoft app credentials the built-in emulator stands in for Microsoft (demo mode).
  const demo = await startDemoModeIfUnconfigured(config);
  const started: { app?: INestApplication } = {};
  const logger = new Logger('Shutdown');
  // Installed before the app starts, so a stop during start-up also closes the emulator.
  stopOnSignals(() => stopAll(started.app, demo), {
    process,
    log: (message) => logger.log(message),
    error: (message) => logger.error(message),
  });
  started.app = await startServer(demo?.config ?? config);
  await demo?.afterStart(started.app);
}

/**
 * The app first (it stops running backups and restores, which still talk to the emulator, stops
 * listening and closes the database), then the demo emulator.
 */
async function stopAll(app: INestApplication | undefined, demo: DemoMode | undefined): Promise<void> {
  try {
    await app?.close();
  } finally {
    await demo?.stop();
  }
}

main().catch((error: unknown) => {
  console.error('entra-backup failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
