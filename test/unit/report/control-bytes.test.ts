// SPDX-License-Identifier: GPL-2.0-only
// Kernel bytes never reach a terminal raw: a kernel line, payload, reason or
// note holding ESC/BEL/NUL/DEL/CSI is shown escaped (\x1b) in every format,
// and UTF-8 text comes out as the characters it encodes.
import { describe, it, expect } from 'vitest';
import { renderPretty, renderKtap, renderJson, renderJunit, liveLine } from '../../../src/report/index.js';
import { KmsgScanner } from '../../../src/health/kmsg.js';
import type { ScenarioResult } from '../../../src/report/types.js';
import { fail, report } from './fixtures.js';
import { parseStrict } from './strict-xml.js';

/** What the scanner keeps from a planted record (ESC sequences, BEL, NUL, "é" and "→" escaped byte by byte). */
function scannedLine(): string {
  const s = new KmsgScanner({ context: 0, maxLines: 5 });
  s.feed('4,9,12000001,-;BUG: comm "\\x1b[2J\\x1b]0;x\\x07" nul\\x00 caf\\xc3\\xa9 \\xe2\\x86\\x92\n');
  return s.lines[0]!;
}

/** Raw bytes as a VM console or an older guest's report.json could still carry them. */
const RAW = 'raw \x1b[31mred\x1b[0m bel\x07 nul\x00 del\x7f csi\u009b caf\u00e9 \u2192';

const hostile: ScenarioResult = {
  ...fail,
  reason: `reason ${RAW}`,
  notes: [`note ${RAW}`],
  evidence: [{ op: 'read', path: '/x', expected: 'ENODEV', got: `got ${RAW}`, detail: `detail ${RAW}` }],
  health: { ...fail.health!, kernelLines: [scannedLine(), `[   12.000002] ${RAW}`], notes: [`health ${RAW}`] },
};
const rep = report([hostile], { env: { ...report([]).env, notes: [`env ${RAW}`] }, interrupted: `SIGTERM ${RAW}` });

/** Any control character but newline, and C1. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

describe('control bytes in every format', () => {
  it('the scanner gives an escaped, correctly decoded line', () => {
    expect(scannedLine()).toBe('[   12.000001] BUG: comm "\\x1b[2J\\x1b]0;x\\x07" nul\\x00 café →');
  });

  it('pretty (no colour): none raw, the kernel lines escaped', () => {
    const out = renderPretty(rep, { verbose: true });
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain('BUG: comm "\\x1b[2J\\x1b]0;x\\x07" nul\\x00 café →');
    expect(out).toContain('raw \\x1b[31mred\\x1b[0m bel\\x07 nul\\x00 del\\x7f csi\\x9b café →');
  });

  it('pretty with colour: the only ESC bytes are its own SGR sequences', () => {
    const out = liveLine(hostile, { color: true, verbose: true });
    expect(out.replace(/\x1b\[\d+m/g, '')).not.toMatch(CONTROL);
    expect(out).toContain('\\x1b[31mred');
  });

  it('KTAP: none raw', () => {
    const out = renderKtap(rep);
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain('# kernel: [   12.000001] BUG: comm "\\x1b[2J\\x1b]0;x\\x07" nul\\x00 café →');
  });

  it('JSON: valid, JSON-escaped (DEL and C1 too), the same strings when parsed', () => {
    const out = renderJson(rep);
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain('\\u001b[31mred\\u001b[0m bel\\u0007 nul\\u0000 del\\u007f csi\\u009b café →');
    const back = JSON.parse(out) as { results: Array<{ health: { kernelLines: string[] } }> };
    expect(back.results[0]!.health.kernelLines).toEqual(hostile.health!.kernelLines);
  });

  it('JUnit: none raw, and strict XML', () => {
    const out = renderJunit(rep);
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain('BUG: comm "\\x1b[2J\\x1b]0;x\\x07" nul\\x00 café →');
    parseStrict(out);
  });
});
