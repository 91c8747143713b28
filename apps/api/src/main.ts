import 'reflect-metadata';
import { ConfigurationError, loadAppConfig } from './config/app-config';
import { startServer } from './bootstrap';

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
  await startServer(config);
}

main().catch((error: unknown) => {
  console.error('entra-backup failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
