// SPDX-License-Identifier: GPL-2.0-only
// Failures named by the known bug they match (src/expectations/naming.ts), against
// the shipped catalogue: a match on a release before its series' fix, at or
// after it (a regression or a missing backport), on a series the catalogue
// does not cover; planted lines that must not match (another function, a
// WARNING for an oops, a call-trace-only mention); NEW for a failure that
// matches none; the status is never changed; the catalogue's bad records are
// refused. The label the heat map uses.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fixVerdict,
  kernelVersionOf,
  knownBugLabel,
  knownBugLine,
  matchKnownBug,
  nameReport,
  nameResult,
} from '../../../src/expectations/naming.js';
import { parseCatalogue } from '../../../src/expectations/parse.js';
import { SHIPPED_FILE, shippedKnownBugs } from '../../../src/expectations/shipped.js';
import { EXPECT_SCHEMA, type KnownBug } from '../../../src/expectations/types.js';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';
import type { ScenarioResult } from '../../../src/report/types.js';
import { refusalOf } from './refusal.js';

const IDS = CATALOGUE.map((s) => s.id);
const BUGS: KnownBug[] = shippedKnownBugs(IDS)!;

const OOPS = [
  '[  41.201003] BUG: kernel NULL pointer dereference, address: 0000000000000050',
  '[  41.201020] Oops: 0000 [#1] PREEMPT SMP NOPTI',
  '[  41.201040] RIP: 0010:eventfs_iterate+0x29c/0x340',
];
const WARN_61 = ['WARNING: CPU: 0 PID: 312 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x1a2/0x1c0'];
const DEBIAN_61 = '#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)';

const fail = (lines: string[], status: ScenarioResult['status'] = 'FAIL'): ScenarioResult => ({
  name: 'race-getdents[uprobe]',
  scenario: 'race-getdents',
  kind: 'uprobe',
  title: 't',
  status,
  checks: 1,
  durationMs: 1,
  references: [],
  evidence: [],
  ...(lines.length ? { health: { ok: false, kernelLines: lines } as ScenarioResult['health'] } : {}),
});

describe('the shipped catalogue', () => {
  it('names every bug it holds by id, the crasher first, each with a console signature', () => {
    expect(BUGS.map((b) => [b.id, b.crasher, b.console.functions.join('|'), b.console.kinds.join('|')])).toEqual([
      ['CVE-2026-74605', true, 'eventfs_iterate', 'NULL pointer dereference'],
      ['tfsr-6.1-trigger-fd-warn', false, 'enable_trace_kprobe|probe_event_enable', 'WARNING'],
      ['CVE-2023-52879', false, 'tracing_release_file_tr', 'NULL pointer dereference'],
      ['CVE-2024-46785', false, 'eventfs_iterate', 'general protection fault|page fault'],
      ['CVE-2024-43891', false, 'f_show', 'KASAN use-after-free'],
    ]);
    expect(BUGS.every((b) => b.reference && b.fix.subject)).toBe(true);
  });
});

