// SPDX-License-Identifier: GPL-2.0-only
// Known crashers in an expectations file: a good record becomes one skip entry
// per scenario pattern, covering the record's affected releases; every kind of
// bad record is refused naming the record and the fix; the runner's skip
// policy (--ignore-skips, --run-known-crashers) and the SKIP's reason; the
// shipped file found from any directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExpectations, parseExpectations } from '../../../src/expectations/parse.js';
import { applyToResult, covers, skipEntryFor, skipReason } from '../../../src/expectations/apply.js';
import { crasherNotices } from '../../../src/expectations/crashers.js';
import {
  resolveExpectFile,
  shippedCrashers,
  withShippedCrashers,
  SHIPPED_FILE,
} from '../../../src/expectations/shipped.js';
import { EXPECT_SCHEMA, type ExpectEntry } from '../../../src/expectations/types.js';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';
import { refusalOf } from './refusal.js';
import type { ScenarioResult } from '../../../src/report/types.js';

const IDS = ['removed-files-enoent', 'race-getdents', 'race-recreate'];
const good = {
  id: 'CVE-2026-74605',
  title: 'NULL dereference in eventfs_iterate',
  fix: { commit: 'f0ece16ffca7', subject: 'eventfs: Use children field for rcu head', mainline: '7.2-rc7' },
  affected: {
    introduced: '6.8',
    stable: [
      { series: '7.1', fixed: '7.1.9' },
      { series: '6.18', fixed: null, note: 'dropped from 6.18.45' },
    ],
    distros: [{ distro: 'Debian', release: '*+deb1?-*', series: '6.12', fixed: '6.12.118' }],
  },
  scenarios: ['race-getdents', 'race-recreate'],
  kind: '*',
  signature: 'eventfs_iterate',
};
const xfail = {
  scenario: 'removed-files-enoent',
  kind: 'uprobe',
  release: '6.1.*',
  signature: 'WARNING:',
  action: 'xfail',
  why: 'w',
};
const doc = (crashers: unknown, entries: unknown[] = []) =>
  JSON.stringify({ schema: EXPECT_SCHEMA, crashers, entries });
const parse = (text: string) => parseExpectations(text, 'f.json', IDS);
/** The message a bad input gets; fails the test when it is accepted. */
const refusal = (text: string): string => refusalOf(parse, text);

describe('crasher records: accepted', () => {
  it('one skip entry per scenario pattern, after the entries, naming the record by its index', () => {
    const all = parse(doc([good], [xfail]));
    expect(all.map((e) => [e.scenario, e.action, e.index, e.crasher?.id ?? ''])).toEqual([
      ['removed-files-enoent', 'xfail', 0, ''],
      ['race-getdents', 'skip', 0, 'CVE-2026-74605'],
      ['race-recreate', 'skip', 0, 'CVE-2026-74605'],
    ]);
    const e = all[1]!;
    expect(e.signature).toEqual(['eventfs_iterate']);
    expect(e.why).toBe(
      'CVE-2026-74605, NULL dereference in eventfs_iterate; fixed by f0ece16ffca7 ("eventfs: Use children field for rcu head") (v7.2-rc7, 7.1.9; no 6.18.y release yet)',
    );
  });

  it("covers the record's affected releases, not a glob: every 6.18.y build, Debian's 6.12 before 6.12.118", () => {
    const e = parse(doc([good]))[0]!;
    for (const r of ['6.18.15+deb13-amd64', '6.18.44-fc-v1272', '7.1.8', '6.12.117+deb13-amd64'])
      expect(covers(e, 'race-getdents', 'uprobe', r), r).toBe(true);
    for (const r of ['6.12.118+deb13-amd64', '7.1.9', '7.2.0-rc7', '6.7.0', '6.1.0-57-amd64'])
      expect(covers(e, 'race-getdents', 'uprobe', r), r).toBe(false);
    expect(covers(e, 'removed-files-enoent', 'uprobe', '6.18.44-fc-v1272')).toBe(false);
  });
});

