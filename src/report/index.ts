// SPDX-License-Identifier: GPL-2.0-only
// Picks a reporter by --format name. Every reporter renders a RunReport, or
// several (one per kernel, the VM matrix), to a string; the caller writes it.
import type { RunReport } from './types.js';
import { renderKtap, renderKtapMatrix } from './ktap.js';
import { renderJson, renderJsonMatrix } from './json.js';
import { renderJunit, renderJunitMatrix } from './junit.js';
import { renderPretty, renderPrettyMatrix, type PrettyOptions } from './pretty.js';
import { renderLkml, renderLkmlMatrix, type LkmlOptions } from './lkml.js';
import { readReproducer } from './lkml-files.js';
import { renderKtapVerdicts } from './matrix-ktap.js';
import { renderJunitVerdicts } from './matrix-junit.js';
import { renderMarkdownVerdicts } from './markdown.js';
import { renderHtmlVerdicts } from './html.js';
import { severalBoots } from './verdicts.js';

export const FORMATS = ['pretty', 'ktap', 'json', 'junit', 'lkml', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** Options only the pretty format (colour) or the lkml format (descriptions, reproducers) looks at. */
export type RenderOptions = PrettyOptions & LkmlOptions;

export interface Reporter {
  render(report: RunReport, opts?: RenderOptions): string;
  renderMany(reports: readonly RunReport[], opts?: RenderOptions): string;
}

const REPORTERS: Record<Format, Reporter> = {
  pretty: { render: renderPretty, renderMany: renderPrettyMatrix },
  // Several boots of a kernel: one aggregate line (KTAP) or case (JUnit) per scenario; one boot each, one run per kernel.
  ktap: {
    render: (r) => renderKtap(r),
    renderMany: (rs) => (severalBoots(rs) ? renderKtapVerdicts(rs) : renderKtapMatrix(rs)),
  },
  json: { render: (r) => renderJson(r), renderMany: (rs) => renderJsonMatrix(rs) },
  junit: {
    render: (r) => renderJunit(r),
    renderMany: (rs) => (severalBoots(rs) ? renderJunitVerdicts(rs) : renderJunitMatrix(rs)),
  },
  // Reproducers are read from the report's reproDir unless the caller says otherwise.
  lkml: {
    render: (r, o) => renderLkml(r, { reproducer: readReproducer, ...lkmlOpts(o) }),
    renderMany: (rs, o) => renderLkmlMatrix(rs, { reproducer: readReproducer, ...lkmlOpts(o) }),
  },
  // The kernel x scenario table alone, for one run as for many (docs/matrix.md).
  markdown: { render: (r) => renderMarkdownVerdicts([r]), renderMany: (rs) => renderMarkdownVerdicts(rs) },
  html: { render: (r) => renderHtmlVerdicts([r]), renderMany: (rs) => renderHtmlVerdicts(rs) },
};

const lkmlOpts = (o: RenderOptions | undefined): LkmlOptions => ({
  ...(o?.describe ? { describe: o.describe } : {}),
  ...(o?.reproducer ? { reproducer: o.reproducer } : {}),
});

export function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

export function reporterFor(format: string): Reporter {
  if (!isFormat(format)) throw new RangeError(`unknown format '${format}': use one of ${FORMATS.join(', ')}`);
  return REPORTERS[format];
}

export function render(format: Format, report: RunReport, opts?: RenderOptions): string {
  return reporterFor(format).render(report, opts);
}

export function renderMany(format: Format, reports: readonly RunReport[], opts?: RenderOptions): string {
  return reporterFor(format).renderMany(reports, opts);
}

export { exitCodeFor, exitCodeForAll, type ReportExitCode } from './exit-code.js';
export { liveLine, totalsLine, useColor, renderPretty, renderPrettyMatrix, type PrettyOptions } from './pretty.js';
export { renderKtap, renderKtapMatrix } from './ktap.js';
export { renderJson, renderJsonMatrix, toJson, JSON_SCHEMA } from './json.js';
export { renderJunit, renderJunitMatrix } from './junit.js';
export { renderLkml, renderLkmlMatrix, nothingToReport, type LkmlOptions } from './lkml.js';
export { statsHighlights } from './text.js';
export {
  matrixVerdicts,
  cellLabel,
  worstStatus,
  STATUS_ORDER,
  type MatrixVerdicts,
  type VerdictCell,
  type BootVerdict,
  type KnownBugLabel,
  type CellStatus,
} from './verdicts.js';
export { renderKtapVerdicts } from './matrix-ktap.js';
export { renderJunitVerdicts } from './matrix-junit.js';
export { renderMarkdownVerdicts } from './markdown.js';
export { renderHtmlVerdicts } from './html.js';
export {
  summarize,
  isFailing,
  type RunReport,
  type ScenarioResult,
  type Summary,
  type ResultStatus,
  type ExpectationNote,
} from './types.js';
export { type HealthDelta } from '../health/types.js';
