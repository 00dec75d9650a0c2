// SPDX-License-Identifier: GPL-2.0-only
// Every format names a failure by the known bug it matches: planted results
// named by the shipped catalogue (a release that predates the fix, one that
// should contain it, a NEW failure) through pretty, KTAP, JSON (and its
// schema), JUnit and lkml. Unnamed results stay as they were (the goldens).
import { describe, expect, it } from 'vitest';
import { render } from '../../../src/report/index.js';
import { nameReport } from '../../../src/expectations/naming.js';
import { shippedKnownBugs } from '../../../src/expectations/shipped.js';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';
import type { RunReport, ScenarioResult } from '../../../src/report/types.js';
import { reportSchemaErrors } from '../../schema/report-schema.js';
import { report, result } from './fixtures.js';

const BUGS = shippedKnownBugs(CATALOGUE.map((s) => s.id))!;
const OOPS = [
  'BUG: kernel NULL pointer dereference, address: 0000000000000050',
  'RIP: 0010:eventfs_iterate+0x29c/0x340',
];
const oopsed = (name: string): ScenarioResult =>
  result({
    name,
    status: 'FAIL',
    reason: 'the kernel oopsed',
    health: {
      ok: false,
      oopsCount: { before: 0, after: 1 },
      taint: { before: 0, after: 128, letters: 'D' },
      kernelLines: OOPS,
    } as ScenarioResult['health'],
  });
const plainFail = result({
  name: 'removed-files-enoent[uprobe]',
  status: 'FAIL',
  evidence: [{ op: 'open', path: '/t/events/g/e/enable', expected: 'ENOENT', got: 'fd 5' }],
});
const named = (release: string): RunReport =>
  nameReport(
    report([oopsed('race-getdents[uprobe]'), plainFail], {
      env: { ...report([]).env, kernel: { release, version: '#1 SMP PREEMPT_DYNAMIC', machine: 'x86_64' } },
    }),
    BUGS,
  );
const OLD = named('6.18.15+deb13-amd64');
const FIXED = named('7.3.4+deb13-amd64');
const PREDATES =
  'known bug: matches CVE-2026-74605 (NULL dereference in eventfs_iterate when a listing of events/<group>/ races removal), ' +
  'fixed upstream by f0ece16ffca7 ("eventfs: Use children field for rcu head and add memory barriers"); 6.18.15+deb13-amd64 predates the fix';
const SHOULD =
  '7.3.4+deb13-amd64 should contain the fix: a regression or a missing backport (mainline has the fix from 7.2-rc7 on)';
const NEW = 'NEW: matches no known bug in kernel/known-bugs.json';

describe('the named failure in every format', () => {
  it('pretty', () => {
    const text = render('pretty', OLD, { color: false });
    expect(text).toContain(PREDATES);
    expect(text).toContain(NEW);
    expect(render('pretty', FIXED, { color: false })).toContain(SHOULD);
  });

  it('KTAP: a diagnostic line before the result line', () => {
    const lines = render('ktap', OLD).split('\n');
    const at = lines.findIndex((l) => l.startsWith(`# ${PREDATES}`));
    expect(at).toBeGreaterThan(-1);
    expect(lines.slice(at).find((l) => /^not ok /.test(l))).toMatch(/race-getdents/);
    expect(lines).toContain(`# ${NEW}`);
    expect(render('ktap', FIXED)).toContain(SHOULD);
  });

  it('JSON: knownBug and new on the result, valid under the schema', () => {
    const j = JSON.parse(render('json', OLD)) as { results: Record<string, any>[] };
    expect(j.results[0]!.knownBug).toMatchObject({
      id: 'CVE-2026-74605',
      verdict: 'predates-fix',
      fix: { commit: 'f0ece16ffca7', mainline: '7.2-rc7' },
      matched: OOPS[1],
    });
    expect(j.results[1]!.new).toBe(true);
    expect(j.results[1]!.knownBug).toBeUndefined();
    expect(reportSchemaErrors(j)).toEqual([]);
    const f = JSON.parse(render('json', FIXED)) as { results: Record<string, any>[] };
    expect(f.results[0]!.knownBug.verdict).toBe('should-contain-fix');
    expect(reportSchemaErrors(f)).toEqual([]);
  });

  it('JUnit: properties and the first line of the failure text', () => {
    const x = render('junit', OLD);
    expect(x).toContain('<property name="knownBug" value="CVE-2026-74605"/>');
    expect(x).toContain('<property name="knownBug.verdict" value="predates-fix"/>');
    expect(x).toContain('<property name="new" value="true"/>');
    expect(x).toContain('known bug: matches CVE-2026-74605');
    expect(render('junit', FIXED)).toContain('<property name="knownBug.verdict" value="should-contain-fix"/>');
  });

  it('lkml: the mail says which bug and, where the release should have it, the fix to backport', () => {
    const old = render('lkml', OLD);
    expect(old.replace(/\n/g, ' ')).toMatch(
      /This failure matches CVE-2026-74605 .*6\.18\.15\+deb13-amd64 predates the fix/,
    );
    expect(old).not.toContain('The fix to backport');
    expect(old.replace(/\n/g, ' ')).toMatch(
      /matches no bug in the tool's catalogue of known kernel bugs .* it is new\./,
    );
    const fixed = render('lkml', FIXED).replace(/\n/g, ' ');
    expect(fixed).toMatch(/should contain the fix: a regression or a missing backport/);
    expect(fixed).toMatch(
      /The fix to backport \(or whose regression to find\): commit f0ece16ffca7 \("eventfs: Use children field for rcu head and add memory barriers"\), in mainline since 7\.2-rc7\./,
    );
  });

  it('an unnamed report renders as before (no knownBug, no NEW)', () => {
    const plain = report([oopsed('race-getdents[uprobe]')]);
    expect(render('pretty', plain, { color: false })).not.toMatch(/known bug:|NEW:/);
    expect(JSON.parse(render('json', plain)).results[0]).not.toHaveProperty('new');
  });
});
