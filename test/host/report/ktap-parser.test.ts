// SPDX-License-Identifier: GPL-2.0-only
// Our KTAP against the spec's grammar (the strict parser in ktap-parser.ts,
// shown to reject planted bad documents and the old `# SKIP reason` output),
// the streamed document prefix by prefix, and, when the Debian linux-source
// tree is in the cache, the kernel's own tools/testing/kunit/kunit_parser.py.
import { describe, expect, it } from 'vitest';
import { renderKtap, renderKtapMatrix } from '../../../src/report/ktap.js';
import { KtapStream } from '../../../src/report/ktap-stream.js';
import type { ScenarioResult } from '../../../src/report/types.js';
import { allResults, KtapError, parseKtap } from '../../unit/report/ktap-parser.js';
import { kunit, KUNIT } from './kunit.js';
import {
  fail,
  notRunTerm,
  pass,
  race,
  raceMulti,
  report,
  result,
  skip,
  unresolved,
  xfail,
  xpass,
} from '../../unit/report/fixtures.js';

const timedOut = result({
  name: 'planted-blocking-read[uprobe]',
  status: 'TIMEOUT',
  reason: 'timed out after 60 s',
  timeout: { limitMs: 60_000, signals: 3, overrunMs: 120 },
});
const EVERY = [pass, skip, fail, unresolved, race, raceMulti, xfail, xpass, timedOut, notRunTerm];

const doc = (...lines: string[]) => lines.join('\n') + '\n';

describe('the strict KTAP parser', () => {
  it('reads every status our reporter writes, with bare SKIP and the reasons before the results', () => {
    const d = parseKtap(renderKtap(report(EVERY, { interrupted: 'SIGINT' })));
    expect(d.plan).toBe(EVERY.length);
    expect(d.results.map((r) => r.name)).toEqual(EVERY.map((r) => r.name));
    const by = (n: number) => d.results[n]!;
    expect(by(1)).toMatchObject({ ok: true, directive: 'SKIP' });
    expect(by(1).data).toBeUndefined();
    expect(by(1).diagnostics).toEqual(['skipped: kprobe_events not available in this kernel']);
    expect(by(3)).toMatchObject({ ok: false, directive: 'ERROR' });
    expect(by(3).diagnostics[0]).toMatch(/^UNRESOLVED: /);
    expect(by(6)).toMatchObject({ ok: true, directive: 'XFAIL' });
    expect(by(7)).toMatchObject({ ok: false, directive: 'XPASS' });
    expect(by(8).ok).toBe(false);
    expect(by(8).directive).toBeUndefined();
    expect(by(8).diagnostics).toContain('TIMEOUT 60 seconds');
    expect(by(9)).toMatchObject({ ok: false, directive: 'ERROR' });
    expect(by(9).data).toMatch(/^not run: /);
    expect(d.trailer.at(-1)).toMatch(/^Totals: /);
  });

  it('reads a kernel matrix as nested subtests', () => {
    const d = parseKtap(renderKtapMatrix([report([pass, fail]), report([skip])]));
    expect(d.results).toHaveLength(2);
    expect(d.results[0]!.subtest!.results.map((r) => r.name)).toEqual([pass.name, fail.name]);
    expect(d.results[1]).toMatchObject({ ok: true, directive: 'SKIP' });
    expect(allResults(d)).toHaveLength(5);
  });

  const bad: [string, string, RegExp][] = [
    [
      'the old output: a reason after # SKIP',
      doc('KTAP version 1', '1..1', 'ok 1 removed-files-enoent[kprobe] # SKIP kprobe_events not available'),
      /text after # SKIP/,
    ],
    [
      'the old TIMEOUT directive with its seconds',
      doc('KTAP version 1', '1..1', 'not ok 1 a[uprobe] # TIMEOUT 60 seconds'),
      /text after # TIMEOUT/,
    ],
    ['no version line', doc('1..1', 'ok 1 a'), /expected `KTAP version 1`/],
    ['an unknown version', doc('KTAP version 2', '1..1', 'ok 1 a'), /only version 1/],
    ['no plan', doc('KTAP version 1', 'ok 1 a'), /expected the plan/],
    ['fewer results than planned', doc('KTAP version 1', '1..2', 'ok 1 a'), /1\.\.2 but there are 1/],
    ['more results than planned', doc('KTAP version 1', '1..1', 'ok 1 a', 'ok 2 b'), /1\.\.1 but there are 2/],
    ['numbers out of order', doc('KTAP version 1', '1..2', 'ok 2 a', 'ok 1 b'), /result number 2, expected 1/],
    ['a # in a name', doc('KTAP version 1', '1..1', 'ok 1 a#b'), /directive is ' # WORD'/],
    ['an unknown directive', doc('KTAP version 1', '1..1', 'ok 1 a # MAYBE'), /unknown directive/],
    ['ok with ERROR', doc('KTAP version 1', '1..1', 'ok 1 a # ERROR'), /must be 'not ok'/],
    ['not ok with XFAIL', doc('KTAP version 1', '1..1', 'not ok 1 a # XFAIL'), /must be 'ok'/],
    ['a nameless result', doc('KTAP version 1', '1..1', 'ok 1'), /without a name/],
    ['a blank line', doc('KTAP version 1', '1..1', '', 'ok 1 a'), /blank line/],
    ['a stray line', doc('KTAP version 1', '1..1', 'PASS a', 'ok 1 a'), /not a KTAP line/],
    ['odd indentation', doc('KTAP version 1', '1..1', '   # x', 'ok 1 a'), /odd indentation/],
    [
      'a subtest without its result',
      doc('KTAP version 1', '1..1', '  KTAP version 1', '  1..1', '  ok 1 a'),
      /without its result line/,
    ],
    [
      'a subtest indented four',
      doc('KTAP version 1', '1..1', '    KTAP version 1', '    1..0', 'ok 1 k'),
      /indented 4 spaces/,
    ],
    ['no final newline', 'KTAP version 1\n1..1\nok 1 a', /does not end in a newline/],
  ];
  for (const [what, text, why] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => parseKtap(text)).toThrow(KtapError);
      expect(() => parseKtap(text)).toThrow(why);
    });
  }

  it('reads a prefix: fewer results than planned, the cut last line dropped; not more than planned', () => {
    const d = parseKtap('KTAP version 1\n1..5\nok 1 a\nok 2 b\nok 3 c\nok 4 ', { prefix: true });
    expect(d.results.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(() => parseKtap(doc('KTAP version 1', '1..1', 'ok 1 a', 'ok 2 b'), { prefix: true })).toThrow(/1\.\.1/);
  });
});

