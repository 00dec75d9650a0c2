// SPDX-License-Identifier: GPL-2.0-only
// What a run produces: every reporter (pretty, KTAP, JSON, JUnit) renders this.
import type { Evidence, Status, ProbeKind, ToolFault } from '../model.js';
import type { RaceStats, RaceSummary } from '../race/types.js';
import type { HealthDelta } from '../health/types.js';

/**
 * A result's status: a scenario's own (PASS, FAIL, UNRESOLVED, UNSUPPORTED),
 * the runner's TIMEOUT, or, once an expectations file (--expect) judged it, XFAIL (a failure the
 * file expects, its signature found) or XPASS (a pass where the file expects
 * a failure: the kernel may be fixed).
 */
export type ResultStatus = Status | 'XFAIL' | 'XPASS';

/** What an expectations entry made of a result (src/expectations/apply.ts). */
export type ExpectationVerdict =
  /** FAIL with the signature found: now XFAIL. */
  | 'xfail'
  /** PASS under an xfail entry: now XPASS (fails the run). */
  | 'xpass'
  /** PASS under a flaky entry: stays PASS. */
  | 'flaky-pass'
  /** FAIL under an entry whose signature is not in it: stays FAIL, a different failure. */
  | 'mismatch'
  /** Not run on this kernel (a skip entry): UNSUPPORTED with the entry's why. */
  | 'skip';

export interface ExpectationNote {
  verdict: ExpectationVerdict;
  /** The expectations file, as given on the command line. */
  source: string;
  /** The entry's index in that file's `entries` (0-based, as the validator names it). */
  entry: number;
  action: 'xfail' | 'flaky' | 'skip';
  why: string;
  reference?: string;
  /** The signature, each part shown as it is in the file. */
  signature: string[];
  /** The result's line the signature was found in (verdict xfail). */
  matched?: string;
  /** A host-side result (the VM console) explained by this result's expected failure. */
  via?: string;
  /** A known crasher's id (then `entry` is its index in the file's `crashers`), and its fix. */
  crasher?: string;
  fix?: string;
}

/** The known bug a failure matches, and how its kernel stands to the fix. */
export interface KnownBugNote {
  /** The CVE, or the catalogue's own name for a bug without one. */
  id: string;
  title: string;
  fix: { commit: string; subject: string; mainline: string };
  /** predates-fix: the kernel is older than the fix of its series; should-contain-fix: it is not (a regression or a missing backport); unknown-series: the catalogue cannot tell. */
  verdict: 'predates-fix' | 'should-contain-fix' | 'unknown-series';
  /** The sentence every format writes: "matches <id> (<title>), fixed upstream by <commit> (...); <release> predates the fix (...)". */
  text: string;
  /** The line that named the fault's function. */
  matched: string;
  /** What the catalogue does not know about this bug. */
  note?: string;
}

/** A result's probe kind, or 'vm' for what the VM host adds itself (the guest console, the boot). */
export type ResultKind = ProbeKind | 'vm';

export interface ScenarioResult {
  /** e.g. removed-files-enoent[uprobe] */
  name: string;
  scenario: string;
  kind: ResultKind;
  title: string;
  status: ResultStatus;
  reason?: string;
  evidence: Evidence[];
  checks: number;
  durationMs: number;
  references: string[];
  health?: HealthDelta;
  /** Race scenarios: the engine's statistics, as src/race/engine.ts returns them. */
  stats?: RaceStats;
  /** Set by race scenarios: cycles and ops with their rates, threads, CPUs, and whether the workers could overlap. */
  race?: RaceSummary;
  notes?: string[];
  /**
   * The tool's own failure (out of fds or memory, a thread it could not
   * create, a foreign mount under the tracefs root) stopped the variant:
   * status UNRESOLVED (KTAP `# ERROR`), no reproducer, and the run exits 2
   * unless something really failed (src/report/exit-code.ts).
   */
  fault?: ToolFault;
  /** Set when an --expect entry applied to this result (whatever its verdict). */
  expectation?: ExpectationNote;
  /** A FAIL or XFAIL whose lines show a known bug's fault (kernel/known-bugs.json; src/expectations/naming.ts). */
  knownBug?: KnownBugNote;
  /** A FAIL or XFAIL that matches no known bug. */
  new?: true;
  /**
   * The variant never ran: the run was interrupted (SIGINT/SIGTERM) or stopped
   * by --bail first. Status UNRESOLVED, reason "not run: ...", so the plan keeps it.
   */
  notRun?: NotRun;
  /** The signal that stopped this variant while it ran (e.g. SIGTERM): its verdict covers only the time before. */
  cutShort?: string;
  /** The variant overran its time and the watchdog interrupted it (status TIMEOUT, or FAIL when the kernel's health failed too). */
  timeout?: TimeoutInfo;
  /** `run --repeat`/`--until-fail`: the iteration (1-based) this result belongs to; its name ends in `@<iteration>`. */
  iteration?: number;
  /** `run --repro-dir`: the C reproducer written for this FAIL (src/repro/). */
  reproducer?: {
    /** Basename in the report's reproDir. */
    file: string;
    mode: 'sequence' | 'race' | 'health';
    /** Steps kept by the minimiser, of those recorded up to the violation. */
    steps?: { kept: number; total: number };
  };
}

