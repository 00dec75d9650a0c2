// SPDX-License-Identifier: GPL-2.0-only
// The shared vocabulary every layer speaks: the probe kinds, the kernel
// features a scenario needs, a result's status and its evidence. It sits at
// the bottom of the import graph with src/errors.ts, so tracefs/, report/
// and the rest take these from here, not from each other.

/** Kinds a scenario can be run with, in the order variants are reported. */
export const PROBE_KINDS = ['kprobe', 'uprobe', 'fprobe', 'eprobe', 'synthetic'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** What a scenario may require of the kernel; unmet means UNSUPPORTED (SKIP) with the reason. */
export type Feature =
  | 'kprobe_events'
  | 'uprobe_events'
  | 'dynamic_events'
  | 'synthetic_events'
  | 'fprobe_events'
  | 'eprobe_events'
  | 'instances'
  | 'drop_caches';

/**
 * ftracetest's result codes. UNSUPPORTED is reported as SKIP; UNRESOLVED
 * (setup broke) fails the run. TIMEOUT is set by the runner, never by a
 * scenario: the variant overran its --scenario-timeout (a system call that
 * blocked), was interrupted, and fails the run.
 */
export type Status = 'PASS' | 'FAIL' | 'UNRESOLVED' | 'UNSUPPORTED' | 'TIMEOUT';

/** One observed divergence from what a correct kernel does. */
export interface Evidence {
  op: string;
  path: string;
  expected: string;
  got: string;
  /** Anything else worth quoting (generation, thread, kernel lines). */
  detail?: string;
}

/**
 * The tool's own failure, not the kernel's: out of fds or memory, a thread
 * it could not create, a foreign mount under the tracefs root. The variant
 * is UNRESOLVED (KTAP `# ERROR`) with this, never FAIL, and the run exits 2
 * unless a real failure makes it 1 (src/report/exit-code.ts).
 */
export interface ToolFault {
  /** The errno code: EMFILE, ENFILE, ENOMEM, EAGAIN (thread creation) or EXDEV. */
  code: string;
  /** What failed, e.g. "worker 3: openat(/sys/kernel/tracing/events/...): EMFILE". */
  cause: string;
  /** One line that fixes it, e.g. "raise the fd limit: ulimit -n 2048, or lower --threads to 16". */
  fix: string;
}

/**
 * Registers an undo step (run at exit, on an error or a signal, newest
 * first) and returns a function that unregisters it. runner/teardown.ts
 * provides it; lower layers take it as a parameter instead of importing it.
 */
export type OnTeardown = (name: string, fn: () => void) => () => void;
