// SPDX-License-Identifier: GPL-2.0-only
// Locks between tracefs-regress processes on one machine: parallel `vm` runs
// fetching into the kernel cache or updating the private apt lists, parallel
// `kernel build`s of one name. flock(2) through util-linux's flock(1) on an
// fd this process opened and passes down: the lock belongs to the open file
// description, so it stays held after flock(1) exits and is released when
// this process closes the fd, which the kernel does for it when it dies,
// SIGKILL included. A killed holder never leaves a lock behind, and no lock
// file needs stale-owner detection (Node has no flock of its own). libuv
// opens with O_CLOEXEC, so children this process starts while holding a lock
// (apt-get, make) do not inherit it and cannot outlive us holding it.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { EnvironmentError } from '../errors.js';
import { cacheRoot } from './paths.js';

/** Where named locks live: one empty file each, never removed (removing a lock file would split its holders). */
export function lockFile(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+~-]*$/.test(name)) throw new Error(`bad lock name '${name}'`);
  return path.join(cacheRoot(), 'locks', `${name}.lock`);
}

export interface LockOptions {
  /** Said once when another process holds the lock and this one starts waiting. */
  onWait?: (file: string) => void;
  /** Give up after this long (EnvironmentError); default: wait as long as it takes. */
  timeoutMs?: number;
  /** A shared (read) lock instead of an exclusive one. */
  shared?: boolean;
}

/** flock(1) on the inherited fd 3; resolves with its exit code (1: busy with -n or after -w). */
function flockFd(fd: number, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('flock', [...args, '3'], { stdio: ['ignore', 'ignore', 'pipe', fd] });
    let err = '';
    child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new EnvironmentError('flock(1) not found: install util-linux') : e),
    );
    child.on('close', (code) => {
      if (code === 0 || code === 1) resolve(code);
      else reject(new EnvironmentError(`flock ${args.join(' ')} failed (exit ${code}): ${err.trim()}`));
    });
  });
}

/** Held lock: release() closes the fd, which drops the lock. */
export interface Lock {
  file: string;
  release(): void;
}

/** Takes the lock on file (created if missing), waiting for other holders. */
export async function acquireLock(file: string, o: LockOptions = {}): Promise<Lock> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
  const mode = o.shared ? '-s' : '-x';
  try {
    if ((await flockFd(fd, [mode, '-n'])) !== 0) {
      o.onWait?.(file);
      const wait = o.timeoutMs !== undefined ? ['-w', String(o.timeoutMs / 1000)] : [];
      if ((await flockFd(fd, [mode, ...wait])) !== 0) {
        throw new EnvironmentError(`timed out after ${o.timeoutMs} ms waiting for the lock ${file}`);
      }
    }
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  let held = true;
  return {
    file,
    release() {
      if (held) fs.closeSync(fd);
      held = false;
    },
  };
}

/** Runs fn holding the lock on file; released however fn ends. */
export async function withLock<T>(file: string, fn: () => Promise<T> | T, o: LockOptions = {}): Promise<T> {
  const lock = await acquireLock(file, o);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
