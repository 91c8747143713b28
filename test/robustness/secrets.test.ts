import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { buildDataSourceOptions } from '../../apps/api/src/persistence/data-source-options';
import { BackupLab, parseSummary } from './support/backup-lab';
import { EmulatorControl } from './support/emulator-control';

jest.setTimeout(180_000);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

describe('Secrets at rest and in logs', () => {
  let lab: BackupLab;
  let control: EmulatorControl;
  let exportDir: string;

  beforeAll(async () => {
    lab = await BackupLab.start({ users: 400 });
    control = new EmulatorControl(lab.emulator);
    exportDir = await mkdtemp(join(tmpdir(), 'entra-backup-secrets-export-'));
  });

  afterAll(async () => {
    await control.close();
    await lab.dispose(exportDir);
  });

  it('leaves no BitLocker key and no client secret in the data directory or the logs', async () => {
    const keys = (await control.truth(lab.tenantId, 'bitlockerRecoveryKeys')).map((k) => String(k['key']));
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.every((key) => /^\d{6}(-\d{6}){7}$/.test(key))).toBe(true);
    await lab.registerTenant('users,devices,enterpriseApps,bitlockerKeys');

    // A second connection keeps SQLite's WAL file in place after the CLI exits, so it is searched too.
    const database = new DataSource(
      buildDataSourceOptions(loadAppConfig({ ENTRA_BACKUP_DATA_DIR: lab.dataDir }).database),
    );
    await database.initialize();
    let logs = '';
    try {
      const env = { LOG_LEVEL: 'trace' };
      for (const argv of [
        ['backup', lab.tenantId, '--json'],
        ['backup', lab.tenantId, '--full', '--json'],
        ['snapshots', lab.tenantId],
        ['verify', lab.tenantId],
        // A key-less export inside the data directory: part of what is searched.
        ['export', lab.tenantId, '--out', join(lab.dataDir, 'exports', 'latest')],
      ]) {
        const result = await lab.spawnToEnd(argv, lab.dataDir, env);
        logs += result.stdout + result.stderr;
        expect({
          argv,
          code: result.code,
          errors: result.stderr.split('\n').filter((l) => l.startsWith('error')),
        }).toEqual({
          argv,
          code: 0,
          errors: [],
        });
        if (argv[0] === 'backup') {
          const summary = parseSummary(result.stdout);
          expect(summary.status).toBe('completed');
        }
      }

      // The keys really were backed up (so the search below can find a leak): they come back on request.
      const withSecrets = await lab.spawnToEnd([
        'export',
        lab.tenantId,
        '--types',
        'bitlockerKeys',
        '--include-secrets',
        '--out',
        exportDir,
      ]);
      expect(withSecrets.code).toBe(0);
      const exported = await readFile(join(exportDir, 'bitlockerKeys.jsonl'), 'utf8');
      expect(keys.every((key) => exported.includes(key))).toBe(true);

      const files = await filesUnder(lab.dataDir);
      const names = files.map((f) => f.slice(lab.dataDir.length + 1)).sort();
      expect(names).toEqual(
        expect.arrayContaining([
          'entra-backup.sqlite',
          'entra-backup.sqlite-wal',
          'master.key',
          join('exports', 'latest', 'bitlockerKeys.jsonl'),
        ]),
      );
      const needles = [...keys, lab.clientSecret].map((text) => ({ text, bytes: Buffer.from(text) }));
      for (const file of files) {
        const content = await readFile(file);
        const found = needles
          .filter((n) => content.includes(n.bytes))
          .map((n) => (n.text === lab.clientSecret ? 'client secret' : `key ${n.text}`));
        expect({ file, found }).toEqual({ file, found: [] });
      }
      const leakedInLogs = needles.filter((n) => logs.includes(n.text)).map((n) => n.text.slice(0, 6));
      expect(leakedInLogs).toEqual([]);
    } finally {
      await database.destroy();
      await rm(join(lab.dataDir, 'exports'), { recursive: true, force: true });
    }
  });
});
