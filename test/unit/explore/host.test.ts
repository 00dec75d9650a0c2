// SPDX-License-Identifier: GPL-2.0-only
// What the host reports of a --keep-going run: one finding per broken rule,
// the shrunk one with the guest's reproducer when it came; a guest death is
// its own (planted findings).
import { describe, expect, it } from 'vitest';
import { onePerRule } from '../../../src/explore/host.js';
import type { Finding } from '../../../src/explore/stream.js';
import type { Program } from '../../../src/explore/types.js';

const prog: Program = { actions: [{ kind: 'call', call: 'stat', args: [{ t: '{root}/x' }] }] };
const finding = (n: number, expected: string, extra: Partial<Finding> = {}): Finding => ({
  kind: 'model',
  n,
  ms: n,
  what: 'w',
  violations: [{ action: 0, op: 'stat', path: `p${n}`, expected, got: 'success' }],
  program: prog,
  ...extra,
});

describe('onePerRule', () => {
  it('the same rule broken three times is one finding, the one with a reproducer', () => {
    const repro = { file: 'explore.c', text: 'int main', mode: 'sequence' };
    const r = onePerRule([finding(1, 'ENOENT'), finding(2, 'ENOENT', { reproducer: repro }), finding(3, 'ENOENT')]);
    expect(r.kept.map((f) => f.n)).toEqual([2]);
    expect(r.again).toBe(2);
  });
  it('other rules stay apart, and without any reproducer the first is kept', () => {
    const r = onePerRule([finding(1, 'ENOENT'), finding(2, 'EBUSY'), finding(3, 'ENOENT')]);
    expect(r.kept.map((f) => f.n)).toEqual([1, 2]);
    expect(r.again).toBe(1);
  });
  it('a program that broke the rule twice is the same finding (7.3.4 seed 22: programs 3 and 248)', () => {
    const twice = finding(248, 'EEXIST');
    twice.violations = [...twice.violations, { ...twice.violations[0]!, path: 'again' }];
    const r = onePerRule([finding(3, 'EEXIST'), twice]);
    expect(r.kept.map((f) => f.n)).toEqual([3]);
    // Planted: another rule beside it is another finding.
    const other = finding(9, 'EEXIST');
    other.violations = [...other.violations, { ...other.violations[0]!, expected: 'EBUSY' }];
    expect(onePerRule([finding(3, 'EEXIST'), other]).kept.map((f) => f.n)).toEqual([3, 9]);
  });
  it('findings without violations (the guest died in them) are never merged', () => {
    const r = onePerRule([finding(4, 'x', { violations: [] }), finding(5, 'x', { violations: [] })]);
    expect(r.kept.map((f) => f.n)).toEqual([4, 5]);
  });
});
