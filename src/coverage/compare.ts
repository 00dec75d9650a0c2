// SPDX-License-Identifier: GPL-2.0-only
// Several suites' tracefiles from one coverage kernel, side by side: the
// markdown table of docs/coverage.md (scripts/coverage.mjs prints it), and the
// functions no suite enters.
import { pct, ratio, summarise, SUMMARY_FILES, unreachedFunctions, type Tracefile } from './tracefile.js';

export interface SuiteCoverage {
  /** Column label: default, -p all, ftracetest. */
  name: string;
  tracefile: Tracefile;
}

/** Rows file x suite: lines and branches hit/total (%); a file a tracefile lacks reads 0/0 (-). */
export function compareTable(suites: readonly SuiteCoverage[], files: readonly string[] = SUMMARY_FILES): string {
  const head = ['file', ...suites.flatMap((s) => [`${s.name}: lines`, `${s.name}: branches`])];
  const rows = files.map((f) => [
    f,
    ...suites.flatMap((s) => {
      const x = summarise(s.tracefile, f);
      return [`${ratio(x.lines)} (${pct(x.lines)})`, `${ratio(x.branches)} (${pct(x.branches)})`];
    }),
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

/** Functions of `file` that no suite entered (FNDA:0 in every tracefile that has the file), by line. */
export function unreachedByAll(suites: readonly SuiteCoverage[], file: string): { name: string; line: number }[] {
  const lists = suites.map((s) => unreachedFunctions(s.tracefile, file));
  const present = suites.map((s) => summarise(s.tracefile, file).present);
  if (!present.some(Boolean)) return [];
  const sets = lists.filter((_, i) => present[i]).map((l) => new Set(l.map((x) => x.name)));
  const first = lists[present.indexOf(true)]!;
  return first.filter((fn) => sets.every((s) => s.has(fn.name)));
}
