import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** The SQLite database of a fresh installation, its WAL files and its directory are private. */
describe('SQLite file permissions', () => {
  let root: string;
  let previousUmask: number;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'entra-backup-mode-'));
    // The usual umask, under which files are created world-readable unless asked otherwise.
    previousUmask = process.umask(0o022);
  });

  afterEach(async () => {
    process.umask(previousUmask);
    await rm(root, { recursive: true, force: true });
  });

  async function openAndWrite(dataDir: string): Promise<string> {
    const config = loadAppConfig({ NODE_ENV: 'test', ENTRA_BACKUP_DATA_DIR: dataDir });
    if (config.database.type !== 'sqlite') throw new Error('expected SQLite');
    const dataSource = await new DataSource(buildDataSourceOptions(config.database)).initialize();
    try {
      await dataSource.query('CREATE TABLE IF NOT EXISTS probe (x TEXT)');
      await dataSource.query("INSERT INTO probe (x) VALUES ('y')");
      const path = config.database.path;
      expect(modeOf(path)).toBe(0o600);
      expect(modeOf(`${path}-wal`)).toBe(0o600);
      expect(modeOf(`${path}-shm`)).toBe(0o600);
      return path;
    } finally {
      await dataSource.destroy();
    }
  }

  it('creates the data directory 0700 and the database, -wal and -shm 0600', async () => {
    const dataDir = join(root, 'data');
    await openAndWrite(dataDir);
    expect(modeOf(dataDir)).toBe(0o700);
  });

  it('tightens the files of an installation that made them world-readable', async () => {
    const dataDir = join(root, 'old');
    const path = await openAndWrite(dataDir);
    chmodSync(dataDir, 0o755);
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);

    await openAndWrite(dataDir);

    expect(modeOf(dataDir)).toBe(0o700);
  });
});
