// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { SYS_CALLS, SysError, type Sys, type SysCall } from '../../../src/native/types.js';
import { Recorder, symbolise } from '../../../src/repro/record.js';

const names = { root: '/sys/kernel/tracing', id: 'tfsr_12_abcdef', target: '/usr/bin/true:0x23d0' };
const ENOENT = new SysError('stat', 2, 'ENOENT');

/** A Sys whose every call returns what the test says it returned, and what it was called with. */
function scripted() {
  const seen: { name: SysCall; args: unknown[] }[] = [];
  let result: unknown;
  const sys = Object.fromEntries(
    (Object.keys(SYS_CALLS) as SysCall[]).map((name) => [
      name,
      (...args: unknown[]) => {
        seen.push({ name, args });
        return result;
      },
    ]),
  ) as unknown as Sys;
  return { sys, seen, returns: (r: unknown) => (result = r) };
}

/** The recorder's wrapper around a scripted Sys, and a way to call through it. */
function recording() {
  const rec = new Recorder(names);
  const inner = scripted();
  const sys = rec.wrap(inner.sys);
  const call = (name: SysCall, args: unknown[], result: unknown): unknown => {
    inner.returns(result);
    return (sys[name] as (...a: unknown[]) => unknown)(...args);
  };
  return { rec, call, inner };
}

describe('symbolise', () => {
  it('names the run, the root and the probe site as templates', () => {
    expect(symbolise('p:tfsr_12_abcdef_g1/e2 /usr/bin/true:0x23d0', names)).toBe('p:{id}_g1/e2 {target}');
    expect(symbolise('/sys/kernel/tracing/instances/tfsr_12_abcdef_i3', names)).toBe('{root}/instances/{id}_i3');
    expect(symbolise('tfsr_12_abcdeff', names)).toBe('{id}f'); // plain text replacement: names are delimited by the grammar
  });
});

describe('Recorder', () => {
  it("keeps the scenario's calls in tracefs and on their fds, and leaves out the rest", () => {
    const { rec, call, inner } = recording();
    // The wrapper hands back what the wrapped call returned, with the arguments it was given.
    expect(call('open', ['/sys/kernel/tracing/uprobe_events', 1025], 7)).toBe(7);
    expect(inner.seen).toEqual([{ name: 'open', args: ['/sys/kernel/tracing/uprobe_events', 1025] }]);
    call('write', [7, 'p:tfsr_12_abcdef_g1/e2 /usr/bin/true:0x23d0'], 41);
    call('read', [3, 4096], Buffer.from('kmsg')); // an fd not opened through it: not ours
    call('open', ['/proc/sys/kernel/tainted', 0], 9); // outside tracefs
    call('close', [7], 0);
    call('stat', ['/sys/kernel/tracing/events/tfsr_12_abcdef_g1/e2'], ENOENT);
    call('stat', ['enable'], ENOENT); // relative, cwd not in tracefs
    const r = rec.stop();
    // A scenario the runner abandoned may go on calling: nothing more is kept.
    call('stat', ['/sys/kernel/tracing/events'], 0);
    expect(r.steps.map((s) => s.call)).toEqual(['open', 'write', 'close', 'stat']);
    expect(r.steps[1]!.args).toEqual([{ fd: 0 }, { t: 'p:{id}_g1/e2 {target}' }]);
    expect(r.steps[3]!.outcome).toEqual({ err: 'ENOENT' });
  });

  it('keeps relative paths once a recorded chdir put the cwd inside tracefs, until a chdir elsewhere', () => {
    const { rec, call } = recording();
    call('chdir', ['/sys/kernel/tracing/events/tfsr_12_abcdef_g1/e2'], 0);
    call('stat', ['enable'], 0);
    call('fchdir', [99], 0); // an fd of the runner's: back outside
    call('stat', ['enable'], ENOENT);
    expect(rec.stop().steps.map((s) => `${s.call} ${JSON.stringify(s.args)}`)).toEqual([
      'chdir [{"t":"{root}/events/{id}_g1/e2"}]',
      'stat [{"t":"enable"}]',
    ]);
  });

  it("ties a failed expectation to the call whose result it judged, and to none when that call wasn't recorded", () => {
    const { rec, call } = recording();
    const noteJudged = rec.onJudged;
    call('open', ['/sys/kernel/tracing/uprobe_events', 1025], 7);
    const written = 41;
    call('write', [7, '-:tfsr_12_abcdef_g1/e2'], written);
    call('close', [7], 0);
    const ev = {
      op: 'write "-:tfsr_12_abcdef_g1/e2"',
      path: '/sys/kernel/tracing/uprobe_events',
      expected: 'ENOENT',
      got: 'success (41)',
    };
    noteJudged(ev, { kind: 'errno', codes: ['ENOENT'] }, written);
    noteJudged({ ...ev, op: 'stat' }, { kind: 'errno', codes: ['ENOENT'] }, new SysError('lstat', 2, 'ENOENT'));
    noteJudged({ ...ev, op: 'getdents64' }, { kind: 'that' }, undefined);
    const r = rec.stop();
    expect(r.judged.map((j) => j.step)).toEqual([1, -1, 2]);
    expect(r.judged[0]).toMatchObject({ op: 'write "-:{id}_g1/e2"', path: '{root}/uprobe_events' });
    noteJudged(ev, { kind: 'success' }, written); // after stop: goes nowhere
    expect(r.judged).toHaveLength(3);
  });
});
