// Picks a reporter by --format name. Every reporter renders a RunReport, or
// several (one per kernel, the VM matrix), to a string; the caller writes it.
import type { RunReport } from './types.js';
import { renderKtap, renderKtapMatrix } from './ktap.js';
import { renderJson, renderJsonMatrix } from './json.js';
import { renderJunit, renderJunitMatrix } from './junit.js';
import { renderPretty, renderPrettyMatrix, type PrettyOptions } from './pretty.js';

export const FORMATS = ['pretty', 'ktap', 'json', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

/** Options only the pretty format looks at; machine formats never colour. */
export type RenderOptions = PrettyOptions;

export interface Reporter {
  render(report: RunReport, opts?: RenderOptions): string;
  renderMany(reports: readonly RunReport[], opts?: RenderOptions): string;
}

const REPORTERS: Record<Format, Reporter> = {
  pretty: { render: renderPretty, renderMany: renderPrettyMatrix },
  ktap: { render: (r) => renderKtap(r), renderMany: (rs) => renderKtapMatrix(rs) },
  json: { render: (r) => renderJson(r), renderMany: (rs) => renderJsonMatrix(rs) },
  junit: { render: (r) => renderJunit(r), renderMany: (rs) => renderJunitMatrix(rs) },
};

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
export { statsHighlights } from './text.js';
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
