import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'entra-backup';

interface PackageManifest {
  readonly name?: string;
  readonly version?: string;
}

/**
 * The directory of the product's package.json, found by walking up from this file. It gives the
 * same answer from the TypeScript sources (tests) and the compiled `dist/server/...` tree,
 * whatever the working directory; undefined when the code runs outside the package.
 */
export function findPackageRoot(start: string = __dirname): string | undefined {
  let dir = start;
  for (;;) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest?.name === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readManifest(path: string): PackageManifest | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PackageManifest;
  } catch {
    return undefined;
  }
}

/** The product version from package.json (`0.0.0` outside the package). */
export function productVersion(): string {
  const root = findPackageRoot();
  return (root === undefined ? undefined : readManifest(join(root, 'package.json'))?.version) ?? '0.0.0';
}
