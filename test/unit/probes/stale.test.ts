import { describe, expect, it } from 'vitest';
import { parseOwnedEvents, ownerPid } from '../../../src/probes/stale.js';

describe('finding our events in control files', () => {
  it('finds tfsr_ groups in kprobe/uprobe/dynamic_events and ignores others', () => {
    const text = [
      'p:kprobes/p_do_sys_open do_sys_open',
      'p:tfsr_4242_a1b2c3/e1 do_sys_openat2',
      'r16:tfsr_77_00ff00/r2 vfs_read',
      'p:tfsrX_1_ab/e /bin/true:0x23d0',
      'p:mytfsr_1_ab/e /bin/true:0x23d0',
      'f:tfsr_5_abcdef/e3 vfs_read',
    ].join('\n');
    expect(parseOwnedEvents('/t/dynamic_events', text)).toEqual([
      { file: '/t/dynamic_events', group: 'tfsr_4242_a1b2c3', event: 'e1', pid: 4242 },
      { file: '/t/dynamic_events', group: 'tfsr_77_00ff00', event: 'r2', pid: 77 },
      { file: '/t/dynamic_events', group: 'tfsr_5_abcdef', event: 'e3', pid: 5 },
    ]);
  });

  it('finds synthetic events by name', () => {
    const text = 'tfsr_9_abcdef_e1 u64 tfsr_value\nwakeup_latency u64 lat\n';
    expect(parseOwnedEvents('/t/synthetic_events', text)).toEqual([
      { file: '/t/synthetic_events', group: 'synthetic', event: 'tfsr_9_abcdef_e1', pid: 9 },
    ]);
    expect(parseOwnedEvents('/t/dynamic_events', 's:synthetic/tfsr_9_abcdef_e1 u64 tfsr_value')).toHaveLength(1);
    expect(parseOwnedEvents('/t/dynamic_events', 's:synthetic/wakeup_latency u64 lat')).toHaveLength(0);
  });

  it('reads the owner pid of instance names', () => {
    expect(ownerPid('tfsr_123_abcdef_i4')).toBe(123);
    expect(ownerPid('foreign')).toBeUndefined();
  });
});