describe('crasher records: refused, naming the record and the fix', () => {
  const bad = (over: Record<string, unknown>) => doc([{ ...good, ...over }]);
  const aff = (over: Record<string, unknown>) => bad({ affected: { ...good.affected, ...over } });
  const cases: Array<[string, string, RegExp]> = [
    ['not an array', doc({}), /"crashers" must be an array/],
    ['an unknown key', bad({ cve: 'x' }), /crashers\[0\]: a crasher record: unknown key "cve"/],
    ['no id', bad({ id: '' }), /"id" must be a non-empty string/],
    ['an id with spaces', bad({ id: 'CVE 1' }), /"id" "CVE 1": use the bug's name/],
    ['a short commit', bad({ fix: { ...good.fix, commit: 'f0ece16' } }), /"fix.commit" "f0ece16": .*12 lowercase hex/],
    ['no mainline fix', bad({ fix: { commit: 'f0ece16ffca7', subject: 's' } }), /"fix.mainline" must be/],
    ['a glob for a version', aff({ introduced: '6.*' }), /"affected.introduced" "6\.\*" is not a kernel version/],
    [
      'introduced after the fix',
      aff({ introduced: '7.3' }),
      /"affected.introduced" 7.3 is not older than "fix.mainline" 7.2-rc7/,
    ],
    [
      'a stable fix in another series',
      aff({ stable: [{ series: '7.1', fixed: '7.2.1' }] }),
      /"affected.stable\[0\].fixed" 7.2.1 is not a 7.1.y release/,
    ],
    ['a stable fix without its sublevel', aff({ stable: [{ series: '7.1', fixed: '7.1' }] }), /is not a 7.1.y release/],
    [
      'a series after the fix',
      aff({ stable: [{ series: '7.3', fixed: null }] }),
      /series" 7.3 is outside 6.8 .. 7.2-rc7/,
    ],
    ['a series before the bug', aff({ stable: [{ series: '6.6', fixed: null }] }), /series" 6.6 is outside/],
    ['a stable fix left out', aff({ stable: [{ series: '6.18' }] }), /"affected.stable\[0\].fixed" is missing/],
    [
      'a series twice',
      aff({
        stable: [
          { series: '6.18', fixed: null },
          { series: '6.18', fixed: '6.18.50' },
        ],
      }),
      /names 6.18 twice/,
    ],
    ['a bad series', aff({ stable: [{ series: '6.18.y', fixed: null }] }), /"6.18.y" is not a stable series/],
    [
      'a distro fix with a regex',
      aff({ distros: [{ ...good.affected.distros[0], release: '+deb[12]-*' }] }),
      /"release" "\+deb\[12\]-\*" is not a release glob/,
    ],
    [
      'a distro without its fix',
      aff({ distros: [{ distro: 'Debian', release: '*', series: '6.12' }] }),
      /distros\[0\].fixed" must be/,
    ],
    ['no scenarios', bad({ scenarios: [] }), /"scenarios" must be a non-empty array/],
    [
      'a scenario that does not exist',
      bad({ scenarios: ['race-getdentz'] }),
      /"scenario" "race-getdentz" matches no scenario/,
    ],
    ['a short signature', bad({ signature: 'ev' }), /too short to identify a bug/],
    ['the same id twice', doc([good, good]), /crashers\[1\]: "id" CVE-2026-74605 is given twice/],
  ];
  for (const [what, text, re] of cases) {
    it(what, () => {
      const msg = refusal(text);
      expect(msg).toMatch(/^--expect f\.json: "?crashers/);
      expect(msg).toMatch(re);
    });
  }
});

describe('the skip policy and the SKIP a crasher gives', () => {
  const all = parse(doc([good], [{ ...xfail, action: 'skip', release: '6.18.*' }]));
  const R = '6.18.44-fc-v1272';

  it('honoured by default; --run-known-crashers runs the crashers only, --ignore-skips the file entries only', () => {
    expect(skipEntryFor(all, 'race-getdents', 'uprobe', R)?.crasher?.id).toBe('CVE-2026-74605');
    expect(skipEntryFor(all, 'race-getdents', 'uprobe', R, { runKnownCrashers: true })).toBeUndefined();
    expect(skipEntryFor(all, 'race-getdents', 'uprobe', R, { ignoreSkips: true })?.crasher?.id).toBe('CVE-2026-74605');
    expect(skipEntryFor(all, 'removed-files-enoent', 'uprobe', R)?.crasher).toBeUndefined();
    expect(skipEntryFor(all, 'removed-files-enoent', 'uprobe', R, { runKnownCrashers: true })).toBeDefined();
    expect(skipEntryFor(all, 'removed-files-enoent', 'uprobe', R, { ignoreSkips: true })).toBeUndefined();
    // A fixed kernel runs them.
    expect(skipEntryFor(all, 'race-getdents', 'uprobe', '7.1.9')).toBeUndefined();
  });

  it('the reason names the bug, why this kernel has it, the fix and the flag that runs it', () => {
    expect(skipReason(all[1]!, R)).toBe(
      'known kernel crasher, not run on 6.18.44-fc-v1272: it hits CVE-2026-74605 (NULL dereference in eventfs_iterate; ' +
        'no 6.18.y release has the fix), fixed by f0ece16ffca7 ' +
        '("eventfs: Use children field for rcu head"); --run-known-crashers runs it anyway (the kernel may oops; a `vm` guest is disposable)',
    );
  });

  it('run anyway, an oops with the signature is XFAIL naming the crasher and a pass is accepted (flaky)', () => {
    const base: ScenarioResult = {
      name: 'race-getdents[uprobe]',
      scenario: 'race-getdents',
      kind: 'uprobe',
      title: 't',
      status: 'PASS',
      evidence: [],
      checks: 3,
      durationMs: 1,
      references: [],
    };
    const oops: ScenarioResult = {
      ...base,
      status: 'FAIL',
      health: {
        ok: false,
        kernelLines: ['RIP: 0010:eventfs_iterate+0x29c/0x340'],
      } as unknown as ScenarioResult['health'],
    };
    const x = applyToResult(oops, all, '6.18.15+deb13-amd64');
    expect(x.status).toBe('XFAIL');
    expect(x.expectation).toMatchObject({
      verdict: 'xfail',
      crasher: 'CVE-2026-74605',
      fix: 'f0ece16ffca7 ("eventfs: Use children field for rcu head")',
      matched: 'RIP: 0010:eventfs_iterate+0x29c/0x340',
    });
    expect(applyToResult(base, all, '6.18.15+deb13-amd64')).toMatchObject({
      status: 'PASS',
      expectation: { verdict: 'flaky-pass' },
    });
    // On a kernel outside the ranges the same oops is a plain FAIL.
    expect(applyToResult(oops, all, '7.3.4+deb13-amd64').status).toBe('FAIL');
  });

  it('one notice line per crasher, naming what is not run, the bug, the fix and how to run them', () => {
    const c = all[1]!.crasher!;
    expect(crasherNotices(new Map([[c, ['race-getdents[uprobe]', 'race-recreate[uprobe]']]]), R)).toEqual([
      'NOT RUN on 6.18.44-fc-v1272: race-getdents[uprobe], race-recreate[uprobe]: they crash kernels with CVE-2026-74605 ' +
        '(NULL dereference in eventfs_iterate), fixed by f0ece16ffca7 ("eventfs: Use children field for rcu head") ' +
        '(v7.2-rc7, 7.1.9; no 6.18.y release yet). Run them anyway: --run-known-crashers (this kernel may oops), ' +
        'or in a disposable guest: tracefs-regress vm --kernel <image> -- -s <scenario>',
    ]);
    expect(crasherNotices(new Map(), R)).toEqual([]);
  });
});

describe('the shipped file', () => {
  const ids = CATALOGUE.map((s) => s.id);

  it('its crashers only, found beside the code; a given file redefining a crasher replaces the shipped one', () => {
    const shipped = shippedCrashers(ids);
    expect(shipped.length).toBe(5);
    expect(shipped.every((e) => e.crasher?.id === 'CVE-2026-74605' && e.source === SHIPPED_FILE)).toBe(true);
    const mine: ExpectEntry[] = parseExpectations(doc([{ ...good, scenarios: ['race-getdents'] }]), 'mine.json', ids);
    const merged = withShippedCrashers(shipped, mine);
    expect(merged.map((e) => `${e.source}:${e.scenario}`)).toEqual(['mine.json:race-getdents']);
  });

  it('missing, a run is refused naming the file and both ways out', () => {
    expect(() => shippedCrashers(ids, '/nonexistent/known-bugs.json')).toThrow(
      /cannot read the known-crasher list \/nonexistent\/known-bugs.json \(ENOENT\): reinstall .* or pass --run-known-crashers/,
    );
  });

  it('--expect kernel/known-bugs.json from another directory is the package file; a missing one names both places', () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-cwd-'));
    try {
      expect(resolveExpectFile('kernel/known-bugs.json', elsewhere)).toBe(SHIPPED_FILE);
      expect(resolveExpectFile('kernel/nope.json', elsewhere)).toBeUndefined();
      fs.mkdirSync(path.join(elsewhere, 'kernel'));
      fs.writeFileSync(path.join(elsewhere, 'kernel', 'known-bugs.json'), '{}');
      // A file of that name where the user is wins.
      expect(resolveExpectFile('kernel/known-bugs.json', elsewhere)).toBe(
        path.join(elsewhere, 'kernel', 'known-bugs.json'),
      );
      const cwd = process.cwd();
      process.chdir(os.tmpdir());
      try {
        expect(() => loadExpectations('kernel/nope.json', ids)).toThrow(
          /--expect kernel\/nope.json: cannot read it \(ENOENT\) \(nor is it .*\/kernel\/nope.json\)/,
        );
        expect(loadExpectations('kernel/known-bugs.json', ids)[0]!.source).toBe(SHIPPED_FILE);
      } finally {
        process.chdir(cwd);
      }
    } finally {
      fs.rmSync(elsewhere, { recursive: true });
    }
  });
});
