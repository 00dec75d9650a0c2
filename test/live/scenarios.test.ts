// Every scenario against this machine's real tracefs, each probe kind the
// kernel has. No mocks: the kernel is the oracle.
import { afterAll, describe, expect, it } from 'vitest';
import { liveSkipReason, leftovers } from './live-env.js';
import { CATALOGUE } from '../../src/scenarios/catalogue.js';
import { openTracefs } from '../../src/tracefs/open.js';
import { runSuite } from '../../src/runner/run-suite.js';
import { runTeardown } from '../../src/runner/teardown.js';
import { DEFAULT_KINDS } from '../../src/runner/select.js';
import type { ScenarioResult } from '../../src/report/types.js';

const live = describe.skipIf(!!liveSkipReason);

function explain(r: ScenarioResult): string {
  return `${r.name} ${r.status} ${r.reason ?? ''}\n${r.evidence.map((e) => `  ${e.op} ${e.path}: expected ${e.expected}, got ${e.got}`).join('\n')}`;
}

live('scenarios on the running kernel', () => {
  afterAll(() => {
    runTeardown();
  });

  for (const scenario of CATALOGUE) {
    it(`${scenario.id}: every supported kind passes, unsupported default kinds skip with a reason`, async () => {
      const tracefs = openTracefs();
      const report = await runSuite(tracefs, {
        scenarios: [scenario],
        kinds: DEFAULT_KINDS,
        durationMs: 2000,
        threads: 2,
        bail: false,
        signal: new AbortController().signal,
        hooks: { log: () => undefined, progress: () => undefined },
      });
      expect(report.results).toHaveLength(DEFAULT_KINDS.length);
      for (const r of report.results) {
        if (tracefs.kinds.includes(r.kind)) {
          expect(r.status, explain(r)).toBe('PASS');
          expect(r.checks).toBeGreaterThan(0);
          expect(r.health?.ok, explain(r)).toBe(true);
        } else {
          expect(r.status).toBe('UNSUPPORTED');
          expect(r.reason).toMatch(new RegExp(`${r.kind}_events not available`));
        }
      }
      expect(leftovers()).toEqual([]);
    });
  }
});
