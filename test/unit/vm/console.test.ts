import { describe, expect, it } from 'vitest';
import { looksOutOfMemory, parseMarkers, scanConsole } from '../../../src/vm/console.js';

const OOPS = `[   12.000000] tracefs-regress: ok 1 removed-files-enoent[kprobe]
[   41.108127] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI
[   41.108900] CPU: 1 UID: 0 PID: 231 Comm: node Not tainted 6.12.118+deb13-amd64 #1
[   41.109500] RIP: 0010:ttwu_do_activate+0x5/0x1e0
[   41.110000] Call Trace:
`;

describe('console scan', () => {
  it('quotes oops lines with their RIP', () => {
    expect(scanConsole(OOPS)).toEqual(['Oops: int3: 0000 [#1] PREEMPT SMP NOPTI', 'RIP: 0010:ttwu_do_activate+0x5/0x1e0']);
  });

  it('finds panics, BUG and KASAN reports', () => {
    const t = '[1.0] BUG: KASAN: use-after-free in eventfs_iterate+0x1\n[2.0] Kernel panic - not syncing: Fatal exception\n';
    expect(scanConsole(t)).toHaveLength(2);
  });

  it('stays quiet on a clean boot', () => {
    expect(scanConsole('[0.0] Linux version 6.12\nTFSR-GUEST-EXIT 0\n')).toEqual([]);
  });

  it('reads the guest markers', () => {
    const m = parseMarkers('TFSR-GUEST-INIT uptime=3.97 kernel=6.1\nTFSR-GUEST-RUN uptime=5.41\nTFSR-GUEST-ERROR cannot mount x\nTFSR-GUEST-EXIT 2\n');
    expect(m).toEqual({ initUptime: 3.97, runUptime: 5.41, error: 'cannot mount x', exit: 2 });
  });

  it('recognises a guest too small to boot', () => {
    expect(looksOutOfMemory('Kernel panic - not syncing: System is deadlocked on memory')).toBe(true);
  });
});
