// SPDX-License-Identifier: GPL-2.0-only
// The runner and a known crasher: on a kernel in the crasher's affected ranges
// the variant is never started (SKIP naming the bug and the fix, in every
// format); --run-known-crashers starts it and an oops with the signature is
// XFAIL; a fixed kernel runs it as any other.
import { describe, expect, it } from 'vitest';
import { crasherSkips, runSuite, type ExpectationOptions, type SuiteOptions } from '../../../src/runner/run-suite.js';
import { renderJson, renderJunit, renderKtap, renderPretty } from '../../../src/report/index.js';
import { shippedCrashers, shippedKnownBugs } from '../../../src/expectations/shipped.js';
import { knownBugLabel } from '../../../src/expectations/naming.js';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';
import type { Scenario, ScenarioOutcome } from '../../../src/scenarios/types.js';
import type { Tracefs } from '../../../src/tracefs/types.js';
import { plantedScenario, plantedTracefs, PASS } from '../../unit/runner/planted-suite.js';
import { reportSchemaErrors } from '../../schema/report-schema.js';

const base = plantedTracefs('tfsr-crashers-');
const on = (release: string): Tracefs => ({ ...base, kernel: { ...base.kernel, release } });
const crashers = shippedCrashers(CATALOGUE.map((s) => s.id));

function suite(ran: string[], expect: ExpectationOptions, outcome: ScenarioOutcome = PASS): SuiteOptions {
  const planted = (id: string): Scenario =>
    plantedScenario(id, async () => {
      ran.push(id);
      return outcome;
    });
  return {
    scenarios: [planted('race-getdents'), planted('race-reopen')],
    kinds: ['uprobe'],
    bail: false,
    signal: new AbortController().signal,
    hooks: { log: () => {}, progress: () => {} },
    durationMs: 10,
    threads: 1,
    expect,
  };
}

describe('a known crasher on a kernel that carries its bug', () => {
  it('is not started: SKIP naming CVE-2026-74605 and f0ece16ffca7 in pretty, JSON, KTAP and JUnit; the rest run', async () => {
    const ran: string[] = [];
    const rep = await runSuite(on('6.18.15+deb13-amd64'), suite(ran, { entries: crashers }));
    expect(ran).toEqual(['race-reopen']);
    const [skip, other] = rep.results;
    expect(skip).toMatchObject({ name: 'race-getdents[uprobe]', status: 'UNSUPPORTED' });
    expect(skip!.reason).toMatch(
      /^known kernel crasher, not run on 6\.18\.15\+deb13-amd64: it hits CVE-2026-74605 .* fixed by f0ece16ffca7 .*--run-known-crashers runs it anyway/,
    );
    expect(other!.status).toBe('PASS');
    for (const text of [renderPretty(rep, { color: false }), renderJson(rep), renderKtap(rep), renderJunit(rep)]) {
      expect(text).toContain('CVE-2026-74605');
      expect(text).toContain('f0ece16ffca7');
    }
    expect(renderKtap(rep)).toMatch(/^ok 1 race-getdents\[uprobe\] # SKIP/m);
    // The report schema knows the crasher's fields.
    expect(reportSchemaErrors(JSON.parse(renderJson(rep)))).toEqual([]);
    expect(JSON.parse(renderJson(rep)).results[0].expectation).toMatchObject({
      verdict: 'skip',
      crasher: 'CVE-2026-74605',
    });
    expect([
      ...crasherSkips(on('6.18.15+deb13-amd64'), suite([], { entries: crashers }).scenarios, ['uprobe'], {
        entries: crashers,
      }).values(),
    ]).toEqual([['race-getdents[uprobe]']]);
  });

  it('--run-known-crashers starts it; an oops with the signature is XFAIL, a pass stays PASS', async () => {
    const ran: string[] = [];
    const oops: ScenarioOutcome = {
      status: 'FAIL',
      evidence: [
        {
          op: 'kernel health',
          path: '/dev/kmsg',
          expected: 'no oops',
          got: 'oops',
          detail: 'RIP: 0010:eventfs_iterate+0x2ae/0x340',
        },
      ],
      checks: 1,
    };
    const rep = await runSuite(on('6.18.44-fc-v1272'), suite(ran, { entries: crashers, runKnownCrashers: true }, oops));
    expect(ran).toEqual(['race-getdents', 'race-reopen']);
    expect(rep.results.map((r) => r.status)).toEqual(['XFAIL', 'FAIL']);
    const passed = await runSuite(on('6.18.44-fc-v1272'), suite([], { entries: crashers, runKnownCrashers: true }));
    expect(passed.results.map((r) => r.status)).toEqual(['PASS', 'PASS']);
  });

  it('--ignore-skips is not the way to run a crasher', async () => {
    const ran: string[] = [];
    await runSuite(on('6.18.44-fc-v1272'), suite(ran, { entries: crashers, ignoreSkips: true }));
    expect(ran).toEqual(['race-reopen']);
  });

  it('a kernel with the fix runs it as any other', async () => {
    for (const release of ['7.1.9', '6.12.118+deb13-amd64', '7.3.4+deb13-amd64']) {
      const ran: string[] = [];
      const rep = await runSuite(on(release), suite(ran, { entries: crashers }));
      expect(ran, release).toEqual(['race-getdents', 'race-reopen']);
      expect(rep.results.map((r) => r.status)).toEqual(['PASS', 'PASS']);
    }
  });
});

describe('host run: failures named by the known bug they match', () => {
  const oops: ScenarioOutcome = {
    status: 'FAIL',
    evidence: [
      {
        op: 'kernel health',
        path: '/dev/kmsg',
        expected: 'no oops',
        got: 'oops',
        detail:
          'BUG: kernel NULL pointer dereference, address: 0000000000000050\nRIP: 0010:eventfs_iterate+0x2ae/0x340',
      },
    ],
    checks: 1,
  };
  const knownBugs = shippedKnownBugs(CATALOGUE.map((s) => s.id))!;

  it('each result as it completes: the XFAIL by the crasher named, its status kept; without a catalogue nothing is named', async () => {
    const opts = { ...suite([], { entries: crashers, runKnownCrashers: true }, oops), knownBugs };
    const rep = await runSuite(on('6.18.44-fc-v1272'), opts);
    expect(rep.results.map((r) => `${r.status} ${knownBugLabel(r)}`)).toEqual([
      'XFAIL CVE-2026-74605: predates the fix',
      'FAIL CVE-2026-74605: predates the fix',
    ]);
    const bare = await runSuite(on('6.18.44-fc-v1272'), suite([], { entries: crashers, runKnownCrashers: true }, oops));
    expect(bare.results.map((r) => knownBugLabel(r))).toEqual([undefined, undefined]);
  });
});
