// SPDX-License-Identifier: GPL-2.0-only
// The race reproducer's text: every race scenario's program compiles as the
// header says, carries the scenario's parameters and the rule table, and
// the rule table, judged on a pure model, gives the verdicts a planted
// change to it would not.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OP_KINDS } from '../../../src/native/race-params.js';
import { emitRace, opWeights, readCSource, renderRace, raceParams } from '../../../src/repro/race.js';
import {
  ENOENT,
  RACE_RULES,
  firstViolation,
  judge,
  type RaceRule,
  type TraceOp,
} from '../../../src/repro/race-rules.js';
import { RACE_SCENARIOS } from '../../../src/scenarios/race-catalogue.js';
import { INVERTED_RULES, withFaults } from '../../unit/repro/race-selftest.js';

const ENODEV = 19;
const kernel = { release: '6.18.44-test', version: '#1 SMP' };

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr_repro_race_'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function compile(text: string, name: string, extra: string[] = []): void {
  const src = path.join(dir, `${name}.c`);
  fs.writeFileSync(src, text);
  // Throws with the compiler's output on any warning (-Werror).
  execFileSync('cc', ['-O2', '-static', '-pthread', '-Wall', '-Werror', ...extra, '-o', path.join(dir, name), src], {
    stdio: 'pipe',
  });
}

