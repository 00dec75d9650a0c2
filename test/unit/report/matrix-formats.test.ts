// SPDX-License-Identifier: GPL-2.0-only
// Every matrix format renders matrixVerdicts: the real `vm --boots 2` run over
// 6.12.118 (clean) and 6.18.15 (the eventfs_iterate oops in one boot of two)
// as JSON verdicts, KTAP, JUnit, markdown, HTML and vm's stderr table; and a
// console line or kernel name carrying markup stays text in markdown and HTML.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderMany, render, FORMATS } from '../../../src/report/index.js';
import { parseSavedReport } from '../../../src/report/load.js';
import { esc } from '../../../src/report/html.js';
import { mdEscape } from '../../../src/report/markdown.js';
import { matrixTable } from '../../../src/vm/matrix/matrix.js';
import { reportSchemaErrors } from '../../schema/report-schema.js';
import { parseKtap } from './ktap-parser.js';
import { all, parseStrict } from './strict-xml.js';
import { report } from './fixtures.js';
import type { RunReport } from '../../../src/report/types.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'vm-matrix-6.12-6.18-boots2.json');
const real = (): RunReport[] => parseSavedReport(fs.readFileSync(FIXTURE, 'utf8'), FIXTURE);

/** The real run with markup planted in a console line and in the second kernel's name. */
function planted(): RunReport[] {
  const rs = real();
  const last = rs[3]!;
  last.results.find((r) => r.name === 'vm-console')!.evidence[0]!.got = '<script>alert(1)</script>|**x**';
  for (const r of rs.slice(2)) {
    r.env.kernel.release = '6.18.15<img src=x onerror=alert(2)>';
    r.matrix!.kernel = r.env.kernel.release;
  }
  return rs;
}

