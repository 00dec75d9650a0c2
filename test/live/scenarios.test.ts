// SPDX-License-Identifier: GPL-2.0-only
// Every scenario against this machine's real tracefs, each probe kind the
// kernel has. No mocks: the kernel is the oracle. The project's own
// expectations (kernel/known-bugs.json) go through the runner as a user's
// would: a known crasher of this kernel is reported SKIP with the bug and its fix.
import { afterAll, describe, expect, it } from 'vitest';
import { liveSkipReason, leftovers, KNOWN_BUGS_FILE, RUN_KNOWN_BUGS } from './live-env.js';
import { CATALOGUE } from '../../src/scenarios/catalogue.js';
import { NEEDS_REMOUNT } from '../../src/scenarios/perm-remount-gid.js';
import { loadExpectations } from '../../src/expectations/parse.js';
import { openTracefs } from '../../src/tracefs/open.js';
import { runSuite } from '../../src/runner/run-suite.js';
import { runTeardown, onTeardown } from '../../src/runner/teardown.js';
import { DEFAULT_KINDS } from '../../src/runner/select.js';
import type { ScenarioResult } from '../../src/report/types.js';
import type { RaceStats } from '../../src/race/types.js';

const live = describe.skipIf(!!liveSkipReason);

function explain(r: ScenarioResult): string {
  return [
    `${r.name} ${r.status} ${r.reason ?? ''}`,
    ...(r.notes ?? []),
    ...r.evidence.map((e) => `  ${e.op} ${e.path}: expected ${e.expected}, got ${e.got} ${e.detail ?? ''}`),
  ].join('\n');
}

live('scenarios on the running kernel', () => {
  afterAll(() => {
    runTeardown();
  });

  const entries = loadExpectations(
    KNOWN_BUGS_FILE,
    CATALOGUE.map((s) => s.id),
  );

  for (const scenario of CATALOGUE) {
    it(`${scenario.id}: every supported kind passes (or is a known bug), unsupported default kinds skip with a reason`, async () => {
      const tracefs = openTracefs({ onTeardown });
      const progress: string[] = [];
      const report = await runSuite(tracefs, {
        scenarios: [scenario],
        kinds: DEFAULT_KINDS,
        durationMs: 3000,
        threads: 2,
        bail: false,
        expect: { entries, runKnownCrashers: RUN_KNOWN_BUGS },
        signal: new AbortController().signal,
        hooks: { log: () => undefined, progress: (l) => progress.push(l) },
      });
      expect(report.results).toHaveLength(DEFAULT_KINDS.length);
      for (const r of report.results) {
        if (r.kind === 'vm' || !tracefs.kinds.includes(r.kind)) {
          expect(r.status).toBe('UNSUPPORTED');
          expect(r.reason).toMatch(new RegExp(`${r.kind}_events not available`));
          continue;
        }
        if (r.expectation?.verdict === 'skip') {
          expect(r.status).toBe('UNSUPPORTED');
          expect(r.reason).toMatch(/^known kernel (bug|crasher), not run on /);
          process.stderr.write(`SKIP ${r.name}: ${r.reason}\n`);
          continue;
        }
        if (r.status === 'UNSUPPORTED' && r.reason === NEEDS_REMOUNT) {
          // without --allow-remount; test/live/perm.test.ts runs it with
          process.stderr.write(`SKIP ${r.name}: ${r.reason}\n`);
          continue;
        }
        if (r.status === 'XFAIL') {
          // only with TRACEFS_REGRESS_RUN_KNOWN_BUGS=1 on a kernel the file knows
          expect(r.expectation?.verdict, explain(r)).toBe('xfail');
          process.stderr.write(`XFAIL ${r.name}: ${r.expectation!.matched}\n`);
          continue;
        }
        expect(r.status, explain(r)).toBe('PASS');
        expect(r.checks).toBeGreaterThan(0);
        expect(r.health?.ok, explain(r)).toBe(true);
        if (scenario.race) {
          const s = r.stats as RaceStats;
          expect(s.violationCount).toBe(0);
          expect(s.cycles).toBeGreaterThan(0);
          expect(s.totalOps).toBeGreaterThan(0);
          expect(progress.some((l) => l.startsWith(`race ${scenario.id}[`))).toBe(true);
        }
      }
      expect(leftovers()).toEqual([]);
    });
  }
});