describe('the race program of each race scenario', () => {
  for (const s of RACE_SCENARIOS) {
    it(`${s.id}: compiles with cc -O2 -static -pthread -Wall -Werror and carries its parameters`, () => {
      const params = { threads: 3, durationMs: 7000 };
      const { text, mode } = renderRace({ scenario: s, kind: 'uprobe', params, kernel, now: new Date(0) });
      expect(mode).toBe('race');
      compile(text, s.id);
      const plan = s.racePlan!;
      expect(plan).toBeDefined();
      expect(text).toContain(`#define SCENARIO_ID "${s.id}"`);
      expect(text).toContain('#define DEFAULT_THREADS 3');
      expect(text).toContain('#define DEFAULT_DURATION_S 7.000');
      expect(text).toContain(`#define RACE_TARGET_INSTANCE ${plan.target === 'instance' ? 1 : 0}`);
      expect(text).toContain(`#define RACE_SIBLING ${plan.sibling ? 1 : 0}`);
      expect(text).toContain(`static const uint32_t weights[OP_COUNT] = {${opWeights(plan.weights).join(', ')}};`);
      expect(text).toContain(`#define DWELL_PRESENT_US ${plan.dwellPresentUs ?? 0}ull`);
      expect(text).toContain(`#define DWELL_ABSENT_US ${plan.dwellAbsentUs ?? 0}ull`);
      expect(text).toContain(`#define BUSY_CHECK_EVERY ${plan.busyCheckEvery ?? 0}u`);
      expect(text).toContain(`#define DROP_CACHES_EVERY ${plan.dropCachesEvery ?? 0}u`);
      expect(text).toContain(`#define DROP_CACHES_INTERVAL_MS ${plan.dropCachesIntervalMs ?? -1}`);
      expect(text).toContain(`#define HELD_DIRFDS ${plan.heldDirfds ?? 8}u`);
      // The header: what it races, what it guards, where it was made, how to run it.
      // Comment lines joined: the header wraps at 78 columns.
      expect(text.replace(/\n \*\s*/g, ' ')).toContain(s.title);
      for (const r of s.references) expect(text).toContain(r.split(' ')[0]);
      expect(text).toContain('6.18.44-test #1 SMP');
      expect(text).toContain(`cc -O2 -static -pthread -o repro '${s.id}[uprobe].c' && ./repro`);
      expect(text).toMatch(/Exit: 0 not reproduced; 1 REPRODUCED/);
    }, 60_000);
  }

  it('a kprobe program names the symbol and compiles as the self-test builds it too', () => {
    const s = RACE_SCENARIOS[0]!;
    const { text } = renderRace({
      scenario: s,
      kind: 'kprobe',
      kernel,
      target: { kind: 'kprobe', symbol: 'vfs_read' },
    });
    expect(text).toContain('#define KPROBE_SYMBOL "vfs_read"');
    compile(withFaults(text), 'kprobe-selftest');
    const inverted = renderRace({ scenario: s, kind: 'kprobe', kernel, rules: INVERTED_RULES }).text;
    expect(inverted).toContain('[R_STALE_DIRFD] = {"stale-dirfd", T_ENOENT, "anything but ENOENT"},');
    compile(inverted, 'kprobe-inverted');
  }, 60_000);

  it('takes threads and duration from the failed run when not given', () => {
    const s = RACE_SCENARIOS[0]!;
    const p = raceParams({
      scenario: s,
      kind: 'uprobe',
      kernel,
      result: { stats: { threads: 5, elapsedMs: 2500.7 } as never, evidence: [], status: 'FAIL' },
    });
    expect(p).toMatchObject({ threads: 5, durationMs: 2500, target: 'event' });
    // The run's automatic 0 (online CPUs) gives way to the count the engine ran with.
    const auto = raceParams({
      scenario: s,
      kind: 'uprobe',
      kernel,
      params: { threads: 0, durationMs: 4000 },
      result: { stats: { threads: 3, elapsedMs: 4100 } as never, evidence: [], status: 'FAIL' },
    });
    expect(auto).toMatchObject({ threads: 3, durationMs: 4000 });
    expect(() => raceParams({ scenario: { ...s, racePlan: undefined }, kind: 'uprobe', kernel })).toThrow(
      /no racePlan/,
    );
  });

  it('renders the ops in the engine order and every rule of the table', () => {
    const { text } = renderRace({ scenario: RACE_SCENARIOS[0]!, kind: 'uprobe', kernel });
    expect(text).toContain(
      `static const char *const op_name[OP_COUNT] = {${OP_KINDS.map((o) => `"${o}"`).join(', ')}};`,
    );
    expect(text).toContain('[R_ABSENT_NOT_ENOENT] = {"absent-not-enoent", T_NOT_ENOENT, "ENOENT"},');
    expect(text).toContain('[R_PRESENT_ENOENT] = {"present-enoent", T_ENOENT, "success"},');
    expect(text).toContain('[R_STALE_DIRFD] = {"stale-dirfd", T_NOT_ENOENT, "ENOENT"},');
    expect(text).toContain('[R_WRITE_AFTER_REMOVAL] = {"write-after-removal", T_SUCCEEDED, "ENODEV"},');
    expect(text).toContain('[R_LISTED_AFTER_REMOVAL] = {"listed-after-removal", T_LISTED, "not listed"},');
    // A planted table is what the program is compiled with.
    const planted = plant('absent-not-enoent', 'enoent');
    expect(renderRace({ scenario: RACE_SCENARIOS[0]!, kind: 'uprobe', kernel, rules: planted }).text).toContain(
      '[R_ABSENT_NOT_ENOENT] = {"absent-not-enoent", T_ENOENT, "ENOENT"},',
    );
  });
});

/** The table with one rule's test changed. */
function plant(id: RaceRule['id'], test: RaceRule['test']): RaceRule[] {
  return RACE_RULES.map((r) => (r.id === id ? { ...r, test } : r));
}

// Counter values: cycle 1 present = 5, absent = 7; cycle 2 creating = 8, present = 9.
const ok = { errno: 0 };
const enoent = { errno: ENOENT };
/** What a correct kernel gives: every op judged, none broken. */
const correct: TraceOp[] = [
  { kind: 'path', s0: 5, s1: 5, outcome: ok },
  { kind: 'path', s0: 7, s1: 7, outcome: enoent },
  { kind: 'path', s0: 5, s1: 7, outcome: ok }, // straddles the removal: not judged
  { kind: 'path', s0: 7, s1: 7, outcome: ok, strict: false }, // a sibling's file stays
  { kind: 'dirfd', tag: 1, exact: true, s0: 5, s1: 5, outcome: ok },
  { kind: 'dirfd', tag: 1, exact: true, s0: 9, s1: 9, outcome: enoent }, // gen 1's dirfd while gen 2 exists
  { kind: 'write', tag: 1, s0: 9, s1: 9, outcome: { errno: ENODEV } },
  { kind: 'write', tag: 2, s0: 9, s1: 9, outcome: ok },
  { kind: 'listing', s0: 7, s1: 7, outcome: { errno: 0, listed: false } },
  { kind: 'listing', s0: 5, s1: 5, outcome: { errno: 0, listed: true } },
];