describe('matchKnownBug: verdicts', () => {
  it('6.18.15 predates the fix of CVE-2026-74605 (no 6.18.y release has it)', () => {
    const m = matchKnownBug(OOPS, BUGS, '6.18.15+deb13-amd64')!;
    expect(m).toMatchObject({ id: 'CVE-2026-74605', verdict: 'predates-fix', matched: OOPS[2] });
    expect(m.text).toBe(
      'matches CVE-2026-74605 (NULL dereference in eventfs_iterate when a listing of events/<group>/ races removal), ' +
        'fixed upstream by f0ece16ffca7 ("eventfs: Use children field for rcu head and add memory barriers"); ' +
        '6.18.15+deb13-amd64 predates the fix (no 6.18.y release has the fix: the backport was in 6.18.45-rc1 and dropped from 6.18.45)',
    );
  });

  it('7.1.9 and 7.3.4 should contain it: a regression or a missing backport', () => {
    for (const [rel, why] of [
      ['7.1.9', 'the 7.1.y fix is in 7.1.9'],
      ['7.3.4+deb13-amd64', 'mainline has the fix from 7.2-rc7 on'],
    ]) {
      const m = matchKnownBug(OOPS, BUGS, rel!)!;
      expect(m.verdict).toBe('should-contain-fix');
      expect(m.text).toContain(`; ${rel} should contain the fix: a regression or a missing backport (${why})`);
    }
    expect(matchKnownBug(OOPS, BUGS, '7.1.8')!.verdict).toBe('predates-fix');
  });

  it("a distribution's own backport: Debian 6.12.118 should contain it, 6.12.90+deb12 predates it, a plain 6.12.118 too", () => {
    expect(matchKnownBug(OOPS, BUGS, '6.12.118+deb13-amd64')!.text).toContain(
      'should contain the fix: a regression or a missing backport (Debian carries the fix from 6.12.118 on)',
    );
    expect(matchKnownBug(OOPS, BUGS, '6.12.90+deb12-amd64')!.verdict).toBe('predates-fix');
    expect(matchKnownBug(OOPS, BUGS, '6.12.118')!.verdict).toBe('predates-fix');
  });

  it('unknown series: one the catalogue does not list, one older than the bug, a release without a version', () => {
    expect(matchKnownBug(OOPS, BUGS, '6.14.3')!.text).toContain(
      'unknown series: whether 6.14.3 should contain the fix is not known (the catalogue does not say whether any 6.14.y release has the fix)',
    );
    expect(fixVerdict(BUGS[0]!.affected, '6.6.40').because).toBe('older than 6.8, where the bug came in');
    expect(fixVerdict(BUGS[0]!.affected, 'custom-kernel').verdict).toBe('unknown-series');
  });

  it("a series the bug reached by a backport: before that backport it cannot be this bug's", () => {
    const cve = BUGS.find((b) => b.id === 'CVE-2023-52879')!;
    expect(fixVerdict(cve.affected, '6.1.60').verdict).toBe('predates-fix');
    expect(fixVerdict(cve.affected, '6.1.64').verdict).toBe('should-contain-fix');
    expect(fixVerdict(cve.affected, '6.1.50')).toMatchObject({
      verdict: 'unknown-series',
      because: 'older than 6.1.55, the first 6.1.y release with the bug',
    });
  });

  it("Debian 6.1's ABI release (6.1.0-57) is placed by its build string", () => {
    expect(kernelVersionOf('6.1.0-57-amd64', DEBIAN_61)).toEqual({ major: 6, minor: 1, patch: 158 });
    expect(kernelVersionOf('6.1.0-57-amd64', '#1 SMP PREEMPT_DYNAMIC')).toEqual({ major: 6, minor: 1, patch: 0 });
    // A build string naming another series is not this kernel's.
    expect(kernelVersionOf('6.12.118+deb13-amd64', 'Debian 6.1.158-1')).toEqual({ major: 6, minor: 12, patch: 118 });
    const m = matchKnownBug(WARN_61, BUGS, '6.1.0-57-amd64', DEBIAN_61)!;
    expect(m).toMatchObject({ id: 'tfsr-6.1-trigger-fd-warn', verdict: 'predates-fix' });
    expect(m.text).toContain('6.1.0-57-amd64 (6.1.158) predates the fix (no 6.1.y release has the fix');
    expect(m.note).toMatch(/^no CVE/);
  });

  it('two bugs in one function told apart by the kind of fault', () => {
    const gpf = [
      'Oops: general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] SMP',
      'RIP: 0010:eventfs_iterate+0x1b0/0x340',
    ];
    expect(matchKnownBug(gpf, BUGS, '6.6.40')).toMatchObject({ id: 'CVE-2024-46785', verdict: 'predates-fix' });
    expect(matchKnownBug(gpf, BUGS, '6.6.51')!.verdict).toBe('should-contain-fix');
    expect(matchKnownBug(OOPS, BUGS, '6.6.40')!.id).toBe('CVE-2026-74605');
  });
});

describe('matchKnownBug: lines that must not match', () => {
  it('another function, a WARNING where an oops is catalogued, a call-trace-only mention, a lookalike name', () => {
    const none = (lines: string[]) => expect(matchKnownBug(lines, BUGS, '6.18.15')).toBeUndefined();
    none([
      'BUG: kernel NULL pointer dereference, address: 0000000000000050',
      'RIP: 0010:eventfs_remove_rec+0x29c/0x340',
    ]);
    none(['WARNING: CPU: 0 PID: 1 at fs/tracefs/event_inode.c:10 eventfs_iterate+0x29c/0x340']);
    none(['Call Trace:', ' eventfs_iterate+0x29c/0x340', ' iterate_dir+0x8e/0x1a0']);
    none([
      'BUG: kernel NULL pointer dereference, address: 0000000000000050',
      'RIP: 0010:eventfs_iterate_x+0x29c/0x340',
    ]);
    none(['getdents64 /sys/kernel/tracing/events/g: expected a listing, got eventfs_iterate']);
    // The 6.1 WARN is a WARNING: the same function in an oops is not it.
    none([
      'BUG: kernel NULL pointer dereference, address: 0000000000000008',
      'RIP: 0010:enable_trace_kprobe+0x10/0x1c0',
    ]);
  });

  it('any offsets match: the signature has none', () => {
    for (const rip of ['eventfs_iterate+0x1/0x2', 'eventfs_iterate+0x2c0/0x398', 'eventfs_iterate.isra.0+0x5/0x9'])
      expect(matchKnownBug([OOPS[0]!, `RIP: 0010:${rip}`], BUGS, '6.18.15')?.id).toBe('CVE-2026-74605');
  });
});