/** How a variant timed out (src/runner/timeout.ts). */
export interface TimeoutInfo {
  /** The limit it overran: --scenario-timeout, plus --duration for a race. */
  limitMs: number;
  /** Signals the watchdog sent before the variant came back (each interrupts a blocked system call). */
  signals: number;
  /** How long after the limit it came back. */
  overrunMs: number;
}

/** Why a planned variant never ran. */
export type NotRun = 'interrupted' | 'bail';

export interface RunEnvironment {
  kernel: { release: string; version: string; machine: string };
  tracefs: string;
  features: string[];
  /** Set inside a VM guest: how the guest was run (e.g. "tcg thread=single"). */
  accelerator?: string;
  hostname: string;
  /** Run-wide remarks, e.g. what the health oracle could not watch here. */
  notes?: string[];
  /** The kernel options a bug report quotes (src/report/config.ts), when the kernel's config was found. */
  config?: KernelConfigLines;
}

/** Where the kernel's config was read and the lines of it that matter, as kconfig writes them. */
export interface KernelConfigLines {
  /** /proc/config.gz, /boot/config-<release>, or (vm) the booted image's config on the host. */
  source: string;
  /** e.g. "CONFIG_KPROBE_EVENTS=y", "# CONFIG_KASAN is not set". */
  lines: string[];
}

export interface RunReport {
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  env: RunEnvironment;
  results: ScenarioResult[];
  /** The run stopped early (SIGINT/SIGTERM, --bail). */
  interrupted?: string;
  /** `run --repro-dir`: where the reproducers were written (absolute). */
  reproDir?: string;
  /** `run --repeat`/`--until-fail`: what the iterations add up to (src/report/repeat.ts). Absent for a single run. */
  repeat?: RepeatSummary;
  /** `vm`: where this boot sits in the kernel x boot plan (src/vm/matrix/cells.ts). Absent for a plain run. */
  matrix?: MatrixCell;
}

/** One boot's place in a `vm` plan: kernels x boots, numbered kernel-major, the same in every shard. */
export interface MatrixCell {
  /** 0-based position in the unsharded plan. */
  index: number;
  /** How many cells the unsharded plan has. */
  cells: number;
  /** The kernel: uname -r when known, else the spec. */
  kernel: string;
  /** 1-based boot of this kernel, of `boots`. */
  boot: number;
  boots: number;
  /** The plan's fingerprint (kernels, boots, the guest's run arguments): shards of one plan carry the same. */
  plan: string;
  /** `--shard i/n` that ran it. */
  shard?: string;
}

/** One iteration of a repeated run. */
export interface IterationSummary {
  iteration: number;
  /** As its exit code would say ('error': only the tool's own failures, exit 2); 'interrupted' when a signal cut it short before anything failed. */
  status: 'passed' | 'failed' | 'skipped' | 'error' | 'interrupted';
  totals: Summary;
}

/** A repeated run: how many iterations passed, the first failure, the failure rate. */
export interface RepeatSummary {
  /** The cap: --repeat N, or MAX_REPEAT for a bare --until-fail. */
  planned: number;
  untilFail: boolean;
  /** Iterations that ran to their end (or failed before a signal). */
  completed: number;
  passed: number;
  failed: number;
  /** Iterations in which nothing ran (every variant skipped). */
  skipped: number;
  firstFailure?: { iteration: number; names: string[] };
  /** failed / completed, 0 when none completed. */
  failureRate: number;
  /** The signal that stopped the loop and the iteration it hit (or would have started). */
  interrupted?: { by: string; iteration: number };
  iterations: IterationSummary[];
}

export interface Summary {
  pass: number;
  fail: number;
  /** Failures an expectations file expects (not counted in fail). */
  xfail: number;
  /** Passes where an expectations file expects a failure (not counted in pass). */
  xpass: number;
  /** UNRESOLVED, not-run ones included. */
  unresolved: number;
  /** Of the unresolved: variants that never ran (interrupted, --bail). */
  notRun: number;
  /** Variants that overran their time (TIMEOUT). */
  timeout: number;
  skip: number;
  total: number;
}

export function summarize(results: readonly ScenarioResult[]): Summary {
  const s: Summary = {
    pass: 0,
    fail: 0,
    xfail: 0,
    xpass: 0,
    unresolved: 0,
    notRun: 0,
    timeout: 0,
    skip: 0,
    total: results.length,
  };
  for (const r of results) {
    if (r.status === 'PASS') s.pass++;
    else if (r.status === 'FAIL') s.fail++;
    else if (r.status === 'XFAIL') s.xfail++;
    else if (r.status === 'XPASS') s.xpass++;
    else if (r.status === 'TIMEOUT') s.timeout++;
    else if (r.status === 'UNRESOLVED') {
      s.unresolved++;
      if (r.notRun) s.notRun++;
    } else s.skip++;
  }
  return s;
}

/** Statuses that fail a run: FAIL, UNRESOLVED, TIMEOUT, and XPASS (an expectation that no longer holds). */
export function isFailing(status: ResultStatus): boolean {
  return status === 'FAIL' || status === 'UNRESOLVED' || status === 'TIMEOUT' || status === 'XPASS';
}
