// The one loader of the native addon: prebuilds/<platform>-<arch> first, then
// build/Release (node-gyp-build's order), so a test VM without a compiler can
// use a binary made by `npm run prebuildify`. It loads on first use, not on
// import: `--help`, `vm` and `kernel` never touch tracefs and must work when
// the addon did not build.
import { createRequire } from 'node:module';
import path from 'node:path';
import { EnvironmentError } from '../errors.js';
import { packageRoot } from '../package.js';
import { SysError, type Constants, type NativeAddon } from './types.js';
import { callHook } from './call-hook.js';

const require = createRequire(import.meta.url);

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
    const why = (e as Error).message.split('\n')[0];
    throw new EnvironmentError(
      `cannot load the native addon (tried ${tried.join(', ')}): ${why}. ` +
        'Fix: run `npm rebuild tracefs-regress` (needs python3, make and g++), or install a prebuilt binary.',
    );
  }
}

let loaded: NativeAddon | undefined;

/** The addon, loaded (and its error class installed) on the first call. */
export function loadAddon(): NativeAddon {
  loaded ??= load();
  return loaded;
}

/** A function of the addon that tells the call hook (call-hook.ts) what it returned. */
function tapped(addon: NativeAddon, name: string, fn: (...a: unknown[]) => unknown): (...a: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const r = fn.apply(addon, args);
    callHook()?.(name, args, r);
    return r;
  };
}

// Proxies so call sites keep `native.open(...)` and `C.O_RDONLY`; the first
// property read loads the addon (and throws its fix-it message if it can't).
// With no call hook set (every run without --repro-dir) the addon's own function is returned.
export const native: NativeAddon = new Proxy({} as NativeAddon, {
  get: (_t, key) => {
    const addon = loadAddon();
    const v: unknown = Reflect.get(addon, key);
    if (callHook() === undefined || typeof v !== 'function' || typeof key !== 'string') return v;
    return tapped(addon, key, v as (...a: unknown[]) => unknown);
  },
});
export const C: Constants = new Proxy({} as Constants, { get: (_t, key) => Reflect.get(loadAddon().constants, key) });
export { SysError };
export type { Result, Stat, Dirent } from './types.js';

export function isErr(r: unknown): r is SysError {
  return r instanceof SysError;
}