describe('the per-op rule on a pure model', () => {
  it('a correct kernel breaks no rule', () => {
    expect(firstViolation(RACE_RULES, correct)).toBeUndefined();
  });

  it.each([
    ['an open that succeeds inside an absent window', { kind: 'path', s0: 7, s1: 7, outcome: ok }, 'absent-not-enoent'],
    ['ENODEV inside an absent window', { kind: 'path', s0: 7, s1: 7, outcome: { errno: ENODEV } }, 'absent-not-enoent'],
    ['ENOENT inside a present window', { kind: 'path', s0: 9, s1: 9, outcome: enoent }, 'present-enoent'],
    [
      'a stale dirfd reaching the new generation',
      { kind: 'dirfd', tag: 1, exact: false, s0: 9, s1: 9, outcome: ok },
      'stale-dirfd',
    ],
    [
      'a held enable fd writing after removal',
      { kind: 'write', tag: 1, s0: 8, s1: 9, outcome: ok },
      'write-after-removal',
    ],
    [
      'the removed event listed while absent',
      { kind: 'listing', s0: 7, s1: 7, outcome: { errno: 0, listed: true } },
      'listed-after-removal',
    ],
  ] as [string, TraceOp, RaceRule['id']][])('a buggy kernel: %s', (_what, bad, rule) => {
    const v = firstViolation(RACE_RULES, [...correct, bad, ...correct]);
    expect(v).toEqual({ index: correct.length, rule: RACE_RULES.find((r) => r.id === rule) });
  });

  it('a planted rule that accepts success inside the absent window misses the bug (and the opposite flags a correct kernel)', () => {
    const bug: TraceOp = { kind: 'path', s0: 7, s1: 7, outcome: ok };
    expect(firstViolation(RACE_RULES, [bug])).toBeDefined();
    // ENOENT treated as the violation: the bug passes, the correct kernel fails.
    const planted = plant('absent-not-enoent', 'enoent');
    expect(firstViolation(planted, [bug])).toBeUndefined();
    expect(firstViolation(planted, correct)?.rule.id).toBe('absent-not-enoent');
  });

  it('each planted row changes the verdict on the model', () => {
    const tests: RaceRule['test'][] = ['not-enoent', 'enoent', 'succeeded', 'listed'];
    for (const r of RACE_RULES) {
      const bugs: TraceOp[] = {
        // ENODEV, not success: it tells not-enoent from succeeded.
        'absent-not-enoent': [{ kind: 'path', s0: 7, s1: 7, outcome: { errno: ENODEV } }],
        'present-enoent': [{ kind: 'path', s0: 5, s1: 5, outcome: enoent }],
        'stale-dirfd': [{ kind: 'dirfd', tag: 1, exact: false, s0: 9, s1: 9, outcome: { errno: ENODEV } }],
        'write-after-removal': [{ kind: 'write', tag: 1, s0: 9, s1: 9, outcome: ok }],
        'listed-after-removal': [{ kind: 'listing', s0: 7, s1: 7, outcome: { errno: 0, listed: true } }],
      }[r.id] as TraceOp[];
      for (const t of tests.filter((x) => x !== r.test)) {
        const planted = plant(r.id, t);
        const before = [firstViolation(RACE_RULES, bugs), firstViolation(RACE_RULES, correct)];
        const after = [firstViolation(planted, bugs), firstViolation(planted, correct)];
        // The bug is missed, or a correct kernel is flagged: either way the verdict differs.
        expect(after, `${r.id} planted as ${t}`).not.toEqual(before);
      }
    }
  });

  it('judges only ops inside one window of one generation', () => {
    expect(judge(RACE_RULES, { kind: 'path', s0: 6, s1: 6, outcome: ok })).toBeUndefined(); // removing
    expect(judge(RACE_RULES, { kind: 'path', s0: 8, s1: 8, outcome: enoent })).toBeUndefined(); // creating
    expect(judge(RACE_RULES, { kind: 'path', s0: 3, s1: 7, outcome: ok })).toBeUndefined();
    // A dirfd opened before the removal but not exact: a present ENOENT is not judged.
    expect(judge(RACE_RULES, { kind: 'dirfd', tag: 2, exact: false, s0: 9, s1: 9, outcome: enoent })).toBeUndefined();
  });
});

