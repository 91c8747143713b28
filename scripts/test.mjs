#!/usr/bin/env node
// The README's test command: every suite of the project, in one run.
//   1. server tests (Jest): unit, integration (SQLite, plus PostgreSQL when TEST_DATABASE_URL is set), API e2e
//   2. portal unit tests (Angular's Vitest runner)
//   3. browser e2e (Playwright driving Debian's Chromium against the built API + portal)
// It prints one summary line at the end: "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2); // optional: server | portal | browser
const wants = (name) => only.length === 0 || only.includes(name);
const results = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.error) console.error(`${label}: could not start ${cmd}: ${res.error.message}`);
  return res.status ?? 1;
}

function record(suite, passed, failed, status) {
  // A runner that exits non-zero without a failed test (crash, compile error, no tests) still fails the run.
  const extraFailure = status !== 0 && failed === 0 ? 1 : 0;
  results.push({ suite, passed, failed: failed + extraFailure, status });
}

const work = mkdtempSync(join(tmpdir(), 'entra-backup-test-'));
try {
  if (wants('server')) {
    if (process.env.TEST_DATABASE_URL) {
      console.log(`PostgreSQL suite: ON (TEST_DATABASE_URL is set)`);
    } else {
      console.log(
        'PostgreSQL suite: OFF — TEST_DATABASE_URL is not set, so persistence tests run on SQLite only. ' +
          'Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them on PostgreSQL too.',
      );
    }
    const out = join(work, 'jest.json');
    const status = run('server tests (jest)', 'npx', ['jest', '--json', `--outputFile=${out}`, '--ci']);
    let passed = 0;
    let failed = 0;
    if (existsSync(out)) {
      const report = JSON.parse(readFileSync(out, 'utf8'));
      passed = report.numPassedTests;
      failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
      if (report.numPendingTests > 0) {
        console.error(
          `server tests: ${report.numPendingTests} skipped test(s) — skipped tests are not allowed`,
        );
        failed += report.numPendingTests;
      }
    }
    record('server', passed, failed, status);
  }

  if (wants('portal')) {
    console.log('\n=== portal unit tests (ng test)');
    const res = spawnSync('npx', ['ng', 'test', 'portal', '--watch=false'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NG_CLI_ANALYTICS: 'false', CI: 'true' },
    });
    process.stdout.write(res.stdout ?? '');
    process.stderr.write(res.stderr ?? '');
    // Vitest's summary: "Tests  12 passed (12)" or "Tests  1 failed | 11 passed (12)"
    // eslint-disable-next-line no-control-regex
    const text = `${res.stdout}\n${res.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    const line = text.split('\n').find((l) => /^\s*Tests\s+/.test(l)) ?? '';
    const passed = Number(/(\d+) passed/.exec(line)?.[1] ?? 0);
    const failed = Number(/(\d+) failed/.exec(line)?.[1] ?? 0);
    record('portal', passed, failed, res.status ?? 1);
  }

  if (wants('browser')) {
    let status = run('ensure Chromium', 'bash', ['scripts/ensure-chromium.sh']);
    if (status === 0) status = run('build server and portal', 'npm', ['run', 'build']);
    let passed = 0;
    let failed = 0;
    if (status === 0) {
      const out = join(work, 'playwright.json');
      status = run('browser e2e (playwright)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
        PLAYWRIGHT_JSON_OUTPUT_NAME: out,
      });
      if (existsSync(out)) {
        const stats = JSON.parse(readFileSync(out, 'utf8')).stats ?? {};
        passed = stats.expected ?? 0;
        failed = (stats.unexpected ?? 0) + (stats.flaky ?? 0) + (stats.skipped ?? 0);
      }
    }
    record('browser', passed, failed, status);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.suite}: ${r.passed} passed, ${r.failed} failed (exit ${r.status})`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.every((r) => r.status === 0) ? 0 : 1);
