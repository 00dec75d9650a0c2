// SPDX-License-Identifier: GPL-2.0-only
// Whether live tests can run here. They skip with a printed reason only when
// not root or tracefs is missing; with TRACEFS_REGRESS_REQUIRE_LIVE=1 (CI)
// that is a failure instead.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidAlive } from '../../src/util/pid.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'bin', 'tracefs-regress.js');

function reason(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root';
  if (!/\ttracefs$/m.test(fs.readFileSync('/proc/filesystems', 'utf8'))) return 'this kernel has no tracefs';
  return undefined;
}

export const liveSkipReason = reason();
if (liveSkipReason) {
  if (process.env.TRACEFS_REGRESS_REQUIRE_LIVE === '1') {
    throw new Error(`live tests required (TRACEFS_REGRESS_REQUIRE_LIVE=1) but cannot run: ${liveSkipReason}`);
  }
  process.stderr.write(`SKIP live tests: ${liveSkipReason}\n`);
}

/** Where tracefs is mounted (mounting it the way the tool would, when absent). */
export function tracefsRoot(): string {
  const m = /^\S+ \S+ \S+ \S+ (\S+) .* - tracefs /m.exec(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
  if (m) return m[1]!;
  fs.mkdirSync('/sys/kernel/tracing', { recursive: true });
  execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
  return '/sys/kernel/tracing';
}

/**
 * Whether a tfsr_ name belongs to a run that is still going elsewhere: a
 * process other than this one (another terminal, a parallel CI job) whose pid
 * lives. Tracefs is shared, so such a run's objects are not this test's
 * leftovers; a dead run's are, and so are this process's own.
 */
export function ofLiveOtherRun(line: string): boolean {
  const m = /tfsr_(\d+)_[0-9a-f]{6}/.exec(line);
  if (!m) return false;
  const pid = Number(m[1]);
  return pid !== process.pid && pidAlive(pid);
}

/** Everything named tfsr_ in tracefs, but live runs of other processes: what a run must never leave behind. */
export function leftovers(root = tracefsRoot()): string[] {
  return tfsrObjects(root).filter((l) => !ofLiveOtherRun(l));
}

/** Everything named tfsr_ in tracefs, whoever made it (to watch a run that is still going). */
export function tfsrObjects(root = tracefsRoot()): string[] {
  const out: string[] = [];
  for (const f of ['kprobe_events', 'uprobe_events', 'dynamic_events', 'synthetic_events']) {
    try {
      out.push(
        ...fs
          .readFileSync(`${root}/${f}`, 'utf8')
          .split('\n')
          .filter((l) => l.includes('tfsr_')),
      );
    } catch {
      // not in this kernel
    }
  }
  for (const d of ['instances', 'events']) {
    try {
      out.push(
        ...fs
          .readdirSync(`${root}/${d}`)
          .filter((n) => n.startsWith('tfsr_'))
          .map((n) => `${d}/${n}`),
      );
    } catch {
      // no such dir
    }
  }
  return out;
}

/** The project's own expectations: what the suite has found on the kernels its tests run on. */
export const KNOWN_BUGS_FILE = path.join(ROOT, 'kernel', 'known-bugs.json');

/**
 * TRACEFS_REGRESS_RUN_KNOWN_BUGS=1 runs the file's known crashers where this
 * kernel carries their bug (--run-known-crashers): on the development host that oopses the kernel.
 */
export const RUN_KNOWN_BUGS = process.env.TRACEFS_REGRESS_RUN_KNOWN_BUGS === '1';

/** Polls cond every 50 ms until it holds or ms pass; its last answer. */
export async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}
