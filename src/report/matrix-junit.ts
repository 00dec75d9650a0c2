// SPDX-License-Identifier: GPL-2.0-only
// JUnit of a matrix with several boots per kernel: a <testsuite> per kernel,
// a <testcase> per scenario with the verdict over the boots (its worst
// status), k/N, the median and the known bug as properties, each boot's line
// and the deciding boot's evidence in the text.
import type { RunReport } from './types.js';
import { failureText } from './junit.js';
import { el, serialize, textEl, type XmlElement } from './xml.js';
import { bootLine, cellAt, cellLines, matrixVerdicts, type VerdictCell } from './verdicts.js';

const prop = (name: string, value: string | number): XmlElement =>
  el('property', [
    ['name', name],
    ['value', value],
  ]);

function caseProps(c: VerdictCell): XmlElement[] {
  const p = [prop('status', c.status), prop('boots', c.boots), prop('caught', c.caught), prop('ran', c.ran)];
  if (c.medianSeconds !== undefined) p.push(prop('median.seconds', Math.round(c.medianSeconds * 1000) / 1000));
  if (c.label) {
    p.push(prop('knownBug', c.label.id));
    if (c.label.fix) p.push(prop('knownBug.fix', c.label.fix));
  }
  c.perBoot.forEach((b) => p.push(prop(`boot.${b.boot}`, bootLine(b).replace(/^boot \d+: /, ''))));
  return p;
}

/** The text: the cell's lines, then the evidence of each boot that did not pass. */
function caseText(c: VerdictCell, reports: readonly RunReport[]): string {
  const out = cellLines(c);
  for (const b of c.perBoot) {
    const r = b.run !== undefined ? reports[b.run]?.results.find((x) => x.name === c.scenario) : undefined;
    if (!r || b.status === 'PASS' || b.status === 'UNSUPPORTED') continue;
    const t = failureText(r);
    if (t) out.push(`boot ${b.boot}:`, ...t.split('\n').map((l) => `  ${l}`));
  }
  return out.join('\n');
}

function outcome(c: VerdictCell, text: string): XmlElement | undefined {
  const msg = cellLines(c)[0]!;
  const withText = (name: string, type: string) =>
    textEl(
      name,
      [
        ['message', `${c.status} over ${c.boots} boots: ${msg}`],
        ['type', type],
      ],
      text,
    );
  if (c.status === 'FAIL' || c.status === 'XPASS') return withText('failure', c.status);
  if (c.status === 'UNRESOLVED' || c.status === 'TIMEOUT' || c.status === 'MISSING') return withText('error', c.status);
  if (c.status === 'UNSUPPORTED') return el('skipped', [['message', 'unsupported on every boot']]);
  return undefined;
}

export function renderJunitVerdicts(reports: readonly RunReport[], tool = reports[0]?.tool): string {
  const v = matrixVerdicts(reports);
  const all = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites = v.kernels.map((k, ki) => {
    const n = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    const cases = v.scenarios.map((_, si) => {
      const c = cellAt(v, ki, si);
      const text = caseText(c, reports);
      const o = outcome(c, text);
      n.tests++;
      if (o?.name === 'failure') n.failures++;
      else if (o?.name === 'error') n.errors++;
      else if (o?.name === 'skipped') n.skipped++;
      const children = [el('properties', [], caseProps(c))];
      if (o) children.push(o);
      if (!o || o.name === 'skipped') children.push(textEl('system-out', [], text));
      const secs = c.perBoot.reduce((t, b) => t + (b.durationMs ?? 0), 0) / 1000;
      return el(
        'testcase',
        [
          ['classname', `${k.kernel}.${c.scenario.replace(/\[.*$/, '')}`],
          ['name', c.scenario],
          ['time', secs],
        ],
        children,
      );
    });
    for (const key of Object.keys(all) as Array<keyof typeof all>) all[key] += n[key];
    const props = [prop('kernel.release', k.kernel), prop('boots', k.boots), prop('reported', k.reported)];
    if (k.accelerators.length) props.push(prop('accelerator', k.accelerators.join(', ')));
    return el(
      'testsuite',
      [
        ['name', `${tool?.name ?? 'tracefs-regress'} ${k.kernel}`],
        ['tests', n.tests],
        ['failures', n.failures],
        ['errors', n.errors],
        ['skipped', n.skipped],
      ],
      [el('properties', [], props), ...cases],
    );
  });
  return serialize(
    el(
      'testsuites',
      [
        ['tests', all.tests],
        ['failures', all.failures],
        ['errors', all.errors],
        ['skipped', all.skipped],
      ],
      suites,
    ),
  );
}
