'use strict';
// A CommonJS require hook: it must itself be CommonJS and use require().
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Runs the TypeScript sources directly in Node (`node -r ./test/robustness/support/swc-register.cjs
 * apps/cli/src/main.ts`), compiled on load by @swc/core with the same options as Jest. Unlike tsx
 * (esbuild), swc emits decorator metadata, which Nest's dependency injection needs; unlike the
 * compiled build in dist/, it can never be stale.
 */
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const root = join(__dirname, '..', '..', '..');
const aliases = {
  '@entra-backup/common': join(root, 'libs/common/src/index.ts'),
  '@entra-backup/graph': join(root, 'libs/graph/src/index.ts'),
  '@entra-backup/graph-emulator': join(root, 'libs/graph-emulator/src/index.ts'),
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliases[request] ?? request, ...rest);
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
