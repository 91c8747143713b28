import { defineConfig, devices } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Browser end-to-end tests: Debian's Chromium (never a downloaded browser, see
 * scripts/ensure-chromium.sh) against the built API serving the built portal, on a free port
 * with a fresh SQLite data directory. Build first: `npm run build`.
 *
 * The server runs in demo mode (no Microsoft app credentials): sign-in, admin consent and Graph
 * are served by the built-in emulator over HTTPS with its own CA on a second free port, so the
 * browser accepts that certificate (`ignoreHTTPSErrors`) as a user would after trusting the CA.
 *
 * Overrides: CHROME_BIN (another Chromium binary), ENTRA_BACKUP_E2E_PORT (a fixed port),
 * ENTRA_BACKUP_E2E_DEMO_PORT (a fixed port for the emulator).
 */

const SERVER_ENTRY = 'dist/server/apps/api/src/main.js';
const PORTAL_INDEX = 'dist/portal/browser/index.html';

for (const [file, script] of [
  [SERVER_ENTRY, 'npm run build:server'],
  [PORTAL_INDEX, 'npm run build:portal'],
] as const) {
  if (!existsSync(join(__dirname, file))) {
    throw new Error(
      `Browser tests need the built app: ${file} is missing. Run \`${script}\` (or \`npm run build\`).`,
    );
  }
}

/** Asks the OS for a port nobody listens on (synchronously: the config is loaded synchronously). */
function findFreePort(): string {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });",
    ],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0 || !/^\d+$/.test(probe.stdout)) {
    throw new Error(`Could not find a free port for the browser tests: ${probe.stderr || probe.stdout}`);
  }
  return probe.stdout;
}

// Playwright loads this file again in every worker process; the environment carries the
// choices made by the first load so that all of them talk to the same server.
process.env['ENTRA_BACKUP_E2E_PORT'] ??= findFreePort();
process.env['ENTRA_BACKUP_E2E_DEMO_PORT'] ??= findFreePort();
// The demo emulator's control API (ground truth, edits) answers only this run's token.
process.env['ENTRA_BACKUP_E2E_DEMO_CONTROL_TOKEN'] ??= randomBytes(32).toString('base64url');
if (process.env['ENTRA_BACKUP_E2E_DATA_DIR'] === undefined) {
  const created = mkdtempSync(join(tmpdir(), 'entra-backup-e2e-'));
  process.env['ENTRA_BACKUP_E2E_DATA_DIR'] = created;
  // The process that created the directory is the runner, which outlives the server it starts
  // (also for `--list`, which starts none).
  process.on('exit', () => rmSync(created, { recursive: true, force: true }));
}
const port = process.env['ENTRA_BACKUP_E2E_PORT'];
const demoPort = process.env['ENTRA_BACKUP_E2E_DEMO_PORT'];
const dataDir = process.env['ENTRA_BACKUP_E2E_DATA_DIR'];
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/browser',
  // The specs walk one shared server and database through a flow, step by step.
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    baseURL,
    // A laptop screen, the smallest size the portal is designed for.
    viewport: { width: 1366, height: 768 },
    ignoreHTTPSErrors: true,
    locale: 'en-US',
    timezoneId: 'UTC',
    // Material skips its enter/leave animations for reduced motion, so a screenshot taken right
    // after an element appears shows it fully drawn.
    contextOptions: { reducedMotion: 'reduce' },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env['CHROME_BIN'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    },
  },
  webServer: {
    command: `node ${SERVER_ENTRY}`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      NODE_ENV: 'production',
      PORT: port,
      ENTRA_BACKUP_DATA_DIR: dataDir,
      ENTRA_BACKUP_PUBLIC_URL: baseURL,
      ENTRA_BACKUP_DEMO_PORT: demoPort,
      ENTRA_BACKUP_DEMO_CONTROL_TOKEN: process.env['ENTRA_BACKUP_E2E_DEMO_CONTROL_TOKEN'],
      // The shared specs use the first demo organization and admin-flow.spec.ts the second; the
      // partner portal's walk takes five more: the partner's own staff and four customers.
      ENTRA_BACKUP_DEMO_TENANTS: '7',
      // Demo mode: the emulator stands in for Microsoft's cloud, whatever the shell has set.
      AZURE_CLIENT_ID: '',
      AZURE_CLIENT_SECRET: '',
      LOG_LEVEL: 'warn',
    },
  },
});
