export { native, C, isErr, SysError, packageRoot } from './addon.js';
export type { Result, Stat, Dirent } from './addon.js';
export { check, readText, writeOnce, listDir, listFd, SysCallError } from './sys.js';
