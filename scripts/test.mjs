#!/usr/bin/env node
// The README's test command: every suite of the project, in one run.
//   0. builds what the suites test compiled and is missing or older than its sources (the server
//      for Jest's tests of the compiled server and CLI, the portal too for the browser suite)
//   1. server tests (Jest): unit, integration (SQLite, plus PostgreSQL when TEST_DATABASE_URL is set), API e2e
//   2. portal unit tests (Angular's Vitest runner)
//   3. browser e2e (Playwright driving Debian's Chromium against the built API + portal)
// A suite fails when a test fails, when any test is skipped or left to do, and when it ran fewer
// tests than its floor in test/expected-counts.json (so tests that silently stop being
// discovered are noticed; raise the floor deliberately when tests are added).
// It prints one summary line at the end: "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILDS, staleness } from './build-freshness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = ['server', 'portal', 'browser'];
const only = process.argv.slice(2); // optional: server | portal | browser
const unknown = only.filter((name) => !SUITES.includes(name));
if (unknown.length > 0) {
  console.error(
    `Unknown test suite(s): ${unknown.join(', ')}. Known suites: ${SUITES.join(', ')} (none: all).`,
  );
  process.exit(2);
}
const wants = (name) => only.length === 0 || only.includes(name);
const results = [];
const postgres = Boolean(process.env.TEST_DATABASE_URL);
const EXPECTED_COUNTS = 'test/expected-counts.json';
const floors = JSON.parse(readFileSync(join(root, EXPECTED_COUNTS), 'utf8'));

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.error) console.error(`${label}: could not start ${cmd}: ${res.error.message}`);
  return res.status ?? 1;
}

/**
 * `counts`: passed, failed, skipped (skipped, pending and to-do tests). A runner that exits non-zero
 * without a failed test (crash, compile error, no tests) still fails the run; so does any skipped
 * test, and running fewer tests than the suite's floor.
 */
function record(suite, floorKey, { passed, failed, skipped }, status) {
  const problems = [];
  let extraFailures = status !== 0 && failed === 0 ? 1 : 0;
  if (skipped > 0) {
    problems.push(`${skipped} skipped or to-do test(s): skipped tests are not allowed`);
    extraFailures += skipped;
  }
  const ran = passed + failed + skipped;
  const floor = floors[floorKey];
  if (typeof floor !== 'number') {
    problems.push(`no expected count for '${floorKey}' in ${EXPECTED_COUNTS}`);
    extraFailures += 1;
  } else if (ran < floor) {
    problems.push(
      `${ran} tests ran, fewer than the ${floor} expected (${EXPECTED_COUNTS}, '${floorKey}'): ` +
        'tests were lost; if they were removed on purpose, lower the floor in the same change',
    );
    extraFailures += 1;
  } else if (ran > floor) {
    console.log(
      `${suite}: ${ran} tests ran (floor ${floor}); raise '${floorKey}' in ${EXPECTED_COUNTS} to keep them`,
    );
  }
  for (const problem of problems) console.error(`${suite}: ${problem}`);
  results.push({ suite, passed, failed: failed + extraFailures, status, problems });
}

/** Builds what is missing or stale among `names`; false when a build failed. */
function ensureBuilt(names) {
  for (const name of names) {
    const why = staleness(name);
    if (why === undefined) {
      console.log(`${name} build is current`);
      continue;
    }
    console.log(`${name} build: ${why}`);
    const [cmd, ...args] = BUILDS[name].command.split(' ');
    if (run(`build ${name}`, cmd, args) !== 0) return false;
  }
  return true;
}

const work = mkdtempSync(join(tmpdir(), 'entra-backup-test-'));
try {
  // Jest tests the compiled server and CLI too: build before, never after.
  const builds = [
    ...(wants('server') || wants('browser') ? ['server'] : []),
    ...(wants('browser') ? ['portal'] : []),
  ];
  let built = true;
  if (builds.length > 0) {
    if (wants('browser')) built = run('ensure Chromium', 'bash', ['scripts/ensure-chromium.sh']) === 0;
    built = built && ensureBuilt(builds);
  }

  if (wants('server')) {
    if (postgres) {
      console.log(`PostgreSQL suite: ON (TEST_DATABASE_URL is set)`);
    } else {
      console.log(
        'PostgreSQL suite: OFF — TEST_DATABASE_URL is not set, so persistence tests run on SQLite only. ' +
          'Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them on PostgreSQL too.',
      );
    }
    const counts = { passed: 0, failed: 0, skipped: 0 };
    let status = 1;
    if (built) {
      const out = join(work, 'jest.json');
      status = run('server tests (jest)', 'npx', ['jest', '--json', `--outputFile=${out}`, '--ci']);
      if (existsSync(out)) {
        const report = JSON.parse(readFileSync(out, 'utf8'));
        counts.passed = report.numPassedTests;
        counts.failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
        counts.skipped = report.numPendingTests + (report.numTodoTests ?? 0);
      }
    }
    record('server', postgres ? 'server+postgres' : 'server', counts, status);
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
    // Vitest's summary: "Tests  12 passed (12)" or "Tests  1 failed | 10 passed | 1 skipped | 2 todo (14)"
    // eslint-disable-next-line no-control-regex
    const text = `${res.stdout}\n${res.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    const line = text.split('\n').find((l) => /^\s*Tests\s+/.test(l)) ?? '';
    const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
    record(
      'portal',
      'portal',
      { passed: count('passed'), failed: count('failed'), skipped: count('skipped') + count('todo') },
      res.status ?? 1,
    );
  }

  if (wants('browser')) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    let status = built ? 0 : 1;
    if (built) {
      const out = join(work, 'playwright.json');
      status = run('browser e2e (playwright)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
        PLAYWRIGHT_JSON_OUTPUT_NAME: out,
      });
      if (existsSync(out)) {
        const stats = JSON.parse(readFileSync(out, 'utf8')).stats ?? {};
        counts.passed = stats.expected ?? 0;
        counts.failed = (stats.unexpected ?? 0) + (stats.flaky ?? 0);
        counts.skipped = stats.skipped ?? 0;
      }
    }
    record('browser', 'browser', counts, status);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('\n=== summary');
for (const r of results) {
  console.log(`${r.suite}: ${r.passed} passed, ${r.failed} failed (exit ${r.status})`);
  for (const problem of r.problems) console.log(`  ${problem}`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && results.every((r) => r.status === 0) ? 0 : 1);
