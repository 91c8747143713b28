import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const main = join(root, 'dist', 'server', 'apps', 'api', 'src', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(),
      );
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Resolves once the server logs that it listens (production JSON logs on stdout). */
function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Listening on port')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

// The compiled server (npm run build:server) is exercised when it exists, as CI builds first;
// the same application is covered in-process by the other e2e suites.
describe.each(existsSync(main) ? ['compiled'] : [])('node dist/server/apps/api/src/main.js (%s)', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-server-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('boots on SQLite, answers health, and shuts down on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      env: {
        PATH: process.env['PATH'],
        NODE_ENV: 'production',
        PORT: String(port),
        ENTRA_BACKUP_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = exited(child);
    try {
      await listening(child);
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(res.status).toBe(200);
      expect(existsSync(join(dataDir, 'entra-backup.sqlite'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    // Nest closes the app (database included) and re-raises the signal once done.
    await expect(exit).resolves.toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('refuses to start with one message naming every bad variable', async () => {
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env['PATH'], PORT: '0', DATABASE_URL: 'mysql://db' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    await expect(exited(child)).resolves.toEqual({ code: 1, signal: null });
    expect(stderr).toBe(
      'Invalid configuration: PORT must be an integer between 1 and 65535; ' +
        'DATABASE_URL must start with postgres:// or postgresql://\n',
    );
  });
});
