import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { MasterKeyProvider } from '../../apps/api/src/modules/backup-storage/crypto/master-key.provider';
import { buildDataSourceOptions } from '../../apps/api/src/persistence/data-source-options';
import { privateKeySecrets, SecretScanner, unsealedValues } from '../../apps/api/test/support/secret-scan';
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

// How the scan is proved able to fail (a no-op cipher, encoded forms): apps/api/test/integration/secret-scan.test.ts.

describe('Secrets at rest and in logs', () => {
  let lab: BackupLab;
  let control: EmulatorControl;
  let exportDir: string;

  beforeAll(async () => {
    lab = await BackupLab.start({ users: 400, certificate: true });
    control = new EmulatorControl(lab.emulator);
    exportDir = await mkdtemp(join(tmpdir(), 'entra-backup-secrets-export-'));
  });

  afterAll(async () => {
    await control.close();
    await lab.dispose(exportDir);
  });

  it('leaves no BitLocker key, client secret or certificate key in the data directory, the database or the logs, in any form', async () => {
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
      const trace = { LOG_LEVEL: 'trace' };
      // One backup authenticates with the client secret, the next with the certificate.
      for (const [argv, env] of [
        [['backup', lab.tenantId, '--json'], trace],
        [['backup', lab.tenantId, '--full', '--json'], { ...trace, ...lab.certificateEnv() }],
        [['snapshots', lab.tenantId], trace],
        [['verify', lab.tenantId], trace],
        // A key-less export inside the data directory: part of what is searched.
        [['export', lab.tenantId, '--out', join(lab.dataDir, 'exports', 'latest')], trace],
      ] as const) {
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
      const scanner = new SecretScanner([
        ...keys.map((key) => ({ label: `key ${key.slice(0, 6)}`, value: key })),
        { label: 'client secret', value: lab.clientSecret },
        ...privateKeySecrets('certificate private key', lab.certificate!.privateKeyPem),
      ]);
      // Files as they are (the database file included), every database value decoded and
      // decompressed (payloads are compressed before they are sealed), and the logs.
      expect(await scanner.scanDirectory(lab.dataDir)).toEqual([]);
      expect(await scanner.scanDatabase(database)).toEqual([]);
      expect(scanner.scanValue('logs', logs)).toEqual([]);
      // Every sealed value carries the sealed format's header with the data directory's key id.
      const keyId = (await MasterKeyProvider.load({ dataDir: lab.dataDir })).currentKey().id;
      expect(await unsealedValues(database, keyId)).toEqual([]);
    } finally {
      await database.destroy();
      await rm(join(lab.dataDir, 'exports'), { recursive: true, force: true });
    }
  });
});
