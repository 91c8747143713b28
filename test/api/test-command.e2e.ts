import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** `npm test` (scripts/test.mjs) refuses what it cannot run instead of reporting 0 tests as a success. */
describe('scripts/test.mjs', () => {
  it('exits 2 naming the known suites for an unknown suite, and runs nothing', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'test.mjs'), 'server', 'unicorns'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
    });

    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'Unknown test suite(s): unicorns. Known suites: server, portal, browser (none: all).\n',
    );
    expect(result.stdout).toBe('');
  });
});
