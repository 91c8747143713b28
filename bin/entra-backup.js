#!/usr/bin/env -S node --max-old-space-size=160 --max-semi-space-size=8
'use strict';

// The CLI is TypeScript compiled to dist/server by `npm run build:server`; this launcher only
// finds it, so `npx entra-backup` works from a built checkout or an installed package.
//
// The shebang caps V8's old generation at 160 MB and its young-generation semi-spaces at 8 MB
// (the same flags as the server: Dockerfile, scripts/start.mjs). By default V8 sizes its heap
// from the machine's memory (about 4 GB on an 8 GB host) and collects lazily, so a streaming
// backup whose live data stays well below 100 MB would still grow to several hundred MB of
// garbage; with these flags a 100,000-user backup peaks near 250 MB at the same speed.
// NODE_OPTIONS=--max-old-space-size=N overrides the cap, e.g. for tenants far beyond 100,000 users.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'server', 'apps', 'cli', 'src', 'main.js');

if (!existsSync(entry)) {
  console.error(`entra-backup is not built yet (missing ${entry}). Run \`npm run build:server\` first.`);
  process.exit(1);
}

require(entry);
