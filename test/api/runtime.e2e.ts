import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorBodySchema } from '@entra-backup/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { requireCurrentBuild } from '../support/compiled-build';
import { DataSource } from 'typeorm';
import {
  createTestDatabaseLocation,
  type TestDatabaseLocation,
} from '../../apps/api/test/support/test-database';
import { type EmulatorTestApp, grantConsent, signIn, startAppWithEmulator } from './support/emulator-app';
import { startTestApp, type TestApp } from './support/test-app';
import { freePort } from './support/free-port';

// Every test boots the application (Nest + migrations); leave room on a busy CI machine.
jest.setTimeout(30_000);

/** Each spawn boots Node and Nest; generous for a loaded CI machine. */
const SPAWN_TIMEOUT_MS = 60_000;

/*
 * How the service behaves as a running process: its health when the database goes away, on
 * PostgreSQL when TEST_DATABASE_URL is set (like the PostgreSQL persistence suite), and as the
 * compiled server, which must be built and current (`npm test` builds it first; a missing or
 * stale build fails the suite rather than dropping it).
 */

const root = join(__dirname, '..', '..');
const main = join(root, 'dist', 'server', 'apps', 'api', 'src', 'main.js');
const postgresEnabled = (process.env['TEST_DATABASE_URL'] ?? '').trim() !== '';

describe('health (e2e)', () => {
  let testApp: TestApp;
  let http: App;

  beforeEach(async () => {
    testApp = await startTestApp();
    http = testApp.app.getHttpServer() as App;
  });

  afterEach(async () => {
    await testApp.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE naming the database when it is down', async () => {
    await testApp.app.get(DataSource).destroy();

    const res = await request(http).get('/api/health').set('x-correlation-id', 'hc-1').expect(503);

    expect(errorBodySchema.parse(res.body)).toEqual({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'Unhealthy: database',
      correlationId: 'hc-1',
    });
  });
});

if (postgresEnabled) {
  describe('API on PostgreSQL (e2e)', () => {
    let location: TestDatabaseLocation;
    let env: EmulatorTestApp;

    beforeEach(async () => {
      location = await createTestDatabaseLocation('postgres');
      if (location.config.type !== 'postgres') throw new Error('expected a PostgreSQL location');
      // The app reads DATABASE_URL; the fresh schema goes in through the connection's search path.
      const url = new URL(location.config.url);
      url.searchParams.set('options', `-c search_path=${location.config.schema ?? 'public'}`);
      env = await startAppWithEmulator({ DATABASE_URL: url.toString() });
    });

    afterEach(async () => {
      await env.close();
      await location.drop();
    });

    it('migrates an empty database at start-up and serves sign-in, consent, tenants and settings', async () => {
      await request(env.http).get('/api/health').expect(200);
      const admin = await signIn(env, env.admin);
      const tenant = env.tenantId;
      await admin.agent
        .post('/api/tenants')
        .set('x-csrf-token', admin.csrfToken)
        .send({ tenantId: tenant, displayName: 'Contoso' })
        .expect(409);
      await grantConsent(env, admin);
      await admin.agent
        .put(`/api/tenants/${tenant}/settings`)
        .set('x-csrf-token', admin.csrfToken)
        .send({ enabledTypes: { users: true } })
        .expect(200);

      const res = await admin.agent.get(`/api/tenants/${tenant}/settings`).expect(200);

      expect(res.body.enabledTypes).toMatchObject({ users: true, groups: false });
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Whether something accepts TCP connections on the local port. */
function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
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

describe('compiled server: node dist/server/apps/api/src/main.js', () => {
  let dataDir = '';

  beforeAll(() => {
    requireCurrentBuild('server');
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-server-'));
  });

  afterEach(async () => {
    // Without a current build no test starts, and only the build check's message should be seen.
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
    dataDir = '';
  });

  /** Starts the compiled server in demo mode (no Microsoft credentials) on free ports. */
  async function startServer(): Promise<{
    child: ChildProcess;
    port: number;
    demoPort: number;
    exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  }> {
    const port = await freePort();
    const demoPort = await freePort();
    const child = spawn(process.execPath, [main], {
      env: {
        PATH: process.env['PATH'],
        NODE_ENV: 'production',
        PORT: String(port),
        ENTRA_BACKUP_DATA_DIR: dataDir,
        // No Microsoft credentials: the demo mode starts the emulator, on a free port here.
        ENTRA_BACKUP_DEMO_PORT: String(demoPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = exited(child);
    await listening(child);
    return { child, port, demoPort, exit };
  }

  it(
    'boots on SQLite, answers health, and exits 0 on SIGTERM with the app and the demo emulator closed',
    async () => {
      const { child, port, demoPort, exit } = await startServer();
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        expect(res.status).toBe(200);
        expect(existsSync(join(dataDir, 'entra-backup.sqlite'))).toBe(true);
        await expect(portIsOpen(demoPort)).resolves.toBe(true);
      } finally {
        child.kill('SIGTERM');
      }
      // The app (database included) and the emulator are closed, then the process exits by itself:
      // re-raising the signal would be ignored by a container's PID 1, which has no default actions.
      await expect(exit).resolves.toEqual({ code: 0, signal: null });
      await expect(portIsOpen(port)).resolves.toBe(false);
      await expect(portIsOpen(demoPort)).resolves.toBe(false);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'exits 0 on SIGINT within two seconds when idle',
    async () => {
      const { child, exit } = await startServer();
      const sentAt = Date.now();
      child.kill('SIGINT');

      await expect(exit).resolves.toEqual({ code: 0, signal: null });
      expect(Date.now() - sentAt).toBeLessThan(2_000);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'refuses to start with one message naming every bad variable',
    async () => {
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
    },
    SPAWN_TIMEOUT_MS,
  );
});
