// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import {
  callTraceLine,
  isFailureLine,
  looksOutOfMemory,
  parseMarkers,
  scanConsole,
} from '../../../../src/vm/boot/console.js';

const OOPS = `[   12.000000] tracefs-regress: ok 1 removed-files-enoent[kprobe]
[   41.108127] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI
[   41.108900] CPU: 1 UID: 0 PID: 231 Comm: node Not tainted 6.12.118+deb13-amd64 #1
[   41.109500] RIP: 0010:ttwu_do_activate+0x5/0x1e0
[   41.110000] Call Trace:
`;

describe('console scan', () => {
  it('quotes oops lines with their RIP', () => {
    expect(scanConsole(OOPS)).toEqual([
      'Oops: int3: 0000 [#1] PREEMPT SMP NOPTI',
      'RIP: 0010:ttwu_do_activate+0x5/0x1e0',
    ]);
  });

  it('finds panics, BUG and KASAN reports', () => {
    const t =
      '[1.0] BUG: KASAN: use-after-free in eventfs_iterate+0x1\n[2.0] Kernel panic - not syncing: Fatal exception\n';
    expect(scanConsole(t)).toHaveLength(2);
  });

  it('stays quiet on a clean boot', () => {
    expect(scanConsole('[0.0] Linux version 6.12\nTFSR-GUEST-EXIT 0\n')).toEqual([]);
  });

  it('reads the guest markers', () => {
    const m = parseMarkers(
      'TFSR-GUEST-INIT uptime=3.97 kernel=6.1\nTFSR-GUEST-RUN uptime=5.41\nTFSR-GUEST-ERROR cannot mount x\nTFSR-GUEST-EXIT 2\n',
    );
    expect(m).toEqual({ initUptime: 3.97, runUptime: 5.41, error: 'cannot mount x', exit: 2 });
  });

  it('recognises a guest too small to boot', () => {
    expect(looksOutOfMemory('Kernel panic - not syncing: System is deadlocked on memory')).toBe(true);
  });

  it('quotes the first reliable Call Trace frames after BUG and RIP', () => {
    const t = `[   31.400000] BUG: kernel NULL pointer dereference, address: 0000000000000010
[   31.400100] #PF: supervisor read access in kernel mode
[   31.400200] Oops: Oops: 0000 [#1] SMP NOPTI
[   31.400300] RIP: 0010:event_enable_write+0x4c/0xf0
[   31.400400] Call Trace:
[   31.400500]  <TASK>
[   31.400600]  ? __die+0x1e/0x60
[   31.400700]  ? page_fault_oops+0x17b/0x4a0
[   31.400800]  ? event_enable_write+0x4c/0xf0
[   31.400900]  vfs_write+0xd8/0x3f0
[   31.401000]  ksys_write+0x6f/0xf0
[   31.401100]  do_syscall_64+0x82/0x190
[   31.401200]  entry_SYSCALL_64_after_hwframe+0x76/0x7e
[   31.401300]  ? some_later+0x1/0x2
[   31.401400] RIP: 0033:0x7f0000001234
`;
    expect(scanConsole(t)).toEqual([
      'BUG: kernel NULL pointer dereference, address: 0000000000000010',
      'RIP: 0010:event_enable_write+0x4c/0xf0',
      'Call Trace: vfs_write+0xd8/0x3f0 ksys_write+0x6f/0xf0 do_syscall_64+0x82/0x190 entry_SYSCALL_64_after_hwframe+0x76/0x7e',
      'Oops: Oops: 0000 [#1] SMP NOPTI',
    ]);
  });

  it('with every frame marked unreliable (no ORC), skips the oops machinery and keeps the marks', () => {
    const frames = [
      ' <TASK>',
      ' ? __die+0x1e/0x60',
      ' ? page_fault_oops+0x1/0x2',
      ' ? exc_page_fault+0x1/0x2',
      ' ? asm_exc_page_fault+0x1/0x2',
      ' ? event_enable_write+0x4c/0xf0',
      ' ? vfs_write+0xd8/0x3f0',
      ' </TASK>',
    ];
    expect(callTraceLine(frames)).toBe('Call Trace: ? event_enable_write+0x4c/0xf0 ? vfs_write+0xd8/0x3f0');
    expect(callTraceLine(['Modules linked in: 9p'])).toBeUndefined();
  });

  it('tells kernel failure lines from ordinary ones (planted: a guest line that merely mentions oops)', () => {
    expect(isFailureLine('[   31.4] BUG: kernel NULL pointer dereference, address: 0000000000000010')).toBe(true);
    expect(isFailureLine('[    2.0] Kernel panic - not syncing: Fatal exception')).toBe(true);
    expect(isFailureLine('PASS  fd-across-removal[uprobe]  no oops here  12 ms')).toBe(false);
  });

  it("quotes a kernel report once, though the guest echoes it indented in a FAIL result's evidence", () => {
    const kernel =
      '[   16.470527] BUG: kernel NULL pointer dereference, address: 0000000000000050\n[   16.474542] RIP: 0010:eventfs_iterate+0x29c/0x340\n';
    const echo = 'FAIL  race-recreate[uprobe]  19985 checks\n' + kernel.replace(/^/gm, '        ');
    expect(scanConsole(kernel + echo)).toEqual([
      'BUG: kernel NULL pointer dereference, address: 0000000000000050',
      'RIP: 0010:eventfs_iterate+0x29c/0x340',
    ]);
  });
});
