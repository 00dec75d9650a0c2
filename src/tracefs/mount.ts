// Locating (and when needed mounting) tracefs. What we mount we unmount at exit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { native, C, isErr } from '../native/index.js';
import { EnvironmentError, UsageError } from '../errors.js';
import type { OnTeardown } from '../model.js';
import { parseMountinfo, locateTracefs, mountOf, PRIVATE_MOUNT_PREFIX, type MountEntry } from './mountinfo.js';

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
    throw new UsageError(
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
 */
function mountOurs(onTeardown: OnTeardown): Located {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PRIVATE_MOUNT_PREFIX}${process.pid}-`));
  const r = native.mount('nodev', dir, 'tracefs', C.MS_NOSUID | C.MS_NODEV | C.MS_NOEXEC);
  if (isErr(r)) {
    fs.rmdirSync(dir);
    throw new EnvironmentError(
      `tracefs is not mounted and mounting it at ${dir} failed (${r.code}): mount it with 'mount -t tracefs nodev ${DEFAULT_TRACEFS}'`,
    );
  }
  onTeardown('unmount our tracefs mount', () => {
    // Lazy: a file still open elsewhere in this process must not make exit fail.
    native.umount2(dir, C.MNT_DETACH);
    fs.rmdirSync(dir); // empty once detached
  });
  return { root: dir, mountedByUs: true, readOnly: false };
}

/** Refuses a read-only tracefs before anything is written. */
export function requireWritable(loc: Located): void {
  if (loc.readOnly) {
    throw new UsageError(
      `tracefs at ${loc.root} is mounted read-only: remount it read-write ('mount -o remount,rw ${loc.root}')`,
    );
  }
}