describe('matrix formats of a real run (2 kernels x 2 boots)', () => {
  it('html and markdown are formats', () => {
    expect(FORMATS).toContain('html');
    expect(FORMATS).toContain('markdown');
  });

  it('JSON: a schema-valid verdicts section, each boot pointing at its run', () => {
    const j = JSON.parse(renderMany('json', real()));
    expect(reportSchemaErrors(j)).toEqual([]);
    expect(j.verdicts.scenarios).toEqual(['race-getdents[uprobe]', 'race-getdents-sibling[uprobe]', 'vm-console']);
    const oops = j.verdicts.cells.find(
      (c: { kernel: string; scenario: string }) =>
        c.kernel === '6.18.15+deb13-amd64' && c.scenario === 'race-getdents[uprobe]',
    );
    expect(oops).toMatchObject({ status: 'XFAIL', caught: 1, boots: 2, ran: 2, medianSeconds: 2.783 });
    expect(oops.label).toMatchObject({ id: 'CVE-2026-74605' });
    expect(oops.perBoot).toEqual([
      { boot: 1, run: 2, status: 'PASS' },
      { boot: 2, run: 3, status: 'XFAIL', seconds: 2.783 },
    ]);
    expect(j.runs[3].results.find((r: { name: string }) => r.name === 'vm-console').status).toBe('XFAIL');
  });

  it('KTAP: a subtest per kernel, one aggregate line per scenario with # caught k/N', () => {
    const doc = parseKtap(renderMany('ktap', real()));
    expect(doc.results.map((r) => [r.ok, r.name])).toEqual([
      [true, '6.12.118+deb13-amd64'],
      [true, '6.18.15+deb13-amd64'],
    ]);
    const k618 = doc.results[1]!.subtest!;
    expect(k618.results.map((r) => `${r.name} ${r.directive ?? ''}`)).toEqual([
      'race-getdents[uprobe] XFAIL',
      'race-getdents-sibling[uprobe] XFAIL',
      'vm-console XFAIL',
    ]);
    expect(k618.results[0]!.diagnostics).toContain('caught 1/2');
    expect(k618.results[0]!.diagnostics.some((d) => /^median 2\.78 s/.test(d))).toBe(true);
    expect(k618.results[0]!.diagnostics.some((d) => /^known bug CVE-2026-74605, fix f0ece16ffca7/.test(d))).toBe(true);
    expect(doc.results[0]!.subtest!.results[0]!.diagnostics).toContain('caught 0/2');
  });

  it('JUnit: a testsuite per kernel, a testcase per scenario with k/N as properties', () => {
    const x = parseStrict(renderMany('junit', real()));
    const suites = all(x, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([
      'tracefs-regress 6.12.118+deb13-amd64',
      'tracefs-regress 6.18.15+deb13-amd64',
    ]);
    const c = all(suites[1]!, 'testcase')[0]!;
    const props = Object.fromEntries(all(c, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ status: 'XFAIL', boots: '2', caught: '1', knownBug: 'CVE-2026-74605' });
    expect(all(c, 'failure')).toEqual([]);
    expect(all(c, 'system-out')[0]!.text).toContain('eventfs_iterate');
  });

  it('markdown: a row per kernel, k/N and the median in the cell, the known bug and fix under the table', () => {
    const md = renderMany('markdown', real());
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatch(/^\| \*\*6\.18\.15\\\+deb13-amd64\*\* \| 🟨 XFAIL · 1\/2 · 2\.78 s \[1\] \|/);
    expect(rows[2]).toContain('🟩 PASS · 0/2');
    expect(md).toMatch(/^1\. CVE-2026-74605, fixed by f0ece16ffca7/m);
  });

  it("vm's stderr table: a column per kernel, k/N when booted more than once", () => {
    const lines = matrixTable(real()).trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^scenario\s+6\.12\.118\+deb13-amd64 \(tcg thread=multi\)\s+6\.18\.15\+deb13-amd64 \(tcg thread=multi\)$/,
    );
    expect(lines[2]).toMatch(/^race-getdents\[uprobe\]\s+PASS 0\/2\s+XFAIL 1\/2$/);
    expect(lines[4]).toMatch(/^vm-console\s+PASS 0\/2\s+XFAIL 1\/2$/);
  });

  it('one boot of each kernel: KTAP and JUnit stay one run per kernel; one run alone renders as html and markdown', () => {
    const one = [
      report([]),
      report([], { env: { ...report([]).env, kernel: { release: 'b', version: '', machine: 'x' } } }),
    ];
    expect(renderMany('ktap', one)).toContain('# tracefs-regress 0.1.0 on 6.18.44-fc-v782 x86_64');
    const alone = { ...real()[0]!, matrix: undefined };
    expect(render('html', alone)).toContain('<td class="cell s-pass"');
    expect(render('markdown', alone)).toContain('| **6.12.118\\+deb13-amd64** | 🟩 PASS | 🟩 PASS |');
    // a boot of a 2-boot plan alone: its other boot is missing
    expect(render('markdown', real()[0]!)).toContain('(1/2 boots reported) | ⬜ missing · 0/2 |');
  });
});

describe('escaping untrusted kernel text', () => {
  it('html: the planted markup is text; the only <script> is the page own, allowed by its hash', () => {
    const html = renderMany('html', planted());
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('6.18.15&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toMatch(/<img/);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toMatch(
      /Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-/,
    );
    expect(esc(`a"b'c<d>&\x1b`)).toBe('a&quot;b&#39;c&lt;d&gt;&amp;\\x1b');
  });
  it('markdown: no HTML, no cell break, no emphasis', () => {
    const md = renderMany('markdown', planted());
    expect(md).not.toMatch(/<img|<script/);
    expect(md).toContain('6.18.15&lt;img src=x onerror=alert\\(2\\)&gt;');
    expect(mdEscape('a|b**c**<x>\nd')).toBe('a\\|b\\*\\*c\\*\\*&lt;x&gt; d');
  });
  it('KTAP and JUnit: one line per kernel text, XML still well-formed', () => {
    const rs = planted();
    expect(() => parseKtap(renderMany('ktap', rs))).not.toThrow();
    expect(() => parseStrict(renderMany('junit', rs))).not.toThrow();
  });
});
