// SPDX-License-Identifier: GPL-2.0-only
// Expectations: known kernel bugs as data (`run --expect FILE`). An entry
// names which results it covers (scenario glob, probe kind, kernel release
// glob), the evidence that identifies the bug (a signature), and what to do.
import type { ProbeKind } from '../model.js';
import type { AffectedRanges } from './release.js';
import type { FaultKind } from './console-faults.js';

export const EXPECT_SCHEMA = 'tracefs-regress/expect@1';

export const ACTIONS = ['xfail', 'flaky', 'skip'] as const;
/**
 * xfail: must fail with the signature (a pass is XPASS and fails the run, so a fixed kernel is noticed);
 * flaky: a pass or a failure with the signature are both fine (races that do not trigger every run);
 * skip:  not run on such kernels (running would crash a shared host); if run anyway, treated as flaky.
 */
export type Action = (typeof ACTIONS)[number];

/** One validated entry of an expectations file. */
export interface ExpectEntry {
  /** Scenario id or glob (`*`, `?`), as for --scenario. */
  scenario: string;
  kind: ProbeKind | '*';
  /** Glob against the kernel release (uname -r), e.g. `6.18.*`, `6.1.0-*-amd64`. */
  release: string;
  /** Substrings that must all appear in one line of the result (evidence, kernel lines, reason). */
  signature: string[];
  action: Action;
  why: string;
  reference?: string;
  /** The file it came from, as given on the command line, and its index in `entries` (in `crashers` for a crasher's). */
  source: string;
  index: number;
  /** Made from a known crasher: its releases are the crasher's affected ranges, not the `release` glob. */
  crasher?: Crasher;
}

/**
 * A kernel bug the suite crashes kernels with (`crashers` in the file): which
 * releases carry it, the fix that ends it, the scenarios that hit it and the
 * console line that shows it. Not run on a host whose kernel carries it
 * (`run --run-known-crashers` runs it); run in `vm` guests, where a failure
 * with the signature is XFAIL and a pass is accepted (races do not trigger
 * every time).
 */
export interface Crasher {
  /** e.g. CVE-2026-74605 */
  id: string;
  title: string;
  fix: { commit: string; subject: string };
  affected: AffectedRanges;
  scenarios: string[];
  kind: ProbeKind | '*';
  signature: string[];
  /** The fault as the console shows it: names a failure by this bug in every report (src/expectations/naming.ts). */
  console?: ConsoleSignature;
  reference?: string;
}

/** A fault's kind and the function it hits, without offsets: `{function: "eventfs_iterate", kind: "NULL pointer dereference"}`. */
export interface ConsoleSignature {
  /** One function or several (the same bug reached through the kprobe and the uprobe code). */
  functions: string[];
  /** One kind or several (the same bug faults as a GPF on x86 and a paging request on arm64). */
  kinds: FaultKind[];
}

/**
 * A known kernel bug as the catalogue names it: a crasher's record or a
 * `bugs` record of the file. A failure whose console shows the signature is
 * named by it, with whether its kernel predates the fix or should carry it.
 */
export interface KnownBug {
  /** The CVE where there is one, else the project's own name, e.g. "tfsr-6.1-trigger-fd-warn". */
  id: string;
  title: string;
  console: ConsoleSignature;
  fix: { commit: string; subject: string };
  affected: AffectedRanges;
  reference?: string;
  /** What is not known (where a fact could not be found), said in every report that names the bug. */
  note?: string;
  /** A `crashers` record (the host does not run its scenarios on an affected kernel). */
  crasher: boolean;
}
