// SPDX-License-Identifier: GPL-2.0-only
// Which scenario variants a run covers: --scenario globs x --probe kinds.
import { KernelFeatureError, UsageError } from '../errors.js';
import { PROBE_KINDS, type ProbeKind } from '../model.js';
import type { Scenario } from '../scenarios/types.js';
import { globMatch } from '../util/glob.js';

/** Kinds run when --probe is not given: kprobe first; uprobe so a kernel without kprobes still exercises eventfs. */
export const DEFAULT_KINDS: ProbeKind[] = ['kprobe', 'uprobe'];

/**
 * --scenario globs (none: all), then --exclude globs taken out of what they
 * picked. A glob that matches no scenario at all is a typo either way (an
 * --exclude that matches only unselected scenarios is fine: the project's own
 * tests exclude per kernel); a selection that --exclude empties is an error too.
 */
export function selectScenarios(all: readonly Scenario[], patterns: string[], excludes: string[] = []): Scenario[] {
  const matching = (p: string, flag: string): Scenario[] => {
    const hits = all.filter((s) => globMatch(p, s.id));
    if (hits.length === 0) {
      throw new UsageError(
        `${flag}unknown scenario '${p}': pick ids or globs from ${all.map((s) => s.id).join(', ')} (see 'tracefs-regress list')`,
      );
    }
    return hits;
  };
  const picked = new Set<Scenario>(patterns.length ? patterns.flatMap((p) => matching(p, '')) : all);
  const dropped = new Set<Scenario>(excludes.flatMap((p) => matching(p, '--exclude: ')));
  const left = all.filter((s) => picked.has(s) && !dropped.has(s));
  if (left.length === 0) {
    throw new UsageError(
      `--exclude ${excludes.join(' --exclude ')} leaves no scenario of the selection: drop or narrow an --exclude`,
    );
  }
  return left;
}

/**
 * --probe values: a kind, several (comma-separated or repeated), or 'all'.
 * An explicit kind this kernel lacks is a SKIP per variant, as a default one is,
 * unless no kind asked for is here: then nothing can run (exit 4, kselftest's skip).
 */
export function selectKinds(requested: string[], supported: ProbeKind[]): { kinds: ProbeKind[]; explicit: boolean } {
  const words = requested
    .flatMap((r) => r.split(','))
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 0) return { kinds: DEFAULT_KINDS, explicit: false };
  if (words.includes('all')) return { kinds: supported.length ? supported : DEFAULT_KINDS, explicit: false };
  const kinds: ProbeKind[] = [];
  for (const w of words) {
    if (!(PROBE_KINDS as readonly string[]).includes(w)) {
      throw new UsageError(`unknown probe kind '${w}': use one of ${PROBE_KINDS.join(', ')} or all`);
    }
    const k = w as ProbeKind;
    if (!kinds.includes(k)) kinds.push(k);
  }
  if (!kinds.some((k) => supported.includes(k))) {
    const asked = kinds.join(', ');
    throw new KernelFeatureError(
      `--probe ${asked}: this kernel has no ${asked} events (supported here: ${supported.join(', ') || 'none'}); pick another kind or run in a VM with 'tracefs-regress vm'`,
    );
  }
  return { kinds: PROBE_KINDS.filter((k) => kinds.includes(k)), explicit: true };
}
