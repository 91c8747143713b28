import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const CHECK = join(__dirname, '..', '..', 'scripts', 'build-freshness.mjs');

/**
 * Throws unless the build is present and newer than its sources (`scripts/build-freshness.mjs`):
 * tests of the compiled server or CLI call it first, so a missing or stale `dist/` fails them
 * instead of skipping them or testing old code as current. `npm test` builds what is stale first.
 */
export function requireCurrentBuild(name: 'server' | 'portal'): void {
  const check = spawnSync(process.execPath, [CHECK, name], { encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(
      `${check.stderr.trim() || `the ${name} build check failed`} — these tests run the compiled ${name}; ` +
        '`npm test` (scripts/test.mjs) builds it before running them',
    );
  }
}
