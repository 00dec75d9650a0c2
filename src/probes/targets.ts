// SPDX-License-Identifier: GPL-2.0-only
// What each kind of probe is attached to on this machine. Chosen once per run.
import fs from 'node:fs';
import { entryFileOffsetOf } from '../util/elf.js';
import type { ProbeTarget } from './definitions.js';
import type { ProbeKind } from '../model.js';

/**
 * Kernel functions present from 6.1 to 7.x, probe-able and ftrace-able. The
 * first found in /proc/kallsyms is used; the probe is never enabled for long.
 */
export const KERNEL_SYMBOLS = ['do_sys_openat2', 'do_sys_open', 'vfs_read', 'ksys_read'];

/** An executable whose entry point is a valid uprobe site (vaddr == file offset for /bin/true). */
export const UPROBE_BINARIES = ['/bin/true', '/usr/bin/true', process.execPath];

export function pickKernelSymbol(kallsyms: string): string | undefined {
  const present = new Set<string>();
  for (const m of kallsyms.matchAll(/^[0-9a-f]+ [tT] (\S+)$/gm)) present.add(m[1]!);
  return KERNEL_SYMBOLS.find((s) => present.has(s));
}

const cache = new Map<ProbeKind, ProbeTarget>();

export class TargetError extends Error {}

export function targetFor(kind: ProbeKind): ProbeTarget {
  const hit = cache.get(kind);
  if (hit) return hit;
  let t: ProbeTarget;
  switch (kind) {
    case 'kprobe':
    case 'fprobe': {
      const sym = pickKernelSymbol(fs.readFileSync('/proc/kallsyms', 'utf8'));
      if (!sym)
        throw new TargetError(
          `none of ${KERNEL_SYMBOLS.join(', ')} is in /proc/kallsyms (is kptr_restrict hiding symbols?)`,
        );
      t = { kind, symbol: sym };
      break;
    }
    case 'uprobe': {
      let err: unknown;
      for (const bin of UPROBE_BINARIES) {
        try {
          const real = fs.realpathSync(bin);
          t = { kind, path: real, offset: entryFileOffsetOf(real).offset };
          cache.set(kind, t);
          return t;
        } catch (e) {
          err = e;
        }
      }
      throw new TargetError(
        `no executable for a uprobe among ${UPROBE_BINARIES.join(', ')}: ${(err as Error).message}`,
      );
    }
    case 'eprobe':
      // sched_switch exists on every kernel with eprobes (5.15+).
      t = { kind, system: 'sched', event: 'sched_switch' };
      break;
    case 'synthetic':
      t = { kind };
      break;
  }
  cache.set(kind, t);
  return t;
}