describe('the streamed KTAP document', () => {
  function streamed(results: ScenarioResult[], planned: string[], interrupted?: string) {
    let out = '';
    const prefixes: string[] = [];
    const s = new KtapStream((t) => {
      out += t;
      prefixes.push(out);
    });
    s.begin(planned.length, { name: 'tracefs-regress', version: '0.1.0' }, report([]).env);
    for (const r of results) s.result(r);
    s.finish({ results, ...(interrupted ? { interrupted } : {}) }, planned);
    return { out, prefixes };
  }

  it('every write leaves a valid prefix, and the end fills the plan with ERROR not run', () => {
    const planned = [pass.name, skip.name, fail.name, 'held-dirfd-enoent[uprobe]', 'cwd-inside-removed[uprobe]'];
    const { out, prefixes } = streamed([pass, skip, fail], planned, 'SIGINT');
    // header, three results, two not-run lines, the trailer
    expect(prefixes.length).toBeGreaterThanOrEqual(6);
    for (const p of prefixes) expect(() => parseKtap(p, { prefix: true })).not.toThrow();
    expect(parseKtap(prefixes[3]!, { prefix: true }).results).toHaveLength(3);
    const d = parseKtap(out);
    expect(d.results).toHaveLength(5);
    expect(d.results.slice(3).map((r) => [r.ok, r.directive, r.data])).toEqual([
      [false, 'ERROR', 'not run: SIGINT'],
      [false, 'ERROR', 'not run: SIGINT'],
    ]);
    // planted: the stream's end skipped, the whole document no longer parses
    expect(() => parseKtap(prefixes[3]!)).toThrow(/1\.\.5 but there are 3/);
  });

  it('shows a health note once, with the first result that has it, not on every result', () => {
    const note = 'kernel log not watched: /dev/kmsg unreadable';
    const health = { ...pass.health!, notes: [note] };
    const a = { ...pass, health };
    const b = { ...pass, name: 'held-dirfd-enoent[uprobe]', health };
    const { out } = streamed([a, b], [a.name, b.name]);
    expect(out.split('\n').filter((l) => l.includes(note))).toEqual([`# health note: ${note}`]);
    // planted: without the dedupe (two separate streams) the note shows twice
    const twice = streamed([a], [a.name]).out + streamed([b], [b.name]).out;
    expect(twice.split('\n').filter((l) => l.includes(note))).toHaveLength(2);
  });

  it('renders each result as the whole-report reporter does', () => {
    const planned = EVERY.map((r) => r.name);
    const { out } = streamed(EVERY, planned);
    const whole = renderKtap(report(EVERY));
    const body = (t: string) => t.split('\n').filter((l) => /^(ok|not ok) /.test(l));
    expect(body(out)).toEqual(body(whole));
  });
});

describe.skipIf(!KUNIT)("the kernel's kunit_parser.py", () => {
  it('reads our document without an error; skip names stay the plain test names', () => {
    const k = kunit(renderKtap(report(EVERY)));
    expect(k.errors).toBe(0);
    expect(k.root.subtests.map((s) => s.name)).toEqual(EVERY.map((r) => r.name));
    const skipped = k.root.subtests.find((s) => s.name === skip.name);
    expect(skipped?.status).toBe('SKIPPED');
    expect(k.skipped).toBe(1);
    // pass, race, raceMulti, xfail
    expect(k.passed).toBe(4);
  });

  it('flags a planted wrong plan (so a clean answer above means something)', () => {
    // kunit_parser reads the name before `# SKIP` either way; the bare SKIP is for LKFT, which our parser enforces above.
    const cut = renderKtap(report([pass, skip])).replace('1..2', '1..3');
    expect(kunit(cut).errors).toBeGreaterThan(0);
  });

  it('reads a kernel matrix', () => {
    const k = kunit(renderKtapMatrix([report([pass, fail]), report([skip])]));
    expect(k.errors).toBe(0);
    expect(k.root.subtests).toHaveLength(2);
  });
});
