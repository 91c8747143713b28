#!/usr/bin/env node
// Whether a build output is present and newer than every source it is built from.
//   node scripts/build-freshness.mjs server|portal   exit 0: fresh; exit 1: missing or stale (says why)
// `scripts/test.mjs` builds only what is missing or stale, and the tests of the compiled server and
// CLI run this check first, so a clean checkout or a stale dist/ fails them instead of skipping them
// or testing old code as current.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Per build: its outputs (all must exist), the source trees and files it is built from, and how to build it. */
export const BUILDS = {
  server: {
    outputs: ['dist/server/apps/api/src/main.js', 'dist/server/apps/cli/src/main.js'],
    sources: [
      'apps/api/src',
      'apps/cli/src',
      ...readdirSync(join(root, 'libs')).map((lib) => `libs/${lib}/src`),
      'tsconfig.json',
      'tsconfig.build.json',
    ],
    // Unit tests beside the code are not compiled.
    ignore: /\.spec\.ts$/,
    command: 'npm run build:server',
  },
  portal: {
    outputs: ['dist/portal/browser/index.html'],
    sources: [
      'apps/portal/src',
      'apps/portal/public',
      'libs/common/src',
      'angular.json',
      'apps/portal/tsconfig.app.json',
    ],
    ignore: /\.spec\.ts$/,
    command: 'npm run build:portal',
  },
};

function newestUnder(path, ignore) {
  const full = join(root, path);
  if (!existsSync(full)) return { at: 0, path };
  const stat = statSync(full);
  if (!stat.isDirectory()) return { at: stat.mtimeMs, path };
  let newest = { at: 0, path };
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isFile() && ignore.test(entry.name)) continue;
    const found = entry.isDirectory() || entry.isFile() ? newestUnder(child, ignore) : { at: 0, path: child };
    if (found.at > newest.at) newest = found;
  }
  return newest;
}

/** Undefined when the build is fresh, else why it is not. */
export function staleness(name) {
  const build = BUILDS[name];
  if (build === undefined)
    throw new Error(`Unknown build '${name}' (known: ${Object.keys(BUILDS).join(', ')})`);
  const missing = build.outputs.filter((output) => !existsSync(join(root, output)));
  if (missing.length > 0) return `${missing.join(', ')} missing: run \`${build.command}\``;
  const built = build.outputs
    .map((output) => ({ output, at: statSync(join(root, output)).mtimeMs }))
    .sort((a, b) => a.at - b.at)[0];
  const builtAt = built.at;
  let newest = { at: 0, path: '' };
  for (const source of build.sources) {
    const found = newestUnder(source, build.ignore);
    if (found.at > newest.at) newest = found;
  }
  if (newest.at > builtAt) {
    return (
      `${built.output} is older than ${relative(root, join(root, newest.path))} ` +
      `(built ${new Date(builtAt).toISOString()}, source changed ${new Date(newest.at).toISOString()}): run \`${build.command}\``
    );
  }
  return undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  if (names.length === 0 || names.some((name) => !(name in BUILDS))) {
    console.error(`usage: node scripts/build-freshness.mjs ${Object.keys(BUILDS).join('|')} ...`);
    process.exit(2);
  }
  let stale = false;
  for (const name of names) {
    const why = staleness(name);
    if (why !== undefined) {
      console.error(`${name} build is not current: ${why}`);
      stale = true;
    }
  }
  process.exit(stale ? 1 : 0);
}