describe('nameResult / nameReport / knownBugLabel', () => {
  it('a FAIL and an XFAIL named, the status unchanged; a FAIL without a known fault is NEW; a PASS carries neither', () => {
    const named = nameResult(fail(OOPS), BUGS, '6.18.15+deb13-amd64');
    expect(named.status).toBe('FAIL');
    expect(named.knownBug?.id).toBe('CVE-2026-74605');
    expect(named.new).toBeUndefined();
    expect(nameResult(fail(OOPS, 'XFAIL'), BUGS, '6.18.15').status).toBe('XFAIL');
    expect(nameResult(fail(OOPS, 'XFAIL'), BUGS, '6.18.15').knownBug?.verdict).toBe('predates-fix');
    const novel = nameResult(fail([]), BUGS, '6.18.15');
    expect(novel).toMatchObject({ status: 'FAIL', new: true });
    expect(novel.knownBug).toBeUndefined();
    for (const status of ['PASS', 'UNRESOLVED', 'TIMEOUT', 'UNSUPPORTED', 'XPASS'] as const) {
      const x = nameResult({ ...fail(OOPS, status), new: true }, BUGS, '6.18.15');
      expect([x.knownBug, x.new]).toEqual([undefined, undefined]);
    }
  });

  it('is idempotent (the host names a guest-named report again) and uses the report kernel and build', () => {
    const report = {
      tool: { name: 'tracefs-regress', version: '0' },
      startedAt: '',
      durationMs: 1,
      env: {
        kernel: { release: '6.1.0-57-amd64', version: DEBIAN_61, machine: 'x86_64' },
        tracefs: '/sys/kernel/tracing',
        features: [],
        hostname: 'h',
      },
      results: [fail(WARN_61), fail([])],
    };
    const once = nameReport(report, BUGS);
    expect(nameReport(once, BUGS)).toEqual(once);
    expect(once.results.map(knownBugLabel)).toEqual(['tfsr-6.1-trigger-fd-warn: predates the fix', 'NEW']);
    expect(knownBugLine(once.results[1]!)).toBe('NEW: matches no known bug in kernel/known-bugs.json');
  });

  it('labels: should-contain-fix, unknown series, nothing for an unnamed result', () => {
    expect(knownBugLabel(nameResult(fail(OOPS), BUGS, '7.3.4'))).toBe(
      'CVE-2026-74605: fix missing: regression or backport',
    );
    expect(knownBugLabel(nameResult(fail(OOPS), BUGS, '6.14.3'))).toBe('CVE-2026-74605: series unknown');
    expect(knownBugLabel(fail(OOPS))).toBeUndefined();
  });
});

describe('bug records: refused', () => {
  const good = JSON.parse(fs.readFileSync(SHIPPED_FILE, 'utf8')) as { bugs: Record<string, unknown>[] };
  const withBug = (over: (b: Record<string, any>) => void) => {
    const doc = JSON.parse(JSON.stringify({ ...good, schema: EXPECT_SCHEMA })) as { bugs: Record<string, any>[] };
    over(doc.bugs[0]!);
    return JSON.stringify(doc);
  };
  const refusal = (text: string) => refusalOf((t: string) => parseCatalogue(t, 'f.json', IDS), text);

  it('a function with an offset, an unknown kind, no console, a bad commit, an id given twice', () => {
    expect(refusal(withBug((b) => (b.console.function = 'enable_trace_kprobe+0x1a2/0x1c0')))).toMatch(
      /bugs\[0\]: "console.function" "enable_trace_kprobe\+0x1a2\/0x1c0" is not a function name: .*without an offset/,
    );
    expect(refusal(withBug((b) => (b.console.kind = 'oops')))).toMatch(/"console.kind" "oops" is not a fault kind/);
    expect(refusal(withBug((b) => delete b.console))).toMatch(/bugs\[0\]: "console" is missing/);
    expect(refusal(withBug((b) => (b.fix.commit = 'HEAD')))).toMatch(/"fix.commit" "HEAD"/);
    expect(refusal(withBug((b) => (b.id = 'CVE-2026-74605')))).toMatch(/"id" CVE-2026-74605 is given twice/);
    expect(refusal(withBug((b) => (b.extra = 1)))).toMatch(/unknown key "extra"/);
  });

  it('a series older than the bug without its own "introduced", and an "introduced" of another series', () => {
    expect(refusal(withBug((b) => delete b.affected.stable[2].introduced))).toMatch(
      /"affected.stable\[2\].series" 6.1 is outside 6.7 .. 6.11/,
    );
    expect(refusal(withBug((b) => (b.affected.stable[2].introduced = '6.2.1')))).toMatch(
      /"affected.stable\[2\].introduced" 6.2.1 is not a 6.1.y release/,
    );
  });
});
