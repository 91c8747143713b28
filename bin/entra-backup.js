#!/usr/bin/env node
'use strict';

// The CLI is TypeScript compiled to dist/server by `npm run build:server`; this launcher only
// finds it, so `npx entra-backup` works from a built checkout or an installed package.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'server', 'apps', 'cli', 'src', 'main.js');

if (!existsSync(entry)) {
  console.error(`entra-backup is not built yet (missing ${entry}). Run \`npm run build:server\` first.`);
  process.exit(1);
}

require(entry);
