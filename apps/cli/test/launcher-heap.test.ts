import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The old-generation cap the launcher's shebang gives the CLI, in MB. */
function launcherCap(): { flags: string[]; mb: number } {
  const shebang = read('bin/entra-backup.js').split('\n', 1)[0]!;
  const match = /^#!\/usr\/bin\/env -S node (.*)$/.exec(shebang);
  expect(match).not.toBeNull();
  const flags = match![1]!.trim().split(/\s+/);
  const cap = flags.map((f) => /^--max-old-space-size=(\d+)$/.exec(f)).find(Boolean);
  expect(cap).toBeDefined();
  return { flags, mb: Number(cap![1]) };
}

describe('the heap cap the CLI and the server run with', () => {
  it('is applied by the launcher shebang: node started that way reports the capped heap limit', () => {
    const { flags, mb } = launcherCap();
    const limit = Number(
      execFileSync(
        '/usr/bin/env',
        [
          '-S',
          `${process.execPath} ${flags.join(' ')}`,
          '-e',
          'process.stdout.write(String(require("v8").getHeapStatistics().heap_size_limit))',
        ],
        { encoding: 'utf8' },
      ),
    );
    // heap_size_limit adds the young generation to the old-generation cap.
    expect(limit / 1024 / 1024).toBeGreaterThanOrEqual(mb);
    expect(limit / 1024 / 1024).toBeLessThan(mb + 64);
  });

  it('is the same for the server in the container image and under npm start', () => {
    const { flags } = launcherCap();
    expect(read('Dockerfile')).toContain(`NODE_OPTIONS="${flags.join(' ')}"`);
    for (const flag of flags) expect(read('scripts/start.mjs')).toContain(`'${flag}'`);
  });
});
