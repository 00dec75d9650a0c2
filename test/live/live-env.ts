// Whether live tests can run here. They skip with a printed reason only when
// not root or tracefs is missing; with TRACEFS_REGRESS_REQUIRE_LIVE=1 (CI)
// that is a failure instead.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Everything named tfsr_ in tracefs: what a run must never leave behind. */
export function leftovers(root = tracefsRoot()): string[] {
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
 * TRACEFS_REGRESS_RUN_KNOWN_BUGS=1 runs what the file's skip entries keep from
 * running here (--ignore-skips): on the development host that oopses the kernel.
 */
export const RUN_KNOWN_BUGS = process.env.TRACEFS_REGRESS_RUN_KNOWN_BUGS === '1';
