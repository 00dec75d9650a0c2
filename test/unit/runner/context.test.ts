// SPDX-License-Identifier: GPL-2.0-only
// The context is where a scenario's system calls and test hooks come from:
// the Sys the runner gives it (a recording's wrapper under --repro-dir) reaches
// the scenario and the probes it makes, and its Checks reports to the same
// recording and honours the run's test hooks. No addon: a scripted Sys.
import { describe, expect, it } from 'vitest';
import { native, SYS_CALLS, SysError, type Sys } from '../../../src/native/index.js';
import { VariantContext } from '../../../src/runner/context.js';
import type { Ownership } from '../../../src/probes/ownership.js';
import type { Tracefs } from '../../../src/tracefs/types.js';
import type { JudgedCheck, ScenarioOptions } from '../../../src/scenarios/types.js';
import type { Evidence } from '../../../src/model.js';

const fakeSys = Object.fromEntries(Object.keys(SYS_CALLS).map((n) => [n, () => 0])) as unknown as Sys;
const hooks = { log: () => {}, progress: () => {} };
const ENOENT = new SysError('stat', 2, 'ENOENT');

function owner() {
  const asked: unknown[] = [];
  const o = {
    newGroup: () => 'tfsr_1_abcdef_g1',
    newProbe: (kind: string, opts: unknown) => (asked.push({ kind, opts }), {}),
    release: () => [],
  } as unknown as Ownership;
  return { o, asked };
}

function context(options: Partial<ScenarioOptions>, through?: ConstructorParameters<typeof VariantContext>[6]) {
  const { o, asked } = owner();
  const opts = { durationMs: 1, threads: 1, ...options };
  const ctx = new VariantContext({} as Tracefs, 'uprobe', opts, new AbortController().signal, o, hooks, through);
  return { ctx, asked };
}

describe('VariantContext', () => {
  it("hands the scenario, and the probes it makes, the runner's Sys (the addon's gateway by default)", () => {
    expect(context({}).ctx.sys).toBe(native);
    const { ctx, asked } = context({}, { sys: fakeSys });
    expect(ctx.sys).toBe(fakeSys);
    ctx.newProbe();
    expect(asked).toEqual([{ kind: 'uprobe', opts: { group: 'tfsr_1_abcdef_g1', sys: fakeSys } }]);
  });

  it('gives each Checks the recording it reports to', () => {
    const judged: [Evidence, JudgedCheck, unknown][] = [];
    const { ctx } = context({}, { sys: fakeSys, onJudged: (ev, check, r) => judged.push([ev, check, r]) });
    const exp = ctx.checks();
    expect(exp.fails('stat', '/t/e', 0, 'ENOENT')).toBe(false);
    expect(exp.succeeds('stat', '/t/e', ENOENT)).toBe(false);
    expect(judged.map(([ev, check, r]) => [ev.op, check.kind, r])).toEqual([
      ['stat', 'errno', 0],
      ['stat', 'success', ENOENT],
    ]);
  });

  it("inverts a check only when the run's options carry the test hook", () => {
    const plain = context({}).ctx.checks();
    expect(plain.fails('stat', '/t/e', ENOENT, 'ENOENT')).toBe(true);
    const byOp = context({ testHooks: { invertCheck: 'stat' } }).ctx.checks();
    expect(byOp.fails('stat', '/t/e', ENOENT, 'ENOENT')).toBe(false);
    expect(byOp.evidence).toEqual([{ op: 'stat', path: '/t/e', expected: 'success', got: 'ENOENT' }]);
    const second = context({ testHooks: { invertCheck: '#2' } }).ctx.checks();
    expect(second.succeeds('open', '/t/e', 3)).toBe(true);
    expect(second.succeeds('open', '/t/e', 3)).toBe(true); // inverted: a success is the violation, the value still comes back
    expect(second.outcome().status).toBe('FAIL');
  });
});
