// SPDX-License-Identifier: GPL-2.0-only
// Variants a run never reached (SIGTERM, --bail) stay in its report: the
// runner gives each a "not run" result, and every format shows them.
import { describe, expect, it } from 'vitest';
import { runSuite, type SuiteOptions } from '../../../src/runner/run-suite.js';
import { renderKtap, renderJunit, renderJson, renderPretty, exitCodeFor } from '../../../src/report/index.js';
import type { Scenario, ScenarioOutcome } from '../../../src/scenarios/types.js';
import { plantedScenario, plantedTracefs, PASS } from '../../unit/runner/planted-suite.js';
import type { ProbeKind } from '../../../src/model.js';

const tracefs = plantedTracefs('tfsr-notrun-');
const scenario = (id: string, run: () => ScenarioOutcome): Scenario => plantedScenario(id, async () => run());
const FAIL: ScenarioOutcome = {
  status: 'FAIL',
  evidence: [{ op: 'open', path: '/x', expected: 'ENOENT', got: 'fd' }],
  checks: 1,
};

function options(scenarios: Scenario[], abort: AbortController, extra: Partial<SuiteOptions> = {}): SuiteOptions {
  const kinds: ProbeKind[] = ['uprobe', 'kprobe'];
  return {
    scenarios,
    kinds,
    bail: false,
    signal: abort.signal,
    hooks: { log: () => {}, progress: () => {} },
    durationMs: 10,
    threads: 1,
    ...extra,
  };
}

describe('a run cut short keeps its whole plan', () => {
  it('SIGTERM during the second scenario: the rest are UNRESOLVED "not run: interrupted by SIGTERM"', async () => {
    const abort = new AbortController();
    const ran: string[] = [];
    const rep = await runSuite(
      tracefs,
      options(
        [
          scenario('first', () => (ran.push('first'), PASS)),
          scenario('second', () => (ran.push('second'), abort.abort('SIGTERM'), PASS)),
          scenario('third', () => (ran.push('third'), PASS)),
        ],
        abort,
      ),
    );
    expect(ran).toEqual(['first', 'second']);
    expect(rep.interrupted).toBe('SIGTERM');
    expect(rep.results.map((r) => [r.name, r.status, r.notRun ?? '', r.reason ?? ''])).toEqual([
      ['first[uprobe]', 'PASS', '', ''],
      // This kernel has no kprobes: a variant that would not run anyway keeps its SKIP.
      ['first[kprobe]', 'UNSUPPORTED', '', 'kprobe_events not available in this kernel (CONFIG_KPROBE_EVENTS)'],
      ['second[uprobe]', 'PASS', '', ''],
      ['second[kprobe]', 'UNSUPPORTED', '', 'kprobe_events not available in this kernel (CONFIG_KPROBE_EVENTS)'],
      ['third[uprobe]', 'UNRESOLVED', 'interrupted', 'not run: interrupted by SIGTERM'],
      ['third[kprobe]', 'UNSUPPORTED', '', 'kprobe_events not available in this kernel (CONFIG_KPROBE_EVENTS)'],
    ]);
    // The variant the signal cut short says so.
    expect(rep.results[2]!.cutShort).toBe('SIGTERM');
    expect(rep.results[0]!.cutShort).toBeUndefined();
    const ktap = renderKtap(rep);
    expect(ktap).toContain('1..6\n');
    expect(ktap).toContain('not ok 5 third[uprobe] # ERROR not run: interrupted by SIGTERM\n');
    expect(exitCodeFor(rep)).toBe(1);
  });

  it('--bail after a failure: the rest are UNRESOLVED "not run: --bail after <name> failed"', async () => {
    const abort = new AbortController();
    const rep = await runSuite(
      tracefs,
      options(
        [
          scenario('ok', () => PASS),
          scenario('broken', () => FAIL),
          scenario('later', () => PASS),
          scenario('last', () => PASS),
        ],
        abort,
        { kinds: ['uprobe'], bail: true },
      ),
    );
    expect(rep.interrupted).toBe('--bail after broken[uprobe]');
    expect(rep.results.map((r) => [r.name, r.status, r.reason ?? ''])).toEqual([
      ['ok[uprobe]', 'PASS', ''],
      ['broken[uprobe]', 'FAIL', ''],
      ['later[uprobe]', 'UNRESOLVED', 'not run: --bail after broken[uprobe] failed'],
      ['last[uprobe]', 'UNRESOLVED', 'not run: --bail after broken[uprobe] failed'],
    ]);
    expect(rep.results[2]!.notRun).toBe('bail');
    expect(exitCodeFor(rep)).toBe(1);
  });

  it('aborted before anything ran: every variant is in the report, none ran', async () => {
    const abort = new AbortController();
    abort.abort('SIGINT');
    const rep = await runSuite(tracefs, options([scenario('a', () => PASS)], abort, { kinds: ['uprobe'] }));
    expect(rep.results).toMatchObject([
      { name: 'a[uprobe]', status: 'UNRESOLVED', notRun: 'interrupted', reason: 'not run: interrupted by SIGINT' },
    ]);
    expect(renderPretty(rep)).toContain('0 passed, 0 failed, 0 skipped, 1 not run');
    expect(JSON.parse(renderJson(rep)).summary).toMatchObject({ unresolved: 1, notRun: 1, total: 1, exitCode: 1 });
    expect(renderJunit(rep)).toContain('<error message="not run: interrupted by SIGINT" type="NOT_RUN"/>');
  });
});
