import 'reflect-metadata';
import { ConfigurationError, loadAppConfig } from './config/app-config';
import { startServer } from './bootstrap';
import { startDemoModeIfUnconfigured } from './demo/demo-mode';

async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Without Microsoft app credentials the built-in emulator stands in for Microsoft (demo mode).
  const demo = await startDemoModeIfUnconfigured(config);
  const app = await startServer(demo?.config ?? config);
  await demo?.afterStart(app);
}

main().catch((error: unknown) => {
  console.error('entra-backup failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
