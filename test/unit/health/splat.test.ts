// SPDX-License-Identifier: GPL-2.0-only
// The splat vocabulary on its own: every kind matches the kernel's own lines
// (bare, behind a dmesg timestamp, inside a kmsg message), and planted near
// misses (a guest's words, boot chatter, other subsystems' DEBUG lines) match
// nothing. The readers' tests (vm/console, health/kmsg, report/lkml,
// expect/console-faults) check the framing each keeps around these patterns.
import { describe, expect, it } from 'vitest';
import {
  FAULT_HEADERS,
  FAULT_KINDS,
  INT3_OOPS,
  KASAN_REPORT,
  LOCATION,
  SPLATS,
  WARNING_AT,
  kernelComplaint,
  splatKinds,
} from '../../../src/health/splat.js';

describe('splat kinds', () => {
  it.each([
    ['Kernel panic - not syncing: Fatal exception', ['panic']],
    ['Oops: 0000 [#1] PREEMPT SMP NOPTI', ['oops']],
    ['Internal error: Oops: 0000000096000004 [#1] SMP', ['oops']],
    ['BUG: kernel NULL pointer dereference, address: 0000000000000050', ['bug']],
    ['BUG: KASAN: slab-use-after-free in eventfs_iterate+0x1c/0x2a0', ['bug', 'kasan']],
    ['KASAN: null-ptr-deref in range [0x0000000000000008-0x000000000000000f]', ['kasan']],
    [
      'Oops: general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] SMP',
      ['oops', 'general protection fault'],
    ],
    ['traps: node[312] general protection fault ip:7f0000001234 sp:7ffd00000000 error:0', ['general protection fault']],
    ['UBSAN: array-index-out-of-bounds in kernel/trace/trace_events.c:99:5', ['ubsan']],
    ['list_del corruption. prev->next should be ffff888004a3c0a8', ['list corruption']],
    ['WARNING: CPU: 1 PID: 812 at fs/tracefs/event_inode.c:412 eventfs_remove_dir+0x9/0x10', ['warning']],
    ['refcount_t: underflow; use-after-free.', ['refcount']],
  ])('%s', (line, kinds) => {
    expect(splatKinds(line)).toEqual(kinds);
    // Framing around the line changes nothing: none of the patterns is anchored.
    expect(splatKinds(`[   41.108127] ${line}`)).toEqual(kinds);
    expect(splatKinds(`        ${line}\r`)).toEqual(kinds);
  });

  it.each([
    'PASS  fd-across-removal[uprobe]  no oops here  12 ms',
    'Oopsie: a guest line that merely starts like one',
    'DEBUG: a driver printing its own debug prefix',
    'kasan: KernelAddressSanitizer initialized (generic)',
    'CONFIG_KASAN=y',
    'Kernel panic handling is configured',
    'general protection faults are counted in /proc/interrupts',
    'WARNING without a colon is only a word',
    'refcount_t is a type',
    'list_add of a node',
    'Booting the kernel, bugs are unlikely',
    'Call Trace:',
  ])('a near miss matches no kind: %s', (line) => expect(splatKinds(line)).toEqual([]));

  it('warnings (WARNING, refcount_t) are not failures; panic, oops, BUG, KASAN, GPF, UBSAN and list corruption are', () => {
    expect(SPLATS.filter((s) => !s.failure).map((s) => s.kind)).toEqual(['warning', 'refcount']);
    const oops = SPLATS.filter((s) => s.oops).map((s) => s.kind);
    expect(oops.join(', ')).toBe('panic, oops, bug, general protection fault');
  });
});

