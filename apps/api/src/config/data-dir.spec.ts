import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from './app-config';
import { ensureWritableDataDir } from './data-dir';

describe(ensureWritableDataDir.name, () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'entra-backup-data-dir-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a missing data directory, private to the service', () => {
    const dataDir = join(root, 'nested', 'data');

    ensureWritableDataDir(dataDir, 1000);

    expect(statSync(dataDir).isDirectory()).toBe(true);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('names the directory, the user and what to do when it cannot be created', () => {
    // A file where a parent directory should be: mkdir fails even for root.
    writeFileSync(join(root, 'not-a-directory'), '');
    const dataDir = join(root, 'not-a-directory', 'data');

    expect(() => ensureWritableDataDir(dataDir, 1000)).toThrow(ConfigurationError);
    expect(() => ensureWritableDataDir(dataDir, 1000)).toThrow(
      `Invalid configuration: ENTRA_BACKUP_DATA_DIR ${dataDir} cannot be created or written by this process (uid 1000): ENOTDIR. ` +
        'Make it writable for that user (in a container: a named volume, or `chown 1000:1000` on the mounted host directory), or point ENTRA_BACKUP_DATA_DIR elsewhere',
    );
  });
});
