// SPDX-License-Identifier: GPL-2.0-only
// Faults out of console lines: the kind and the function, offsets dropped,
// for every report shape the matcher names (x86 oops with its RIP, arm64 pc,
// WARNING in both formats, KASAN); a function met only in a call trace, or a
// header whose location never comes, names no function.
import { describe, expect, it } from 'vitest';
import { baseName, faultsIn } from '../../../src/expectations/console-faults.js';

const kv = (lines: string[]) => faultsIn(lines).map((f) => [f.kind, f.function ?? '']);

describe('faultsIn', () => {
  it('an x86 NULL dereference: the header, then the function from its RIP line (timestamps and offsets aside)', () => {
    expect(
      faultsIn([
        '[  41.201003] BUG: kernel NULL pointer dereference, address: 0000000000000050',
        '[  41.201020] Oops: 0000 [#1] PREEMPT SMP NOPTI',
        '[  41.201040] RIP: 0010:eventfs_iterate+0x29c/0x340',
      ]),
    ).toEqual([
      {
        kind: 'NULL pointer dereference',
        function: 'eventfs_iterate',
        line: '[  41.201040] RIP: 0010:eventfs_iterate+0x29c/0x340',
      },
    ]);
  });

  it('a GPF (old and "Oops:"-prefixed headers), an arm64 paging request, a kernel BUG', () => {
    expect(
      kv([
        'general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] SMP',
        'RIP: 0010:eventfs_iterate+0x1b0/0x340',
        'Oops: general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#2] SMP',
        'RIP: 0010:eventfs_remove_rec+0x10/0x40',
        'Unable to handle kernel paging request at virtual address dead000000000150',
        'pc : eventfs_iterate+0x2c0/0x398',
        'kernel BUG at fs/tracefs/event_inode.c:123!',
        'RIP: 0010:eventfs_put_ei.isra.0+0x12/0x30',
      ]),
    ).toEqual([
      ['general protection fault', 'eventfs_iterate'],
      ['general protection fault', 'eventfs_remove_rec'],
      ['page fault', 'eventfs_iterate'],
      ['kernel BUG', 'eventfs_put_ei'],
    ]);
  });

  it('WARNING in the format to 6.18 and the later one, KASAN use-after-free and out-of-bounds', () => {
    expect(
      kv([
        'WARNING: CPU: 0 PID: 312 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x1a2/0x1c0',
        'WARNING: kernel/trace/trace_uprobe.c:1123 at probe_event_enable+0x33/0x2a0, CPU#1: node/312',
        'BUG: KASAN: slab-use-after-free in f_show+0x43b/0x470',
        'BUG: KASAN: global-out-of-bounds in trace_seq_printf+0x10/0x20',
      ]),
    ).toEqual([
      ['WARNING', 'enable_trace_kprobe'],
      ['WARNING', 'probe_event_enable'],
      ['KASAN use-after-free', 'f_show'],
      ['KASAN out-of-bounds', 'trace_seq_printf'],
    ]);
  });

  it('no fault from a call trace alone, a RIP without a header, or user-space RIP', () => {
    expect(
      faultsIn([
        'Call Trace:',
        ' eventfs_iterate+0x29c/0x340',
        ' iterate_dir+0x8e/0x1a0',
        'RIP: 0010:eventfs_iterate+0x29c/0x340',
        'RIP: 0033:0x7f1fdb9df40e',
      ]),
    ).toEqual([]);
  });

  it("a header whose RIP never comes names no function, and does not borrow the next report's", () => {
    expect(
      kv([
        'BUG: kernel NULL pointer dereference, address: 0000000000000050',
        'WARNING: CPU: 0 PID: 1 at fs/tracefs/event_inode.c:10 eventfs_remove_dir+0x1/0x2',
        'RIP: 0010:eventfs_iterate+0x29c/0x340',
      ]),
    ).toEqual([
      ['NULL pointer dereference', ''],
      ['WARNING', 'eventfs_remove_dir'],
    ]);
  });

  it('drops the compiler clone suffixes from a name, nothing else', () => {
    expect(baseName('set_ptes.isra.0')).toBe('set_ptes');
    expect(baseName('f.constprop.0.cold')).toBe('f');
    expect(baseName('eventfs_iterate')).toBe('eventfs_iterate');
  });
});