describe('the race reproducer file', () => {
  it('is renamed into DIR: a planted DIR/<name>.c symlink is replaced, its target (a 0600 file) untouched', async () => {
    const s = RACE_SCENARIOS[0]!;
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'secret\n', { mode: 0o600 });
    const name = `${s.id}[uprobe]`;
    fs.symlinkSync(victim, path.join(dir, `${name}.c`));
    const w = await emitRace({ name, status: 'FAIL', evidence: [] }, { dir, scenario: s, kind: 'uprobe', kernel });
    expect(w?.file).toBe(`${name}.c`);
    expect(fs.readFileSync(victim, 'utf8')).toBe('secret\n');
    expect(fs.lstatSync(path.join(dir, `${name}.c`)).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(dir, `${name}.c`), 'utf8')).toContain(`#define SCENARIO_ID "${s.id}"`);
  });
});

/** The rule names of the core's `enum rc_rule`, in order (RC_NO_RULE and RC_RULE_COUNT left out). */
function coreRules(core: string): string[] {
  const body = /enum rc_rule \{([^}]*)\}/.exec(core)?.[1] ?? '';
  return [...body.matchAll(/\bRC_([A-Z_]+)/g)]
    .map((m) => m[1]!)
    .filter((n) => n !== 'NO_RULE' && n !== 'RULE_COUNT')
    .map((n) => n.toLowerCase().replaceAll('_', '-'));
}

describe('the race core (src/repro/c/race-core.h), shared with the addon', () => {
  const core = readCSource('race-core.h');

  it("lists the rules in the table's order (the program asserts R_* == RC_* when compiled)", () => {
    expect(coreRules(core)).toEqual(RACE_RULES.map((r) => r.id));
    // Planted: two rules swapped is seen.
    const swapped = core.replace('RC_STALE_DIRFD,', 'RC_TMP,').replace('RC_PRESENT_ENOENT,', 'RC_STALE_DIRFD,');
    expect(coreRules(swapped.replace('RC_TMP,', 'RC_PRESENT_ENOENT,'))).not.toEqual(RACE_RULES.map((r) => r.id));
  });

  it('is pasted verbatim into every reproducer, which carries no self-test code', () => {
    const { text } = renderRace({ scenario: RACE_SCENARIOS[0]!, kind: 'uprobe', kernel });
    expect(text).toContain(core.trimEnd());
    expect(text).not.toMatch(/SELFTEST|self-test|-X /);
  });

  it('a program whose rule table disagrees with the core does not compile', () => {
    const { text } = renderRace({ scenario: RACE_SCENARIOS[0]!, kind: 'uprobe', kernel });
    const planted = text.replace(
      /enum \{ R_ABSENT_NOT_ENOENT, R_PRESENT_ENOENT,/,
      'enum { R_PRESENT_ENOENT, R_ABSENT_NOT_ENOENT,',
    );
    expect(planted).not.toBe(text);
    expect(() => compile(planted, 'planted-rule-order')).toThrow(/the rule table and the race core disagree/);
  }, 60_000);
});
