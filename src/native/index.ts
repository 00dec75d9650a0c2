// SPDX-License-Identifier: GPL-2.0-only
export { native, C, isErr, SysError, loadAddon } from './addon.js';
export type { Result, Stat, Dirent } from './addon.js';
export { SYS_CALLS, type Sys, type SysCall } from './types.js';
export { readText, writeOnce, listDir, listFd } from './sys.js';
export { kcovOpen, KCOV_PATH, KCOV_WORDS, type Kcov } from './kcov.js';
export { armWatchdog, watchdogSignal, type Watch, type WatchdogResult } from './watchdog.js';
