// SPDX-License-Identifier: GPL-2.0-only
// The verdict of one variant, from the facts the runner gathered: pure, with
// ordered rules (as src/vm/boot/outcome.ts is for a boot), so every rule and every
// pair of rules that fire together is tested without running anything.
import type { ScenarioResult } from '../report/types.js';
import type { HealthDelta } from '../health/types.js';
import type { WatchdogResult } from '../native/index.js';
import type { ScenarioOutcome } from '../scenarios/types.js';
import type { ExpectEntry, KnownBug } from '../expectations/types.js';
import { applyToResult } from '../expectations/apply.js';
import { nameResult } from '../expectations/naming.js';
import { ABANDON_AFTER_MS, applyTimeout } from './timeout.js';

export type VariantBase = Pick<ScenarioResult, 'name' | 'scenario' | 'kind' | 'title' | 'references'>;

/** What making a FAIL's reproducer (--repro-dir) added: src/repro's notes and file, and what the kernel said meanwhile. */
export interface ReproducerFacts {
  notes: readonly string[];
  written?: NonNullable<ScenarioResult['reproducer']>;
  /** The health delta over the minimiser's replays. */
  replays: HealthDelta;
}

export interface VariantFacts {
  base: VariantBase;
  /** What the scenario returned (or the runner made of what it threw); 'abandoned': it never came back. */
  outcome: ScenarioOutcome | 'abandoned';
  durationMs: number;
  /** The variant's limit (src/runner/timeout.ts). */
  limitMs: number;
  /** What the watchdog saw when disarmed, or why it could not be armed. */
  watchdog: WatchdogResult | string;
  /** What the variant's context could not remove. */
  leftovers: readonly string[];
  /** The kernel's health over the variant. */
  health: HealthDelta;
  /** Set once the rules before 'reproducer' made it a FAIL and --repro-dir wrote (or tried) its reproducer. */
  reproducer?: ReproducerFacts;
  /** --expect entries, judged on this kernel. */
  expect?: readonly ExpectEntry[];
  /** Known bugs a FAIL or XFAIL is named by. */
  knownBugs?: readonly KnownBug[];
  kernel: { release: string; version: string };
}

export type RuleName =
  | 'no-watchdog'
  | 'timeout'
  | 'could-not-remove'
  | 'checked-nothing'
  | 'unhealthy'
  | 'reproducer'
  | 'timeout-under-fail'
  | 'expect'
  | 'known-bug';

interface Rule {
  name: RuleName;
  /** The result this rule makes of `r`, or undefined when it does not fire. */
  apply(r: ScenarioResult, f: VariantFacts): ScenarioResult | undefined;
}

const withNotes = (r: ScenarioResult, ...notes: string[]): ScenarioResult => ({
  ...r,
  notes: [...(r.notes ?? []), ...notes],
});

/** What a health delta saw, as the evidence and notes quote it; empty when nothing changed. */
export function healthParts(delta: HealthDelta): string[] {
  const parts: string[] = [];
  if (delta.oopsCount && delta.oopsCount.after > delta.oopsCount.before)
    parts.push(`oops_count ${delta.oopsCount.before}->${delta.oopsCount.after}`);
  if (delta.warnCount && delta.warnCount.after > delta.warnCount.before)
    parts.push(`warn_count ${delta.warnCount.before}->${delta.warnCount.after}`);
  if (delta.taint && delta.taint.after !== delta.taint.before)
    parts.push(`taint ${delta.taint.before}->${delta.taint.after} (${delta.taint.letters})`);
  if (delta.kernelLines.length) parts.push(`${delta.kernelLines.length} kernel log lines`);
  return parts;
}

/**
 * In this order; each rule sees what the ones before it made. Later rules may
 * overrule earlier ones: the order is the behaviour (test/unit/runner/judge.test.ts).
 */
