import { accessSync, constants, mkdirSync } from 'node:fs';
import { ConfigurationError } from './app-config';

/**
 * Fails the start with one readable message when the data directory cannot be created or written:
 * the usual cause is a host directory mounted at the container's `/data` that belongs to root,
 * while the service runs as the image's `node` user (uid 1000). Without this check the first
 * write deep inside start-up fails with a bare `EACCES ... mkdir '/data/emulator'`.
 */
export function ensureWritableDataDir(dataDir: string, uid: number | undefined = process.getuid?.()): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const who = uid === undefined ? 'this process' : `this process (uid ${uid})`;
    throw new ConfigurationError([
      `ENTRA_BACKUP_DATA_DIR ${dataDir} cannot be created or written by ${who}: ${code}. ` +
        'Make it writable for that user (in a container: a named volume, or `chown 1000:1000` on the mounted host directory), or point ENTRA_BACKUP_DATA_DIR elsewhere',
    ]);
  }
}
