// What a run produces: every reporter (pretty, KTAP, JSON, JUnit) renders this.
import type { Evidence, Status } from '../scenarios/types.js';
import type { ProbeKind } from '../probes/types.js';
import type { RaceSummary } from '../race/types.js';

/** What the kernel-health oracle saw change across one scenario. */
export interface HealthDelta {
  ok: boolean;
  oopsCount?: { before: number; after: number };
  warnCount?: { before: number; after: number };
  /** letters: the taint after (kernel letters, '' if none); gained: letters newly set during the scenario. */
  taint?: { before: number; after: number; letters: string; gained?: string };
  /** /dev/kmsg records matching BUG:, KASAN:, WARNING:, Oops, ... plus the lines that followed each. */
  kernelLines: string[];
  /** What the oracle could not watch (not root, no counters on this kernel) or had to guess. */
  notes?: string[];
}

export interface ScenarioResult {
  /** e.g. removed-files-enoent[uprobe] */
  name: string;
  scenario: string;
  kind: ProbeKind;
  title: string;
  status: Status;
  reason?: string;
  evidence: Evidence[];
  checks: number;
  durationMs: number;
  references: string[];
  health?: HealthDelta;
  stats?: unknown;
  /** Set by race scenarios: cycles and ops with their rates, threads, CPUs, and whether the workers could overlap. */
  race?: RaceSummary;
  notes?: string[];
}

export interface RunEnvironment {
  kernel: { release: string; version: string; machine: string };
  tracefs: string;
  features: string[];
  /** Set inside a VM guest: how the guest was run (e.g. "tcg thread=single"). */
  accelerator?: string;
  hostname: string;
  /** Run-wide remarks, e.g. what the health oracle could not watch here. */
  notes?: string[];
}

export interface RunReport {
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  env: RunEnvironment;
  results: ScenarioResult[];
  /** The run stopped early (SIGINT/SIGTERM, --bail). */
  interrupted?: string;
}

export interface Summary {
  pass: number;
  fail: number;
  unresolved: number;
  skip: number;
  total: number;
}

export function summarize(results: ScenarioResult[]): Summary {
  const s: Summary = { pass: 0, fail: 0, unresolved: 0, skip: 0, total: results.length };
  for (const r of results) {
    if (r.status === 'PASS') s.pass++;
    else if (r.status === 'FAIL') s.fail++;
    else if (r.status === 'UNRESOLVED') s.unresolved++;
    else s.skip++;
  }
  return s;
}
