// SPDX-License-Identifier: GPL-2.0-only
// The matrix as one self-contained HTML page: a heat map of kernels (rows)
// x scenarios (columns), a colour per verdict and k/N in each cell, sticky
// headers, and each cell a link to its details (every boot's status, seconds,
// known bug and fix, evidence and console lines). No network: CSS and script
// are inline, and the Content-Security-Policy allows only those two, by hash,
// so even a kernel line that slipped past escaping could not run. Every
// kernel string (console lines are untrusted) goes through esc().
import crypto from 'node:crypto';
import type { RunReport } from './types.js';
import {
  caughtText,
  cellAt,
  matrixVerdicts,
  secondsLabel,
  type BootVerdict,
  type CellStatus,
  type MatrixVerdicts,
  type VerdictCell,
} from './verdicts.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or an attribute value: the five HTML specials as entities, control characters made visible. */
export function esc(s: string): string {
  return s
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

/** The colour class of a status: one per verdict (docs/matrix.md's legend). */
export const statusClass = (s: CellStatus): string => `s-${s.toLowerCase()}`;

const STYLE = `
:root{font:14px/1.4 system-ui,sans-serif;color:#222;background:#fafafa}
body{margin:0 1rem 2rem}
h1{font-size:1.3rem;margin:1rem 0 .3rem}
.meta{color:#555;margin:.2rem 0 .8rem}
.legend span{display:inline-block;padding:.1rem .5rem;margin:0 .2rem .2rem 0;border-radius:3px}
.wrap{overflow:auto;max-height:80vh;border:1px solid #ccc;background:#fff}
table.heat{border-collapse:separate;border-spacing:0}
.heat th,.heat td{border-right:1px solid #ddd;border-bottom:1px solid #ddd;padding:0}
.heat thead th{position:sticky;top:0;z-index:2;background:#eee;padding:.3rem .5rem;font-weight:600;white-space:nowrap}
.heat thead th.corner{left:0;z-index:3}
.heat tbody th{position:sticky;left:0;z-index:1;background:#f4f4f4;padding:.3rem .6rem;text-align:left;white-space:nowrap;font-family:ui-monospace,monospace;font-weight:500}
.heat td a{display:block;min-width:6.5rem;padding:.3rem .5rem;color:inherit;text-decoration:none;text-align:center}
.heat td a:hover,.heat td.selected a{outline:3px solid #000;outline-offset:-3px}
.heat td small{display:block;font-size:.8rem;opacity:.85}
.s-fail{background:#d73027;color:#fff}.s-fail.partial{background:#f4a582;color:#000}
.s-xpass{background:#f46d43;color:#fff}
.s-timeout,.s-unresolved{background:#8e6bb8;color:#fff}
.s-xfail{background:#fdd835;color:#000}.s-xfail.partial{background:#fff59d}
.s-missing{background:repeating-linear-gradient(45deg,#eee,#eee 4px,#ddd 4px,#ddd 8px);color:#555}
.s-pass{background:#1a9850;color:#fff}
.s-unsupported{background:#e0e0e0;color:#555}
.detail{display:none}
.detail:target{display:block;position:fixed;top:0;right:0;bottom:0;width:min(44rem,50vw);overflow:auto;background:#fff;border-left:2px solid #333;box-shadow:-4px 0 12px rgba(0,0,0,.25);padding:0 1rem 1rem;z-index:10}
.detail h2{font-size:1.1rem}
.detail .close{float:right;margin-top:1rem;font-size:1.2rem;text-decoration:none}
.boot{border-top:1px solid #ccc;padding:.4rem 0}
.boot .st{display:inline-block;padding:0 .4rem;border-radius:3px}
pre{background:#f6f6f6;border:1px solid #e0e0e0;padding:.4rem;overflow:auto;white-space:pre-wrap;word-break:break-all;font-size:.8rem;max-height:24rem}
.label{background:#fff8e1;border:1px solid #f0d060;padding:.3rem .5rem;margin:.4rem 0}
`;

// Marks the cell whose details show, closes them on Escape; the page works without it (:target).
const SCRIPT = `
(function(){
  function mark(){
    document.querySelectorAll('td.selected').forEach(function(t){t.classList.remove('selected')});
    var id=location.hash.slice(1);
    if(!/^c-\\d+-\\d+$/.test(id))return;
    var a=document.querySelector('a[href="#'+id+'"]');
    if(a)a.parentElement.classList.add('selected');
  }
  window.addEventListener('hashchange',mark);
  document.addEventListener('keydown',function(e){if(e.key==='Escape'&&location.hash)location.hash='';});
  mark();
})();
`;

const sha = (s: string): string => `'sha256-${crypto.createHash('sha256').update(s).digest('base64')}'`;

const cellId = (k: number, s: number): string => `c-${k}-${s}`;

function cellHtml(c: VerdictCell, k: number, s: number): string {
  const partial = c.caught > 0 && c.caught < c.boots ? ' partial' : '';
  const sub = [caughtText(c), c.medianSeconds !== undefined ? secondsLabel(c.medianSeconds) : '']
    .filter(Boolean)
    .join(' · ');
  const title = `${c.kernel} ${c.scenario}: ${c.status}${c.label ? `, ${c.label.id}` : ''}`;
  return (
    `<td class="cell ${statusClass(c.status)}${partial}" data-status="${c.status}" title="${esc(title)}">` +
    `<a href="#${cellId(k, s)}">${c.status === 'MISSING' ? '–' : c.status}${sub ? `<small>${esc(sub)}</small>` : ''}` +
    `${c.label ? `<small>${esc(c.label.id)}</small>` : ''}</a></td>`
  );
}

const pre = (cls: string, lines: readonly string[]): string =>
  lines.length ? `<pre class="${cls}">${lines.map(esc).join('\n')}</pre>` : '';

function bootHtml(b: BootVerdict): string {
  const facts = [
    b.seconds !== undefined ? `first failure after ${secondsLabel(b.seconds)} of racing` : '',
    b.durationMs ? `ran ${secondsLabel(b.durationMs / 1000)}` : '',
    b.run !== undefined ? `run ${b.run + 1} of the report` : '',
  ].filter(Boolean);
  return (
    `<div class="boot" data-boot="${b.boot}"><b>boot ${b.boot}</b> ` +
    `<span class="st ${statusClass(b.status)}">${b.status}</span> ${esc(facts.join(', '))}` +
    (b.reason ? `<div>${esc(b.reason)}</div>` : '') +
    (b.label
      ? `<div class="label">known bug <b>${esc(b.label.id)}</b>${b.label.fix ? `, fix ${esc(b.label.fix)}` : ''}</div>`
      : '') +
    (b.evidence.length ? `<div>evidence</div>${pre('evidence', b.evidence)}` : '') +
    (b.console.length ? `<div>console lines of this boot</div>${pre('console', b.console)}` : '') +
    `</div>`
  );
}

function detailHtml(c: VerdictCell, k: number, s: number): string {
  return (
    `<article class="detail" id="${cellId(k, s)}"><a class="close" href="#" title="close (Esc)">×</a>` +
    `<h2>${esc(c.kernel)} × ${esc(c.scenario)}</h2>` +
    `<p><span class="st ${statusClass(c.status)}">${c.status}</span> caught ${c.caught}/${c.boots}` +
    (c.ran < c.boots ? ` (${c.ran} of ${c.boots} boots have this result)` : '') +
    (c.medianSeconds !== undefined
      ? `, median ${esc(secondsLabel(c.medianSeconds))} of racing to the first failure`
      : '') +
    `</p>` +
    (c.label
      ? `<div class="label">matches known bug <b>${esc(c.label.id)}</b>${c.label.fix ? `, fixed by ${esc(c.label.fix)}` : ''}: ${esc(c.label.why)}</div>`
      : '') +
    c.perBoot.map(bootHtml).join('') +
    `</article>`
  );
}

function legend(): string {
  const words: Array<[CellStatus, string]> = [
    ['FAIL', 'FAIL'],
    ['XPASS', 'XPASS'],
    ['UNRESOLVED', 'UNRESOLVED / TIMEOUT'],
    ['XFAIL', 'XFAIL (a known bug)'],
    ['MISSING', 'missing boot'],
    ['PASS', 'PASS'],
    ['UNSUPPORTED', 'SKIP'],
  ];
  return `<p class="legend">${words.map(([s, w]) => `<span class="${statusClass(s)}">${w}</span>`).join('')} lighter: caught in some boots only</p>`;
}

function dates(reports: readonly RunReport[]): string {
  const d = reports.map((r) => r.startedAt).sort();
  if (!d.length) return '';
  const day = (x: string) => x.slice(0, 16).replace('T', ' ');
  return d[0] === d[d.length - 1] ? `run ${day(d[0]!)} UTC` : `runs from ${day(d[0]!)} to ${day(d[d.length - 1]!)} UTC`;
}

function body(v: MatrixVerdicts, reports: readonly RunReport[]): string {
  const tool = reports[0]?.tool;
  const head = `<tr><th class="corner" scope="col">kernel</th>${v.scenarios.map((s) => `<th scope="col">${esc(s)}</th>`).join('')}</tr>`;
  const rows = v.kernels.map((k, ki) => {
    const name = `${k.kernel}${k.reported < k.boots ? ` (${k.reported}/${k.boots} boots reported)` : ''}`;
    const cells = v.scenarios.map((_, si) => cellHtml(cellAt(v, ki, si), ki, si)).join('');
    return `<tr data-kernel="${esc(k.kernel)}"><th scope="row" title="${esc(k.accelerators.join(', '))}">${esc(name)}</th>${cells}</tr>`;
  });
  const details = v.kernels.flatMap((_, ki) => v.scenarios.map((_, si) => detailHtml(cellAt(v, ki, si), ki, si)));
  return (
    `<h1>${v.kernels.length} kernel${v.kernels.length === 1 ? '' : 's'} × ${v.scenarios.length} scenario${v.scenarios.length === 1 ? '' : 's'}, ` +
    `${v.boots} boot${v.boots === 1 ? '' : 's'} each</h1>` +
    `<p class="meta">${esc([tool ? `${tool.name} ${tool.version}` : '', dates(reports)].filter(Boolean).join(', '))}. ` +
    `A cell: the worst status over the boots, how many boots caught a failure (k/N), the median seconds of racing to the first failure. ` +
    `Click a cell for every boot's evidence and console lines.</p>` +
    legend() +
    `<div class="wrap"><table class="heat"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>` +
    `<section id="details">${details.join('')}</section>`
  );
}

export function renderHtmlVerdicts(reports: readonly RunReport[]): string {
  const v = matrixVerdicts(reports);
  const csp = `default-src 'none'; style-src ${sha(STYLE)}; script-src ${sha(SCRIPT)}; base-uri 'none'; form-action 'none'`;
  return (
    [
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>tracefs-regress matrix: ${v.kernels.length} kernels × ${v.scenarios.length} scenarios</title>`,
      `<style>${STYLE}</style></head><body>`,
      body(v, reports),
      `<script>${SCRIPT}</script>`,
      '</body></html>',
    ].join('\n') + '\n'
  );
}
