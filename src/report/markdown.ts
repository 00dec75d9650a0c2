// SPDX-License-Identifier: GPL-2.0-only
// The matrix as a GitHub-flavoured markdown table (docs/, CI job summaries):
// a row per kernel (forty releases read down a page; the scenarios of one
// run are few), a column per scenario, each cell the verdict over the boots
// ("XFAIL 1/2 · 2.78 s"), and the known bugs matched, with their fixes, listed
// under the table once each. Kernel text is escaped for markdown and HTML.
import type { RunReport } from './types.js';
import { caughtText, cellAt, matrixVerdicts, secondsLabel, type CellStatus, type VerdictCell } from './verdicts.js';

/** Marks a reader sees at a glance in a rendered table; the word stays for a plain-text one. */
const MARK: Record<CellStatus, string> = {
  FAIL: '🟥',
  XPASS: '🟧',
  TIMEOUT: '🟪',
  UNRESOLVED: '🟪',
  XFAIL: '🟨',
  MISSING: '⬜',
  PASS: '🟩',
  UNSUPPORTED: '⬜',
};

/** Untrusted text in a table cell: no HTML, no cell break, no line break, no markdown emphasis or links. */
export function mdEscape(s: string): string {
  return s
    .replace(/[\x00-\x1f\x7f-\x9f]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~])/g, '\\$1');
}

function cellText(c: VerdictCell, labels: string[]): string {
  const parts = [`${MARK[c.status]} ${c.status === 'MISSING' ? 'missing' : c.status}`];
  const k = caughtText(c);
  if (k) parts.push(k);
  if (c.medianSeconds !== undefined) parts.push(secondsLabel(c.medianSeconds));
  let text = parts.join(' · ');
  if (c.label) {
    if (!labels.includes(c.label.id)) labels.push(c.label.id);
    text += ` [${labels.indexOf(c.label.id) + 1}]`;
  }
  return text;
}

export function renderMarkdownVerdicts(reports: readonly RunReport[]): string {
  const v = matrixVerdicts(reports);
  const labels: string[] = [];
  const fullLabels = new Map(v.cells.flatMap((c) => (c.label ? [[c.label.id, c.label] as const] : [])));
  const head = ['kernel', ...v.scenarios].map(mdEscape);
  const out = [
    `Verdicts over ${v.boots} boot${v.boots === 1 ? '' : 's'} per kernel: the worst status of the boots` +
      (v.boots > 1 ? ', how many caught a failure (k/N), the median seconds of racing to the first failure' : '') +
      '.',
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
  ];
  v.kernels.forEach((k, ki) => {
    const row = [`**${mdEscape(k.kernel)}**`];
    if (k.reported < k.boots) row[0] += ` (${k.reported}/${k.boots} boots reported)`;
    v.scenarios.forEach((_, si) => row.push(cellText(cellAt(v, ki, si), labels)));
    out.push(`| ${row.join(' | ')} |`);
  });
  if (labels.length) out.push('');
  labels.forEach((id, i) => {
    const l = fullLabels.get(id)!;
    out.push(`${i + 1}. ${mdEscape(id)}${l.fix ? `, fixed by ${mdEscape(l.fix)}` : ''}: ${mdEscape(l.why)}`);
  });
  return out.join('\n') + '\n';
}
