// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { define, removalLine } from '../../../src/probes/definitions.js';
import { NameError } from '../../../src/probes/names.js';

describe('control-file definitions', () => {
  it('kprobe and kretprobe', () => {
    const d = define('tfsr_1_ab', 'e1', { kind: 'kprobe', symbol: 'do_sys_openat2' });
    expect(d).toMatchObject({
      file: 'kprobe_events',
      createLine: 'p:tfsr_1_ab/e1 do_sys_openat2',
      removeLine: '-:tfsr_1_ab/e1',
    });
    expect(define('g', 'r1', { kind: 'kprobe', symbol: 'vfs_read', ret: true }).createLine).toBe('r:g/r1 vfs_read');
  });

  it('uprobe uses the file offset in hex', () => {
    const d = define('tfsr_1_ab', 'e2', { kind: 'uprobe', path: '/usr/bin/true', offset: 0x23d0n });
    expect(d.createLine).toBe('p:tfsr_1_ab/e2 /usr/bin/true:0x23d0');
    expect(d.file).toBe('uprobe_events');
  });

  it('fprobe and eprobe go through dynamic_events', () => {
    expect(define('g', 'f', { kind: 'fprobe', symbol: 'vfs_read' })).toMatchObject({
      file: 'dynamic_events',
      createLine: 'f:g/f vfs_read',
    });
    expect(define('g', 'x', { kind: 'eprobe', system: 'sched', event: 'sched_switch' }).createLine).toBe(
      'e:g/x sched.sched_switch',
    );
  });

  it('synthetic events live in the synthetic group and are removed with !', () => {
    const d = define('tfsr_1_ab', 'tfsr_1_ab_e3', { kind: 'synthetic' });
    expect(d).toMatchObject({ group: 'synthetic', file: 'synthetic_events', removeLine: '!tfsr_1_ab_e3' });
  });

  it('refuses to build a definition from a smuggling name', () => {
    expect(() => define('g\n-:x', 'e', { kind: 'kprobe', symbol: 'vfs_read' })).toThrow(NameError);
    expect(() => define('g', 'e', { kind: 'uprobe', path: '/bin/true x', offset: 1n })).toThrow(NameError);
    expect(() => define('g', 'e e', { kind: 'synthetic' })).toThrow(NameError);
  });

  it('builds the removal line cleanup writes for a listed event, by control file', () => {
    expect(removalLine('/sys/kernel/tracing/uprobe_events', 'tfsr_1_ab', 'e1')).toBe('-:tfsr_1_ab/e1');
    expect(removalLine('dynamic_events', 'synthetic', 'tfsr_1_ab_s1')).toBe('-:synthetic/tfsr_1_ab_s1');
    expect(removalLine('/t/synthetic_events', 'synthetic', 'tfsr_1_ab_s1')).toBe('!tfsr_1_ab_s1');
    expect(() => removalLine('uprobe_events', 'tfsr_1_ab', 'e1:x')).toThrow(NameError);
    expect(() => removalLine('uprobe_events', 'tfsr_1_ab\n-:x', 'e1')).toThrow(NameError);
  });

  it('refuses a uprobe offset the kernel cannot parse as an unsigned long (found stating the property)', () => {
    const at = (offset: bigint) => define('g', 'e', { kind: 'uprobe', path: '/usr/bin/true', offset });
    expect(() => at(1n << 64n)).toThrow(RangeError);
    expect(() => at(-1n)).toThrow(RangeError);
    expect(at((1n << 64n) - 1n).createLine).toBe('p:g/e /usr/bin/true:0xffffffffffffffff');
  });
});
