// Which scenario variants a run covers: --scenario globs x --probe kinds.
import { KernelFeatureError, UsageError } from '../errors.js';
import { PROBE_KINDS, type ProbeKind } from '../model.js';
import type { Scenario } from '../scenarios/types.js';
import { globMatch } from '../util/glob.js';

/** Kinds run when --probe is not given: kprobe first; uprobe so a kernel without kprobes still exercises eventfs. */
export const DEFAULT_KINDS: ProbeKind[] = ['kprobe', 'uprobe'];

export function selectScenarios(all: readonly Scenario[], patterns: string[]): Scenario[] {
  if (patterns.length === 0) return [...all];
  const picked = new Set<Scenario>();
  for (const p of patterns) {
    const hits = all.filter((s) => globMatch(p, s.id));
    if (hits.length === 0) {
      throw new UsageError(
        `unknown scenario '${p}': pick ids or globs from ${all.map((s) => s.id).join(', ')} (see 'tracefs-regress list')`,
      );
    }
    hits.forEach((h) => picked.add(h));
  }
  return all.filter((s) => picked.has(s));
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
