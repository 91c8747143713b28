import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { transformFile } from '@swc/core';

/** The sources the CLI loads; tests and the emulator are not part of the product's process. */
const SOURCE_DIRS = ['apps/api/src', 'apps/cli/src', 'libs/common/src', 'libs/graph/src'];

const ALIASES: Record<string, string> = {
  '@entra-backup/common': 'libs/common/src/index',
  '@entra-backup/graph': 'libs/graph/src/index',
};

/**
 * Compiles the CLI's TypeScript sources to plain CommonJS under `outDir` (inside the package, so
 * `node_modules` and `package.json` resolve as in a build), the way a production build runs them:
 * no compiler in the process, so measured memory is the product's own. swc, like the build, emits
 * decorator metadata for Nest. Returns the entry point.
 */
export async function compileCli(root: string, outDir: string): Promise<string> {
  await rm(outDir, { recursive: true, force: true });
  for (const dir of SOURCE_DIRS) {
    for (const file of await typeScriptFiles(join(root, dir))) {
      const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
      const { code } = await transformFile(file, {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: false,
      });
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, rewriteAliases(code, outDir, target));
    }
  }
  return join(outDir, 'apps', 'cli', 'src', 'main.js');
}

function rewriteAliases(code: string, outDir: string, target: string): string {
  return code.replace(/require\("(@entra-backup\/[a-z-]+)"\)/g, (match, name: string) => {
    const mapped = ALIASES[name];
    if (mapped === undefined) return match;
    let path = relative(dirname(target), join(outDir, mapped));
    if (!path.startsWith('.')) path = `./${path}`;
    return `require("${path}")`;
  });
}

async function typeScriptFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await typeScriptFiles(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts'))
      out.push(path);
  }
  return out;
}