describe('where and what', () => {
  it('LOCATION names the kernel function of RIP, EIP or pc, never a user-space RIP', () => {
    expect(LOCATION.exec('RIP: 0010:eventfs_iterate+0x29c/0x340')?.[1]).toBe('eventfs_iterate');
    expect(LOCATION.exec('pc : eventfs_iterate+0x2c0/0x398')?.[1]).toBe('eventfs_iterate');
    expect(LOCATION.exec('EIP: eventfs_iterate+0x1/0x2')?.[1]).toBe('eventfs_iterate');
    expect(LOCATION.exec('RIP: 0033:0x7f1fdb9df40e')).toBeNull();
    expect(LOCATION.exec('lr : eventfs_iterate+0x2c0/0x398')).toBeNull();
    expect(LOCATION.exec('XRIP: 0010:f+0x1/0x2')).toBeNull();
  });

  it('WARNING_AT takes the function of both formats, not a file:line, and nothing without an offset', () => {
    const f = (l: string) => WARNING_AT.exec(l)?.[1];
    expect(f('WARNING: CPU: 0 PID: 312 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x1a2/0x1c0')).toBe(
      'enable_trace_kprobe',
    );
    expect(f('WARNING: kernel/trace/trace_uprobe.c:1123 at probe_event_enable+0x33/0x2a0, CPU#1: node/312')).toBe(
      'probe_event_enable',
    );
    expect(f('WARNING: CPU: 0 PID: 1 at kernel/x.c:1')).toBeUndefined();
    expect(f('WARNING: possible circular locking dependency detected')).toBeUndefined();
  });

  it('KASAN_REPORT reads the bug type and the function; a bare KASAN line has neither', () => {
    const m = KASAN_REPORT.exec('BUG: KASAN: slab-use-after-free in f_show+0x43b/0x470');
    expect([m?.[1], m?.[2]]).toEqual(['slab-use-after-free', 'f_show']);
    expect(KASAN_REPORT.exec('BUG: KASAN: slab-use-after-free in event_enable_write')?.[2]).toBe('event_enable_write');
    expect(KASAN_REPORT.exec('KASAN: null-ptr-deref in range [0x8-0xf]')).toBeNull();
    expect(KASAN_REPORT.exec('BUG: KASAN: double-free in 0xffffffff81234567')).toBeNull();
  });

  it('INT3_OOPS is the TCG text-patching oops only', () => {
    expect(INT3_OOPS.test('Oops: int3: 0000 [#1] PREEMPT SMP NOPTI')).toBe(true);
    expect(INT3_OOPS.test('Oops: int30')).toBe(false);
    expect(INT3_OOPS.test('Oops: 0000 [#1] SMP')).toBe(false);
  });
});

describe('titles', () => {
  it('KASAN first, then an oops with its location, then a WARNING; nothing from a bare call trace', () => {
    const warn = 'WARNING: CPU: 0 PID: 1 at kernel/x.c:1 enable_trace_kprobe+0x1/0x2';
    const oops = ['Oops: 0000 [#1] SMP', 'RIP: 0010:eventfs_iterate+0x29c/0x340'];
    const kasan = 'BUG: KASAN: slab-use-after-free in event_enable_write+0x40/0x120';
    expect(kernelComplaint([warn, ...oops, kasan])).toEqual({
      what: 'hits KASAN slab-use-after-free',
      noun: 'KASAN: slab-use-after-free',
      func: 'event_enable_write',
    });
    expect(kernelComplaint([warn, ...oops])).toEqual({ what: 'oopses', noun: 'oops', func: 'eventfs_iterate' });
    expect(kernelComplaint([warn])).toEqual({ what: 'WARNs', noun: 'WARNING', func: 'enable_trace_kprobe' });
    expect(kernelComplaint(['Kernel panic - not syncing: Fatal exception'])).toEqual({ what: 'oopses', noun: 'oops' });
    expect(kernelComplaint(['Call Trace:', ' eventfs_iterate+0x29c/0x340', 'RIP: 0010:f+0x1/0x2'])).toBeUndefined();
    // UBSAN and list corruption are failures but no oops: their WARN (which follows them) titles them.
    expect(kernelComplaint(['UBSAN: shift-out-of-bounds in x.c:1:2'])).toBeUndefined();
  });

  it('every fault kind has one header, and the headers are narrower than the splats they refine', () => {
    expect(Object.keys(FAULT_HEADERS)).toEqual([...FAULT_KINDS]);
    for (const k of FAULT_KINDS) expect(FAULT_HEADERS[k].re.test('PASS  no fault in this line'), k).toBe(false);
    // Planted: a KASAN type the signatures do not name is no fault of theirs.
    const nullDeref = 'BUG: KASAN: null-ptr-deref in f+0x1/0x2';
    expect(FAULT_KINDS.filter((k) => FAULT_HEADERS[k].re.test(nullDeref))).toEqual([]);
  });
});
