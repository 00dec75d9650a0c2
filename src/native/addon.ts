// The one loader of the native addon: prebuilds/<platform>-<arch> first, then
// build/Release (node-gyp-build's order), so a test VM without a compiler can
// use a binary made by `npm run prebuildify`.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { SysError, type NativeAddon } from './types.js';

const require = createRequire(import.meta.url);
/** The package root: src/native/ or dist/native/ are two levels below it. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function load(): NativeAddon {
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    const addon = nodeGypBuild(packageRoot) as NativeAddon;
    addon.init(SysError);
    return addon;
  } catch (e) {
    const tried = [
      path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`),
      path.join(packageRoot, 'build', 'Release'),
      path.join(packageRoot, 'build', 'Debug'),
    ];
    throw new Error(
      `tracefs-regress: cannot load the native addon (tried ${tried.join(', ')}): ${(e as Error).message}\n` +
        'Fix: run `npm rebuild tracefs-regress` (needs python3, make and g++), or install a prebuilt binary.',
      { cause: e },
    );
  }
}

export const native: NativeAddon = load();
export const C = native.constants;
export { SysError };
export type { Result, Stat, Dirent } from './types.js';

export function isErr(r: unknown): r is SysError {
  return r instanceof SysError;
}
