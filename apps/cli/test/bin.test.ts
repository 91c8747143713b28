import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireCurrentBuild } from '../../../test/support/compiled-build';

/** Each spawn boots Node and Nest; generous for a loaded CI machine. */
const SPAWN_TIMEOUT_MS = 60_000;

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'bin', 'entra-backup.js');

interface Spawned {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnBin(args: string[], env: NodeJS.ProcessEnv, launcher = bin): Promise<Spawned> {
  return new Promise((resolve) => {
    execFile(process.execPath, [launcher, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('bin/entra-backup.js before a build', () => {
  let packageDir: string;

  beforeEach(async () => {
    packageDir = await mkdtemp(join(tmpdir(), 'entra-backup-unbuilt-'));
    await mkdir(join(packageDir, 'bin'));
    await copyFile(bin, join(packageDir, 'bin', 'entra-backup.js'));
  });

  afterEach(async () => {
    await rm(packageDir, { recursive: true, force: true });
  });

  it(
    'says how to build instead of failing with a stack trace',
    async () => {
      const result = await spawnBin(
        ['--help'],
        { PATH: process.env['PATH'] },
        join(packageDir, 'bin', 'entra-backup.js'),
      );

      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('Run `npm run build:server` first.');
    },
    SPAWN_TIMEOUT_MS,
  );
});

// The compiled launcher, against the current build (`npm test` builds it first; a missing or stale
// build fails here); every command's behaviour is covered in-process by cli.test.ts.
describe('bin/entra-backup.js with the compiled CLI', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    requireCurrentBuild('server');
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-bin-'));
    env = { PATH: process.env['PATH'], NODE_ENV: 'test', ENTRA_BACKUP_DATA_DIR: dataDir };
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'runs commands and exits with their codes',
    async () => {
      const help = await spawnBin(['--help'], env);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toContain('Usage: entra-backup');

      const add = await spawnBin(
        ['tenant', 'add', '72f988bf-86f1-41af-91ab-2d7cd011db47', '--name', 'Contoso'],
        env,
      );
      expect(add).toMatchObject({ code: 0, stderr: '' });

      const list = await spawnBin(['tenant', 'list', '--json'], env);
      expect(JSON.parse(list.stdout)).toMatchObject({ items: [{ displayName: 'Contoso' }] });

      const bad = await spawnBin(['tenant', 'add', 'nope', '--name', 'x'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'stops with one line naming every bad variable',
    async () => {
      const result = await spawnBin(['tenant', 'list'], { ...env, PORT: 'abc', LOG_LEVEL: 'loud' });

      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'error: Invalid configuration: PORT must be an integer between 1 and 65535; ' +
          'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent\n',
      );
    },
    SPAWN_TIMEOUT_MS,
  );
});
