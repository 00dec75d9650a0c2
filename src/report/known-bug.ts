// SPDX-License-Identifier: GPL-2.0-only
// How a result named by the known-bug catalogue (expect/naming.ts) reads in
// every format: one line for a report, one short label for a matrix cell.
import type { KnownBugNote, ScenarioResult } from './types.js';

const SHORT: Record<KnownBugNote['verdict'], string> = {
  'predates-fix': 'predates the fix',
  'should-contain-fix': 'fix missing: regression or backport',
  'unknown-series': 'series unknown',
};

/** A cell's label (a heat map, a table): "CVE-2026-74605: predates the fix", "NEW", or undefined for a result no one names. */
export function knownBugLabel(r: ScenarioResult): string | undefined {
  if (r.knownBug) return `${r.knownBug.id}: ${SHORT[r.knownBug.verdict]}`;
  return r.new ? 'NEW' : undefined;
}

/** The line every reporter writes for a named result. */
export function knownBugLine(r: ScenarioResult): string | undefined {
  if (r.knownBug) return `known bug: ${r.knownBug.text}${r.knownBug.note ? ` [${r.knownBug.note}]` : ''}`;
  return r.new ? 'NEW: matches no known bug in kernel/known-bugs.json' : undefined;
}
