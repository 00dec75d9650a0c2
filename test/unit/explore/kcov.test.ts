// SPDX-License-Identifier: GPL-2.0-only
// The KCOV trace source over a fake Kcov (the buffer played by an array):
// what it folds into edges, when it resets, what a full buffer and a failing
// ioctl give. The addon's own side is test/host/explore/kcov.test.ts.
import { describe, expect, it } from 'vitest';
import { traceEdges } from '../../../src/explore/corpus.js';
import { kcovTraceSource } from '../../../src/explore/kcov.js';
import type { Kcov } from '../../../src/native/kcov.js';
import { isErr } from '../../../src/native/index.js';
import { SysError } from '../../../src/native/types.js';

class FakeKcov implements Kcov {
  buf: number[] = [];
  enabled = false;
  log: string[] = [];
  failDisable = false;
  constructor(readonly words = 1000) {}
  /** What the kernel appends while enabled. */
  run(...pcs: number[]) {
    if (this.enabled) this.buf.push(...pcs.slice(0, this.words - 1 - this.buf.length));
  }
  enable() {
    this.log.push('enable');
    this.enabled = true;
    return 0;
  }
  disable() {
    this.log.push('disable');
    this.enabled = false;
    return this.failDisable ? new SysError('ioctl', 22, 'EINVAL') : 0;
  }
  reset() {
    this.log.push('reset');
    this.buf = [];
    return 0;
  }
  collect() {
    return Uint32Array.from(this.buf);
  }
  close() {
    return 0;
  }
}

describe('the KCOV trace source', () => {
  it('traces from an empty buffer between start and stop, and gives the edges', () => {
    const k = new FakeKcov();
    const t = kcovTraceSource(k);
    k.buf = [0x99]; // left over from before: must not count
    expect(t.start()).toBe(0);
    k.run(1, 2, 3);
    const e = t.stop();
    expect(k.log).toEqual(['reset', 'enable', 'disable', 'reset']);
    expect(e).toEqual(traceEdges([1, 2, 3]));
    k.run(7); // after stop: not traced
    t.start();
    expect(t.stop()).toEqual(new Set());
  });

  it('a checkpoint folds the trace so far and empties the buffer: no edge spans two actions', () => {
    const k = new FakeKcov(4); // room for 3 PCs
    const t = kcovTraceSource(k);
    t.start();
    k.run(1, 2, 3);
    expect(t.checkpoint()).toBe(0);
    k.run(4, 5);
    const e = t.stop();
    expect(isErr(e)).toBe(false);
    expect(e).toEqual(new Set([...traceEdges([1, 2, 3]), ...traceEdges([4, 5])]));
    expect((e as Set<number>).has([...traceEdges([3, 4])][1]!)).toBe(false);
    expect(t.fullBuffers).toBe(1); // the first trace filled the 3 slots
  });

  it('a failing disable is the result, and the next start begins a new edge set', () => {
    const k = new FakeKcov();
    const t = kcovTraceSource(k);
    t.start();
    k.run(1, 2);
    k.failDisable = true;
    const r = t.stop();
    expect(isErr(r) && `${r}`).toBe('ioctl: EINVAL');
    k.failDisable = false;
    t.start();
    k.run(8);
    expect(t.stop()).toEqual(traceEdges([8]));
  });
});
