// SPDX-License-Identifier: GPL-2.0-only
// The one loader of the native addon, in node-gyp-build's order: build/Release
// and build/Debug (a local build wins), then prebuilds/<platform>-<arch>, the
// binary `npm run prebuildify` makes and the packed tarball carries, so an
// install without a compiler uses it. It loads on first use, not on
// import: `--help`, `vm` and `kernel` never touch tracefs and must work when
// the addon did not build.
import { createRequire } from 'node:module';
import path from 'node:path';
import { EnvironmentError } from '../errors.js';
import { packageRoot } from '../package.js';
import { SysError, type Constants, type NativeAddon } from './types.js';

const require = createRequire(import.meta.url);

function load(): NativeAddon {
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    const addon = nodeGypBuild(packageRoot) as NativeAddon;
    addon.init(SysError);
    return addon;
  } catch (e) {
    const tried = [
      path.join(packageRoot, 'build', 'Release'),
      path.join(packageRoot, 'build', 'Debug'),
      path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`),
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

/** Every member of the addon, by name (one missing or extra does not compile). */
type Members<T> = Record<keyof T, true>;

/**
 * An object with T's members, read from `target()` on first use, so the addon
 * loads when first called (and throws its fix-it message then), not on import.
 * The first read of a member replaces its getter by the value itself: from then
 * on a call costs what a call of the addon's own function costs.
 */
function lazyView<T extends object>(target: () => T, members: Members<T>): T {
  const view = {} as T;
  for (const key of Object.keys(members) as (keyof T)[]) {
    Object.defineProperty(view, key, {
      configurable: true,
      enumerable: true,
      get: () => {
        const value = target()[key];
        Object.defineProperty(view, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return view;
}

const ADDON: Members<NativeAddon> = {
  init: true,
  setRoot: true,
  clearRoot: true,
  rootPath: true,
  splitRootPath: true,
  rootWithoutOpenat2: true,
  open: true,
  openat: true,
  close: true,
  read: true,
  pread: true,
  write: true,
  pwrite: true,
  lseek: true,
  stat: true,
  lstat: true,
  fstatat: true,
  access: true,
  getdents64: true,
  chdir: true,
  fchdir: true,
  getcwd: true,
  mkdir: true,
  rmdir: true,
  mount: true,
  umount2: true,
  chmod: true,
  fchmod: true,
  chown: true,
  fchown: true,
  constants: true,
  raceStart: true,
  raceStop: true,
  raceStopAll: true,
  raceFdsNeeded: true,
  watchdogArm: true,
  watchdogDisarm: true,
  watchdogSignal: true,
  kcovOpen: true,
  kcovEnable: true,
  kcovDisable: true,
  kcovReset: true,
  kcovCollect: true,
  kcovClose: true,
};

const CONSTANTS: Members<Constants> = {
  O_RDONLY: true,
  O_WRONLY: true,
  O_RDWR: true,
  O_APPEND: true,
  O_CREAT: true,
  O_EXCL: true,
  O_TRUNC: true,
  O_DIRECTORY: true,
  O_PATH: true,
  O_NONBLOCK: true,
  O_NOFOLLOW: true,
  O_CLOEXEC: true,
  AT_FDCWD: true,
  AT_SYMLINK_NOFOLLOW: true,
  AT_EMPTY_PATH: true,
  AT_EACCESS: true,
  F_OK: true,
  R_OK: true,
  W_OK: true,
  X_OK: true,
  SEEK_SET: true,
  SEEK_CUR: true,
  SEEK_END: true,
  S_IFMT: true,
  S_IFDIR: true,
  S_IFREG: true,
  S_IFLNK: true,
  DT_UNKNOWN: true,
  DT_DIR: true,
  DT_REG: true,
  DT_LNK: true,
  MNT_DETACH: true,
  MS_RDONLY: true,
  MS_NOSUID: true,
  MS_NODEV: true,
  MS_NOEXEC: true,
  MS_REMOUNT: true,
};

/**
 * The addon, for the runner's own calls and for scenarios as their `ctx.sys`
 * (a Sys, src/native/types.ts). Its members are the addon's own functions: a
 * recording wraps the Sys a scenario is given, never this.
 */
export const native: NativeAddon = lazyView(loadAddon, ADDON);
export const C: Constants = lazyView(() => loadAddon().constants, CONSTANTS);
export { SysError };
export type { Result, Stat, Dirent } from './types.js';

export function isErr(r: unknown): r is SysError {
  return r instanceof SysError;
}
