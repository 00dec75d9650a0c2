// SPDX-License-Identifier: GPL-2.0-only
// One line of an explore run's figures (placeholder until progress.ts lands).
import type { ExploreStats } from './stream.js';

export function formatStats(s: ExploreStats, newEdges?: number): string {
  const secs = s.elapsedMs / 1000;
  const rate = secs > 0 ? (s.programs / secs).toFixed(1) : '0';
  return `${s.programs} programs (${rate}/s), ${s.violations} violations, corpus ${s.corpus}, edges ${s.edges}${newEdges !== undefined ? ` (+${newEdges})` : ''}${s.kcov ? '' : ' (blind)'}`;
}
