// SPDX-License-Identifier: GPL-2.0-only
// Where the VM runner and the kernel builder keep their state. Everything
// lives under the user's cache dir, never /tmp: the guest mounts a tmpfs on
// /tmp, which would hide it.
import os from 'node:os';
import path from 'node:path';

export function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'tracefs-regress');
}

export const cacheDirs = {
  apt: () => path.join(cacheRoot(), 'apt'),
  kernels: () => path.join(cacheRoot(), 'kernels'),
  qemu: () => path.join(cacheRoot(), 'qemu'),
  runs: () => path.join(cacheRoot(), 'run'),
  downloads: () => path.join(cacheRoot(), 'downloads'),
};
