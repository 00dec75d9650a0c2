// SPDX-License-Identifier: GPL-2.0-only
import { describe, it, expect } from 'vitest';
import { createHealthWatch, buildDelta, type HealthSources, type KmsgSource } from '../../../src/health/oracle.js';
import type { Counters } from '../../../src/health/counters.js';
import type { DrainResult } from '../../../src/health/kmsg.js';

const clean = { lines: [], alarms: 0, dropped: 0 };
const c = (oops: number, warn: number, taint: number): Counters => ({ oops, warn, taint, unavailable: [] });

/** Planted readings: tests push counters and kmsg records as the "kernel" produces them. */
function planted(start: Counters) {
  let counters = start;
  const queue: string[] = [];
  let drainResult: Partial<DrainResult> = {};
  const src: HealthSources = {
    readCounters: () => counters,
    openKmsg: (): KmsgSource => ({
      drain: () => ({ records: queue.splice(0), overwritten: 0, ...drainResult }),
      close: () => undefined,
    }),
  };
  return {
    src,
    set: (x: Counters) => (counters = x),
    log: (msg: string) => queue.push(`3,${queue.length},1000000,-;${msg}\n`),
    failDrain: (d: Partial<DrainResult>) => (drainResult = d),
  };
}

describe('buildDelta', () => {
  it('is ok when nothing changed', () => {
    const d = buildDelta(c(0, 0, 0), c(0, 0, 0), clean);
    expect(d.ok).toBe(true);
    expect(d.oopsCount).toEqual({ before: 0, after: 0 });
    expect(d.taint).toEqual({ before: 0, after: 0, letters: '' });
  });

  it('fails on oops 0 -> 1', () => {
    expect(buildDelta(c(0, 0, 0), c(1, 0, 0), clean).ok).toBe(false);
  });

  it('fails on warn_count increase even when taint W was already set', () => {
    const d = buildDelta(c(0, 3, 512), c(0, 4, 512), clean);
    expect(d.ok).toBe(false);
    expect(d.taint?.gained).toBeUndefined();
  });

  it('fails on gained taint and names the letters', () => {
    const d = buildDelta(c(0, 0, 4096), c(0, 0, 4096 | 32), clean);
    expect(d.ok).toBe(false);
    expect(d.taint).toEqual({ before: 4096, after: 4128, letters: 'BO', gained: 'B' });
  });

  it('fails on matching kernel lines alone', () => {
    const d = buildDelta(c(0, 0, 0), c(0, 0, 0), { lines: ['[1.0] BUG: x'], alarms: 1, dropped: 2 });
    expect(d.ok).toBe(false);
    expect(d.kernelLines).toEqual(['[1.0] BUG: x', '... 2 more kernel lines not kept']);
  });

  it('judges only what it could read', () => {
    const d = buildDelta({ unavailable: ['x'] }, { unavailable: ['x'] }, clean, ['no counters']);
    expect(d).toEqual({ ok: true, kernelLines: [], notes: ['no counters'] });
  });
});

describe('createHealthWatch', () => {
  it('passes a quiet scenario', () => {
    const k = planted(c(0, 0, 0));
    const w = createHealthWatch(k.src);
    w.snapshot();
    k.log('eth0: link up');
    expect(w.delta()).toMatchObject({ ok: true, kernelLines: [] });
  });

  it('fails a scenario during which KASAN reported, with the lines attached', () => {
    const k = planted(c(0, 0, 0));
    const w = createHealthWatch(k.src);
    w.snapshot();
    k.log('BUG: KASAN: slab-use-after-free in event_enable_write+0x40/0x120');
    k.log('Write of size 4 at addr ffff888003c0e2a8 by task sh/201');
    k.set(c(0, 0, 32));
    const d = w.delta();
    expect(d.ok).toBe(false);
    expect(d.taint?.gained).toBe('B');
    expect(d.kernelLines[0]).toContain('BUG: KASAN: slab-use-after-free');
    expect(d.kernelLines[1]).toContain('Write of size 4');
  });

  it('fails a scenario during which the kernel oopsed', () => {
    const k = planted(c(0, 0, 0));
    const w = createHealthWatch(k.src);
    w.snapshot();
    k.set(c(1, 0, 128));
    const d = w.delta();
    expect(d.ok).toBe(false);
    expect(d.oopsCount).toEqual({ before: 0, after: 1 });
  });

  it('starts each scenario fresh after a failure', () => {
    const k = planted(c(0, 0, 0));
    const w = createHealthWatch(k.src);
    w.snapshot();
    k.log('WARNING: CPU: 0 PID: 1 at x');
    k.set(c(0, 1, 512));
    expect(w.delta().ok).toBe(false);
    w.snapshot();
    const d = w.delta();
    expect(d.ok).toBe(true);
    expect(d.kernelLines).toEqual([]);
  });

  it('charges trouble logged between scenarios to the next one, with a note', () => {
    const k = planted(c(0, 0, 0));
    const w = createHealthWatch(k.src);
    w.snapshot();
    expect(w.delta().ok).toBe(true);
    k.log('Oops: general protection fault');
    k.set(c(1, 0, 128));
    w.snapshot();
    const d = w.delta();
    expect(d.ok).toBe(false);
    expect(d.oopsCount).toEqual({ before: 0, after: 1 });
    expect(d.notes?.join('\n')).toMatch(/before this scenario started/);
    expect(d.notes?.join('\n')).toMatch(/between scenarios/);
  });

  it('degrades with a note when /dev/kmsg and counters are unavailable', () => {
    const w = createHealthWatch({
      readCounters: () => ({ unavailable: ['/sys/kernel/oops_count: EACCES'] }),
      openKmsg: () => ({ error: '/dev/kmsg: EACCES' }),
    });
    w.snapshot();
    const d = w.delta();
    expect(d.ok).toBe(true);
    expect(w.notes.join('\n')).toMatch(/kernel log not watched \(\/dev\/kmsg: EACCES\)/);
    expect(d.notes?.join('\n')).toMatch(/oops_count: EACCES/);
  });

  it('notes overwritten records and a broken log fd without failing on them', () => {
    const k = planted(c(0, 0, 0));
    const w = createHealthWatch(k.src);
    w.snapshot();
    k.failDrain({ overwritten: 2, error: 'read /dev/kmsg: EIO' });
    const d = w.delta();
    expect(d.ok).toBe(true);
    expect(d.notes?.join('\n')).toMatch(/EPIPE/);
    expect(w.notes.join('\n')).toMatch(/watch stopped: read \/dev\/kmsg: EIO/);
  });
});
