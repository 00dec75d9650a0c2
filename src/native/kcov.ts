// SPDX-License-Identifier: GPL-2.0-only
// Kernel coverage of the calling thread (native/kcov.cc), errno as data: a
// kernel without KCOV (or without debugfs mounted) gives open ENOENT, and
// `explore` then runs blind.
import { native } from './addon.js';
import type { Result, SysError } from './types.js';

/** Where debugfs puts KCOV (Documentation/dev-tools/kcov.rst). */
export const KCOV_PATH = '/sys/kernel/debug/kcov';
/** syzkaller's buffer size (256 Ki words, 2 MiB): far more PCs than one tracefs action gives. */
export const KCOV_WORDS = 1 << 18;

export interface Kcov {
  /** The buffer's size in words (64-bit); a trace holds at most words - 1 PCs. */
  readonly words: number;
  /** KCOV_ENABLE(KCOV_TRACE_PC): traces the calling thread's system calls. */
  enable(): Result<number>;
  /** KCOV_DISABLE; from the thread that enabled (EINVAL otherwise). */
  disable(): Result<number>;
  /** Zeroes the count: the next PCs start a new trace. */
  reset(): Result<number>;
  /** The PCs since the last reset in trace order (low 32 bits of each, exact on x86_64). */
  collect(): Result<Uint32Array>;
  /** Disables when enabled, unmaps and closes; later calls give EBADF. */
  close(): Result<number>;
}

/** Opens and maps a KCOV buffer of `words` words; the failing call's SysError (ENOENT: no KCOV). */
export function kcovOpen(words: number = KCOV_WORDS, path: string = KCOV_PATH): Kcov | SysError {
  if (!Number.isInteger(words) || words < 2 || words > 2 ** 26)
    throw new RangeError(`kcovOpen: words must be an integer in 2..2**26, not ${words}`);
  const h = native.kcovOpen(words, path);
  if (typeof h !== 'number') return h;
  return {
    words,
    enable: () => native.kcovEnable(h),
    disable: () => native.kcovDisable(h),
    reset: () => native.kcovReset(h),
    collect: () => native.kcovCollect(h),
    close: () => native.kcovClose(h),
  };
}
