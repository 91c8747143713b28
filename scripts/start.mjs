#!/usr/bin/env node
// `npm start`: builds what is missing or out of date (server, portal), then runs the service
// in production mode on the configured port (SQLite under ./data unless DATABASE_URL is set).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p)) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        visit(join(p, entry));
      }
    } else if (!/\.(spec|test|e2e)\.ts$/.test(p)) {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  paths.forEach((p) => visit(join(root, p)));
  return newest;
}

function outdated(output, sources) {
  const out = join(root, output);
  return !existsSync(out) || statSync(out).mtimeMs < newestMtime(sources);
}

function build(script) {
  console.log(`entra-backup: building (${script})...`);
  const res = spawnSync('npm', ['run', script], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`entra-backup: 'npm run ${script}' failed; fix the error above and run npm start again.`);
    process.exit(res.status ?? 1);
  }
}

const shared = ['libs', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
if (outdated('dist/server/apps/api/src/main.js', ['apps/api/src', 'apps/cli/src', ...shared]))
  build('build:server');
if (outdated('dist/portal/browser/index.html', ['apps/portal', 'libs/common', 'angular.json']))
  build('build:portal');

// The same heap flags as the CLI launcher and the Dockerfile (see bin/entra-backup.js), each
// unless NODE_OPTIONS sets it (flags on the command line would override NODE_OPTIONS).
const heapCap = ['--max-old-space-size=160', '--max-semi-space-size=8'].filter(
  (flag) => !(process.env.NODE_OPTIONS ?? '').includes(flag.split('=')[0]),
);
const child = spawn(process.execPath, [...heapCap, join(root, 'dist/server/apps/api/src/main.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
