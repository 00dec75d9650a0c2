// SPDX-License-Identifier: GPL-2.0-only
// The JUnit document parsed back by a strict XML 1.0 parser (saxes): hostile
// text (two "]]>", control bytes, a lone surrogate) must leave it valid and
// come back as written, and planted broken writers must be caught by the same check.
import { describe, it, expect } from 'vitest';
import { renderJunit, renderJunitMatrix, failureText } from '../../../src/report/junit.js';
import { evidenceSummary } from '../../../src/report/text.js';
import { xmlSafe } from '../../../src/report/xml.js';
import type { RunReport, ScenarioResult } from '../../../src/report/types.js';
import { fail, pass, skip, unresolved, report } from './fixtures.js';
import { all, parseStrict } from './strict-xml.js';

const HOSTILE =
  'a ]]> b ]]]]> c ]]> \x1b[31mred\x1b[0m \x07 \x00 \x7f \u009b é → 😀 \ud800 <t a="q"> & \'s\'\r\nline 2\tend';

const hostileFail: ScenarioResult = {
  ...fail,
  evidence: [{ op: 'read', path: '/x]]>y', expected: 'ENODEV', got: HOSTILE, detail: `detail ${HOSTILE}` }],
  health: { ...fail.health!, kernelLines: [`[   12.000001] BUG: ${HOSTILE}`] },
};
const hostile = report([
  hostileFail,
  { ...skip, reason: `skip ${HOSTILE}` },
  { ...unresolved, reason: `unresolved ${HOSTILE}`, notes: [HOSTILE] },
  pass,
]);

/** Parses renderJunit(rep) strictly and checks that the failure's text and message come back as written. */
function roundTrip(render: (r: RunReport) => string): void {
  const root = parseStrict(render(hostile));
  const f = all(root, 'failure')[0]!;
  expect(f.attrs.message).toBe(xmlSafe(evidenceSummary(hostileFail.evidence[0]!)));
  expect(f.text).toBe(xmlSafe(failureText(hostileFail)));
  expect(all(root, 'skipped')[0]!.attrs.message).toBe(xmlSafe(`skip ${HOSTILE}`));
  expect(all(root, 'error')[0]!.attrs.message).toBe(xmlSafe(`unresolved ${HOSTILE}`));
}

describe('JUnit parsed back strictly', () => {
  it('stays valid XML with "]]>" twice, control bytes and a lone surrogate, and round-trips the text', () => {
    roundTrip(renderJunit);
    const x = renderJunit(hostile);
    // What a terminal would act on is shown, not sent: ESC, BEL, NUL, DEL, CSI.
    expect(x).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/);
    expect(x).toContain('\\x1b[31mred\\x1b[0m \\x07 \\x00 \\x7f \\x9b é → 😀 \\ud800');
  });

  it('keeps text that needs no escape exactly as written (newlines and tabs in attributes too)', () => {
    const plain = 'line 1 ]]> "quoted" <b>\nline 2\tx';
    const root = parseStrict(renderJunit(report([{ ...unresolved, reason: plain }])));
    expect(all(root, 'error')[0]!.attrs.message).toBe(plain);
    expect(all(root, 'error')[0]!.text).toBe('');
  });

  it('catches a writer that splits only the first "]]>" of a CDATA section (planted: the old library\'s bug)', () => {
    const unescape = (s: string) =>
      s.replace(
        /&(lt|gt|amp|quot|#13);/g,
        (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#13': '\r' })[e]!,
      );
    const cdataFirstOnly = (r: RunReport) =>
      renderJunit(r).replace(
        /(<failure[^>]*>)([\s\S]*?)(<\/failure>)/,
        (_m, a: string, body: string, c: string) =>
          `${a}<![CDATA[${unescape(body).replace(']]>', ']]]]><![CDATA[>')}]]>${c}`,
      );
    expect(() => roundTrip(cdataFirstOnly)).toThrow(/]]>/);
  });

  it('catches a writer that passes control bytes through (planted)', () => {
    const rawControls = (r: RunReport) => renderJunit(r).replaceAll('\\x1b', '\x1b');
    expect(() => roundTrip(rawControls)).toThrow(/disallowed character/);
  });

  it('catches a writer that leaves a quote unescaped in an attribute (planted)', () => {
    const rawQuote = (r: RunReport) => renderJunit(r).replaceAll('&quot;', '"');
    expect(() => roundTrip(rawQuote)).toThrow();
  });

  it('a skip carries its reason as <skipped message>', () => {
    const root = parseStrict(renderJunit(report([skip])));
    expect(all(root, 'skipped')[0]!.attrs).toEqual({ message: 'kprobe_events not available in this kernel' });
  });

  it('names the kernel in each classname when several kernels share the document, and only then', () => {
    const a = report([pass]);
    const b = report([pass], {
      env: { ...a.env, kernel: { ...a.env.kernel, release: '6.1.0-40-amd64' }, accelerator: 'tcg thread=multi' },
    });
    const root = parseStrict(renderJunitMatrix([a, b]));
    expect(all(root, 'testcase').map((c) => c.attrs.classname)).toEqual([
      '6.18.44-fc-v782.removed-files-enoent',
      '6.1.0-40-amd64 (tcg thread=multi).removed-files-enoent',
    ]);
    expect(all(parseStrict(renderJunit(a)), 'testcase')[0]!.attrs.classname).toBe('removed-files-enoent');
  });
});
