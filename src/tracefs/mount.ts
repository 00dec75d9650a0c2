// SPDX-License-Identifier: GPL-2.0-only
// Locating (and when needed mounting) tracefs. What we mount we unmount at exit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { native, C, isErr, SysError } from '../native/index.js';
import { EnvironmentError, KernelFeatureError, UsageError } from '../errors.js';
import type { OnTeardown } from '../model.js';
import {
  parseMountinfo,
  locateTracefs,
  mountOf,
  privateMounts,
  PRIVATE_MOUNT_PREFIX,
  type MountEntry,
} from './mountinfo.js';
import type { Result } from '../native/index.js';

export const DEFAULT_TRACEFS = '/sys/kernel/tracing';

function readMounts(): MountEntry[] {
  return parseMountinfo(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function tracefsInKernel(): boolean {
  try {
    return /\ttracefs$/m.test(fs.readFileSync('/proc/filesystems', 'utf8'));
  } catch {
    return false;
  }
}

export interface Located {
  root: string;
  mountedByUs: boolean;
  readOnly: boolean;
}

/** statfs(2) f_type of tracefs (debugfs's tracing/ is a tracefs automount: the same). */
export const TRACEFS_MAGIC = 0x74726163;

export interface DirProbe {
  realpath(p: string): string;
  /** statfs(2) f_type. */
  fsType(p: string): number;
  exists(p: string): boolean;
}

const realDirs: DirProbe = {
  realpath: (p) => fs.realpathSync(p),
  fsType: (p) => fs.statfsSync(p).type,
  exists: (p) => fs.existsSync(p),
};

/**
 * The real path of a `--tracefs` directory, which must be a tracefs root: a
 * path string is not trusted (`/sys/kernel/tracing/../../../tmp/x` or a
 * symlink could lead to a plain directory holding a file named
 * uprobe_events), so it is resolved and its filesystem asked.
 */
export function resolveTracefsDir(given: string, dirs: DirProbe = realDirs): string {
  const usage = (why: string) =>
    new UsageError(`--tracefs ${given} ${why}: omit --tracefs or pass the mount point, e.g. ${DEFAULT_TRACEFS}`);
  let root: string;
  try {
    root = dirs.realpath(given);
  } catch (e) {
    throw usage(`cannot be resolved (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const type = dirs.fsType(root);
  if (type !== TRACEFS_MAGIC) {
    const shown = root === given ? '' : ` (it resolves to ${root})`;
    throw usage(`is not on tracefs${shown}: its filesystem type is 0x${type.toString(16)}, not 0x74726163`);
  }
  if (!dirs.exists(`${root}/README`)) throw usage('is inside tracefs but not its root (no README there)');
  return root;
}

/**
 * Finds tracefs, or mounts it at /sys/kernel/tracing when absent. With
 * `explicit`, that path must be a tracefs (or debugfs tracing/) directory.
 * Never writes to tracefs.
 */
export function locate(explicit: string | undefined, opts: { mount?: boolean; onTeardown: OnTeardown }): Located {
  if (!isRoot()) {
    throw new UsageError('must run as root: tracefs control files are writable by root only (run it with sudo)');
  }
  if (!tracefsInKernel()) {
    throw new KernelFeatureError(
      'this kernel has no tracefs (not in /proc/filesystems): build it with CONFIG_FTRACE=y and CONFIG_TRACING=y',
    );
  }
  const mounts = readMounts();
  if (explicit) {
    const root = resolveTracefsDir(explicit);
    const m = mountOf(mounts, root);
    return { root, mountedByUs: false, readOnly: !!m?.options.includes('ro') };
  }
  const found = locateTracefs(mounts);
  if (found && fs.existsSync(`${found.path}/README`)) {
    return { root: found.path, mountedByUs: false, readOnly: found.entry.options.includes('ro') };
  }
  if (opts.mount === false) {
    throw new UsageError(`tracefs is not mounted: mount it with 'mount -t tracefs nodev ${DEFAULT_TRACEFS}'`);
  }
  return mountOurs(opts.onTeardown);
}

/**
 * Mounts tracefs at a mount point of this run's own (every tracefs mount
 * shows the same tree) and detaches only that at exit. Mounting and later
 * unmounting /sys/kernel/tracing would pull tracefs from under any other run
 * that found it there meanwhile.
 *
 * The run holds its mount point open for its whole life: a plain umount(2)
 * of a mount with an open file is EBUSY, so another run tells a live run's
 * private mount from a SIGKILLed run's by trying (removeDeadPrivateMounts).
 */
function mountOurs(onTeardown: OnTeardown): Located {
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PRIVATE_MOUNT_PREFIX}${process.pid}-`));
    const r = native.mount('nodev', dir, 'tracefs', C.MS_NOSUID | C.MS_NODEV | C.MS_NOEXEC);
    if (isErr(r)) {
      fs.rmdirSync(dir);
      throw new EnvironmentError(
        `tracefs is not mounted and mounting it at ${dir} failed (${r.code}): mount it with 'mount -t tracefs nodev ${DEFAULT_TRACEFS}'`,
      );
    }
    const fd = native.open(dir, C.O_RDONLY | C.O_DIRECTORY | C.O_CLOEXEC);
    // Another run's cleanup can unmount it between our mount and our open (it is not held yet): mount again.
    if (isErr(fd) || fs.statfsSync(`/proc/self/fd/${fd}`).type !== TRACEFS_MAGIC) {
      if (!isErr(fd)) native.close(fd);
      native.umount2(dir, C.MNT_DETACH);
      fs.rmSync(dir, { recursive: false, force: true });
      continue;
    }
    onTeardown('unmount our tracefs mount', () => {
      native.close(fd);
      // Lazy: a file still open elsewhere in this process must not make exit fail.
      native.umount2(dir, C.MNT_DETACH);
      fs.rmdirSync(dir); // empty once detached
    });
    return { root: dir, mountedByUs: true, readOnly: false };
  }
  throw new EnvironmentError(
    'tracefs mounted three times at a private mount point and unmounted by someone else each time',
  );
}

/** The calls removeDeadPrivateMounts makes: real by default, planted in unit tests. */
export interface MountSys {
  mounts(): MountEntry[];
  /** umount2(2); flags 0 is a plain umount: EBUSY while any file on the mount is open. */
  umount(dir: string): Result<number>;
  rmdir(dir: string): Result<number>;
}

export const realMountSys: MountSys = {
  mounts: readMounts,
  umount: (dir) => native.umount2(dir, 0),
  // node's fs, not the addon: the mount point is a directory in $TMPDIR, and
  // the addon refuses writes outside the registered tracefs root (EXDEV).
  rmdir: (dir) => {
    try {
      fs.rmdirSync(dir);
      return 0;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      return new SysError('rmdir', Math.abs(err.errno ?? 0), err.code ?? 'EIO');
    }
  },
};

export interface MountCleanup {
  /** Private mount points of dead runs: unmounted and their directory removed. */
  removed: string[];
  /** Held open by their run: alive, left alone. */
  alive: string[];
  failed: string[];
}

/**
 * Unmounts and removes the private tracefs mount points of dead runs (a
 * SIGKILLed run cannot detach its own), as seen in this mount namespace. A
 * live run holds its mount point open, so the plain umount gives EBUSY and
 * nothing changes; a dead run's is unmounted by the same call, so there is no
 * moment between deciding and acting. `own` (this run's) is skipped.
 */
export function removeDeadPrivateMounts(own: string | undefined, sys: MountSys = realMountSys): MountCleanup {
  const out: MountCleanup = { removed: [], alive: [], failed: [] };
  for (const dir of privateMounts(sys.mounts())) {
    if (dir === own) continue;
    const u = sys.umount(dir);
    if (isErr(u) && u.code === 'EBUSY') {
      out.alive.push(dir);
      continue;
    }
    // EINVAL: no longer a mount point (another cleanup unmounted it first): only the directory is left.
    if (isErr(u) && u.code !== 'EINVAL' && u.code !== 'ENOENT') {
      out.failed.push(`${dir}: umount ${u.code}`);
      continue;
    }
    const r = sys.rmdir(dir);
    if (!isErr(r) || r.code === 'ENOENT') out.removed.push(dir);
    else out.failed.push(`${dir}: rmdir ${r.code}`);
  }
  return out;
}

/** Lines for the output of `run` and `cleanup`. Pure. */
export function describeMountCleanup(m: MountCleanup): string[] {
  return [
    ...m.removed.map((d) => `removed the private tracefs mount of a dead run: ${d}`),
    ...m.alive.map((d) => `left the private tracefs mount ${d}: its run holds it open (alive)`),
  ];
}

/** Refuses a read-only tracefs before anything is written. */
export function requireWritable(loc: Located): void {
  if (loc.readOnly) {
    throw new UsageError(
      `tracefs at ${loc.root} is mounted read-only: remount it read-write ('mount -o remount,rw ${loc.root}')`,
    );
  }
}
