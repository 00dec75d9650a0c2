// SPDX-License-Identifier: GPL-2.0-only
// Builders of a program's calls, in the reproducer's step format
// (src/repro/types.ts): the generator, the mutator and the tests spell
// calls only through these.
import type { CallName } from '../repro/types.js';
import type { CallAction } from './types.js';
import type { Flags } from './world.js';

const t = (s: string) => ({ t: s });
const n = (x: number) => ({ n: x });
const fd = (i: number) => ({ fd: i });
const call = (name: CallName, ...args: CallAction['args']): CallAction => ({ kind: 'call', call: name, args });

/** The ways a program opens what it holds. */
export const OPEN_HOWS = ['ro', 'rw', 'wo', 'control', 'dir', 'path'] as const;
export type OpenHow = (typeof OPEN_HOWS)[number];

export function openFlags(f: Flags, how: OpenHow): number {
  switch (how) {
    case 'ro':
      return f.O_RDONLY;
    case 'rw':
      return f.O_RDWR;
    case 'wo':
      return f.O_WRONLY;
    case 'control':
      return f.O_WRONLY | f.O_APPEND;
    case 'dir':
      return f.O_RDONLY | f.O_DIRECTORY;
    case 'path':
      return f.O_PATH | f.O_DIRECTORY;
  }
}

export type Act = ReturnType<typeof makeAct>;

export const makeAct = (f: Flags) => ({
  open: (path: string, how: OpenHow) => call('open', t(path), n(openFlags(f, how))),
  openat: (dirfd: number, rel: string, how: OpenHow) => call('openat', fd(dirfd), t(rel), n(openFlags(f, how))),
  close: (i: number) => call('close', fd(i)),
  pread: (i: number) => call('pread', fd(i), n(4096), n(0)),
  read: (i: number) => call('read', fd(i), n(4096)),
  write: (i: number, data: string) => call('write', fd(i), t(data)),
  stat: (path: string) => call('stat', t(path)),
  access: (path: string) => call('access', t(path), n(f.F_OK)),
  fstatat: (dirfd: number, rel: string) => call('fstatat', fd(dirfd), t(rel), n(0)),
  getdents: (i: number) => call('getdents64', fd(i), n(32768)),
  rewind: (i: number) => call('lseek', fd(i), n(0), n(f.SEEK_SET)),
  chdir: (path: string) => call('chdir', t(path)),
  fchdir: (i: number) => call('fchdir', fd(i)),
  getcwd: () => call('getcwd'),
  mkdir: (path: string) => call('mkdir', t(path), n(0o755)),
  rmdir: (path: string) => call('rmdir', t(path)),
});

/** Calls whose success gives an fd later actions may use. */
export function opensFd(a: { kind: string; call?: string }): boolean {
  return a.kind === 'call' && (a.call === 'open' || a.call === 'openat');
}

/**
 * An open with flags the generator never makes (O_TRUNC on kprobe_events
 * would delete every probe on the machine): the validator rejects it and the
 * executor refuses it, whatever built the program.
 */
export function unknownFlags(a: CallAction, f: Flags): string | undefined {
  if (a.call !== 'open' && a.call !== 'openat') return undefined;
  const arg = a.args[a.call === 'open' ? 1 : 2];
  const known = OPEN_HOWS.map((h) => openFlags(f, h));
  return arg && 'n' in arg && known.includes(arg.n)
    ? undefined
    : `open flags ${arg && 'n' in arg ? arg.n : '?'} are none the explorer makes`;
}
