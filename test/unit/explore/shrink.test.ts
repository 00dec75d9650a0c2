// SPDX-License-Identifier: GPL-2.0-only
// Shrinking a finding: ddmin keeps exactly what the failure needs,
// judged by "the same rule broken" (a planted different failure is not it).
import { describe, expect, it } from 'vitest';
import { ruleOf, sameFailure, shrinkFinding } from '../../../src/explore/shrink.js';
import type { CallAction, Execution, ModelViolation, Program } from '../../../src/explore/types.js';

const call = (c: CallAction['call'], ...args: CallAction['args']): CallAction => ({ kind: 'call', call: c, args });
const names = { root: '/t', id: 'x', target: '/bin/true' };
const exec = (violations: ModelViolation[]): Execution => ({ names, results: [], violations });

describe('sameFailure', () => {
  const p: Program = { actions: [call('stat', { t: '{root}/g/e/enable' })] };
  const v: ModelViolation = { action: 0, op: 'stat', path: '/t/g/e/enable', expected: 'ENOENT', got: 'success' };
  it('the same call failing the same expectation, whatever the names', () => {
    expect(ruleOf(p, v)).toBe('stat|stat|ENOENT');
    expect(sameFailure(p, exec([v]), p, exec([{ ...v, path: '/t/other/enable' }]))).toBe(true);
  });
  it('another expectation broken, or none: not the same failure', () => {
    expect(sameFailure(p, exec([v]), p, exec([{ ...v, expected: 'ENODEV' }]))).toBe(false);
    expect(sameFailure(p, exec([v]), p, exec([]))).toBe(false);
  });
  it('a health violation (no action) matches a health violation', () => {
    const h: ModelViolation = {
      action: -1,
      op: 'kernel health',
      path: 'x',
      expected: 'no oops',
      got: 'warn_count 0->1',
    };
    expect(sameFailure(p, exec([h]), { actions: [] }, exec([{ ...h, got: 'warn_count 1->2' }]))).toBe(true);
  });
});

describe('shrinkFinding', () => {
  // The "kernel": a stat of {root}/bad fails only after a create of it was written before.
  const failing = (q: Program): Execution => {
    const texts = q.actions.map((a) =>
      a.kind === 'call' && a.args[0] && 't' in a.args[0] ? `${a.call}:${a.args[0].t}` : '',
    );
    const made = texts.indexOf('write:{root}/create');
    const hit = texts.findIndex((t, i) => t === 'stat:{root}/bad' && made >= 0 && i > made);
    return exec(hit >= 0 ? [{ action: hit, op: 'stat', path: 'p', expected: 'ENOENT', got: 'success' }] : []);
  };
  const noise = (i: number) => call('stat', { t: `{root}/n${i}` });
  const p: Program = {
    actions: [
      noise(0),
      call('write', { t: '{root}/create' }, { t: '1' }),
      noise(1),
      noise(2),
      call('stat', { t: '{root}/bad' }),
      noise(3),
    ],
  };
  it('keeps exactly the two actions the failure needs, and their execution', async () => {
    const r = await shrinkFinding(p, failing(p), { execute: async (q) => failing(q) });
    expect(r?.program.actions).toEqual([p.actions[1], p.actions[4]]);
    expect(r?.execution.violations[0]?.action).toBe(1);
    expect(r?.complete).toBe(true);
  });
  it('a failure that does not come back: nothing', async () => {
    expect(await shrinkFinding(p, failing(p), { execute: async () => exec([]) })).toBeUndefined();
  });
  it('an aborted signal stops it before any replay', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    let runs = 0;
    const r = await shrinkFinding(p, failing(p), { execute: async (q) => (runs++, failing(q)) }, ctrl.signal);
    expect(runs).toBe(0);
    expect(r).toBeUndefined();
  });
});
