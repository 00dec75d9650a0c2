// Every race scenario for a few seconds on this machine's tracefs, through
// the suite runner: each supported kind passes with zero violations, and
// nothing tfsr_ is left behind.
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, liveSkipReason } from '../live-env.js';
import { RACE_SCENARIOS } from '../../../src/scenarios/race-catalogue.js';
import { openTracefs } from '../../../src/tracefs/open.js';
import { runSuite } from '../../../src/runner/run-suite.js';
import { runTeardown } from '../../../src/runner/teardown.js';
import { DEFAULT_KINDS } from '../../../src/runner/select.js';
import type { ScenarioResult } from '../../../src/report/types.js';
import type { RaceStats } from '../../../src/race/types.js';

const live = describe.skipIf(!!liveSkipReason);

function explain(r: ScenarioResult): string {
  return [`${r.name} ${r.status} ${r.reason ?? ''}`, ...(r.notes ?? []), ...r.evidence.map((e) => `  ${e.op} ${e.path}: expected ${e.expected}, got ${e.got} (${e.detail ?? ''})`)].join('\n');
}

live('race scenarios on the running kernel', () => {
  afterAll(() => {
    runTeardown();
  });

  for (const scenario of RACE_SCENARIOS) {
    it(`${scenario.id}: zero violations on every supported kind`, async () => {
      const tracefs = openTracefs();
      const progress: string[] = [];
      const report = await runSuite(tracefs, {
        scenarios: [scenario],
        kinds: DEFAULT_KINDS,
        durationMs: 3000,
        threads: 2,
        bail: false,
        signal: new AbortController().signal,
        hooks: { log: () => undefined, progress: (l) => progress.push(l) },
      });
      for (const r of report.results) {
        if (!tracefs.kinds.includes(r.kind)) {
          expect(r.status).toBe('UNSUPPORTED');
          continue;
        }
        process.stdout.write(`${(r.notes ?? []).join('\n')}\n`);
        expect(r.status, explain(r)).toBe('PASS');
        const s = r.stats as RaceStats;
        expect(s.violationCount).toBe(0);
        expect(s.cycles).toBeGreaterThan(0);
        expect(s.totalOps).toBeGreaterThan(0);
        expect(r.health?.ok, explain(r)).toBe(true);
      }
      expect(progress.some((l) => l.startsWith(`race ${scenario.id}[`))).toBe(true);
      expect(leftovers()).toEqual([]);
    });
  }
});