export const RULES: readonly Rule[] = [
  {
    // An old prebuilt addon or no free signal: the variant ran without a limit.
    name: 'no-watchdog',
    apply: (r, f) => (typeof f.watchdog === 'string' ? withNotes(r, f.watchdog) : undefined),
  },
  {
    // TIMEOUT whatever the scenario made of its interrupted calls.
    name: 'timeout',
    apply: (r, f) => {
      if (typeof f.watchdog === 'string' || !f.watchdog.fired) return undefined;
      const out = { ...r };
      applyTimeout(out, f.limitMs, f.watchdog, f.outcome === 'abandoned');
      return out;
    },
  },
  {
    // A FAIL stays a FAIL (what the kernel did wrong may be why cleanup failed); a PASS can't stand.
    name: 'could-not-remove',
    apply: (r, f) => {
      if (!f.leftovers.length) return undefined;
      const why = `could not remove: ${f.leftovers.join('; ')}`;
      return r.status === 'PASS' ? { ...r, status: 'UNRESOLVED', reason: why } : withNotes(r, why);
    },
  },
  {
    // Judged on the scenario's own outcome, so it replaces a "could not remove" reason (which is then lost).
    name: 'checked-nothing',
    apply: (r, f) =>
      f.outcome !== 'abandoned' && f.outcome.status === 'PASS' && f.outcome.checks === 0 && !r.timeout
        ? { ...r, status: 'UNRESOLVED', reason: 'the scenario checked nothing' }
        : undefined,
  },
  {
    // An oops, a warning, a new taint or a kernel report: FAIL, whatever came before; the reason stays.
    name: 'unhealthy',
    apply: (r, f) => {
      if (f.health.ok) return undefined;
      const evidence = {
        op: 'kernel health',
        path: '/dev/kmsg',
        expected: 'no oops, warning, new taint or kernel report',
        got: healthParts(f.health).join(', ') || 'unhealthy',
        detail: f.health.kernelLines.join('\n'),
      };
      return { ...r, status: 'FAIL', evidence: [...r.evidence, evidence] };
    },
  },
  {
    // The minimiser replayed the failing steps: what the kernel said meanwhile belongs to this
    // FAIL, not to the next variant (whose window would otherwise open on it: a health-only
    // mutant made every later variant FAIL that way).
    name: 'reproducer',
    apply: (r, f) => {
      if (r.status !== 'FAIL' || !f.reproducer) return undefined;
      const p = f.reproducer;
      const replays = healthParts(p.replays);
      const out = p.written ? { ...r, reproducer: p.written } : r;
      return withNotes(
        out,
        ...p.notes,
        ...(replays.length ? [`while its reproducer was made: ${replays.join(', ')}`] : []),
      );
    },
  },
  {
    // An oops or a warning says more than the hang it may have caused: FAIL, with the timeout as a note.
    name: 'timeout-under-fail',
    apply: (r) => (r.timeout && r.status === 'FAIL' ? withNotes(r, r.reason ?? 'timed out') : undefined),
  },
  {
    name: 'expect',
    apply: (r, f) => (f.expect ? applyToResult(r, f.expect, f.kernel.release) : undefined),
  },
  {
    name: 'known-bug',
    apply: (r, f) => (f.knownBugs ? nameResult(r, f.knownBugs, f.kernel.release, f.kernel.version) : undefined),
  },
];

/** The result before any rule: the scenario's outcome (or its abandonment) on the variant. */
function initial(f: VariantFacts): ScenarioResult {
  const why = `did not return within ${(f.limitMs + ABANDON_AFTER_MS) / 1000} s: abandoned`;
  const out: ScenarioOutcome =
    f.outcome === 'abandoned' ? { status: 'UNRESOLVED', reason: why, evidence: [], checks: 0 } : f.outcome;
  return { ...f.base, ...out, durationMs: f.durationMs, health: f.health };
}

/** The variant's result: every rule in order; with `until`, only the rules before that one. */
export function judgeVariant(f: VariantFacts, until?: RuleName): ScenarioResult {
  let r = initial(f);
  for (const rule of RULES) {
    if (rule.name === until) break;
    r = rule.apply(r, f) ?? r;
  }
  return r;
}
