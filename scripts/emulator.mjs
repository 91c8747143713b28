#!/usr/bin/env node
// `npm run emulator -- [flags]`: runs the Graph + identity emulator straight from the TypeScript sources
// (no build step). tsx compiles on the fly and resolves the tsconfig path aliases; the sources are CommonJS,
// so they are loaded through tsx's CommonJS hook.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { register } = require('tsx/cjs/api');
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const cli = require('../libs/graph-emulator/src/server/cli.ts');
await cli.main(process.argv.slice(2));
