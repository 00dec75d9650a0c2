// SPDX-License-Identifier: GPL-2.0-only
// The peer: the kernel's own ftracetest (tools/testing/selftests/ftrace of the
// same source tree), run in the same VM runner on the same kernels, so the
// self-test can say which planted regressions each tool catches.
import fs from 'node:fs';
import path from 'node:path';
import { bootOnce, type BootOutcome } from '../vm/boot/boot.js';
import { resolveCustom } from '../vm/kernels/custom.js';
import type { Accel } from '../vm/qemu/accel.js';
import { EnvironmentError } from '../errors.js';

export type FtraceStatus = 'PASS' | 'FAIL' | 'UNRESOLVED' | 'UNTESTED' | 'UNSUPPORTED' | 'XFAIL' | 'UNDEFINED';

export interface FtraceCase {
  n: number;
  name: string;
  status: FtraceStatus;
}

/** The sets the self-test compares with tracefs-regress: every test of these test.d/ dirs (dynamic events and instances). */
export const DEFAULT_SETS = ['kprobe', 'dynevent', 'instances'];

const ESC = /\x1b\[[0-9;]*m/g;

/**
 * Parse ftracetest's log (`[N] name<TAB>[PASS]`). A case's result may land on
 * a later line when the test printed in between, so the last seen case takes
 * the next bare `[STATUS]`.
 */
export function parseFtracetest(text: string): FtraceCase[] {
  const out: FtraceCase[] = [];
  let pending: { n: number; name: string } | undefined;
  for (const raw of text.split('\n')) {
    // Kernel messages share the console and can land mid-line: cut them out.
    const line = raw.replace(ESC, '').replace(/\r$/, '').replace(/\[\s*\d+\.\d+\] .*$/, '');
    const head = /^\[(\d+)\](.*?)(?:\s+\[([A-Z]+)\])?\s*$/.exec(line);
    if (head && !/^\s*$/.test(head[2]!)) {
      pending = { n: Number(head[1]), name: head[2]!.trim() };
      if (head[3]) {
        out.push({ ...pending, status: head[3] as FtraceStatus });
        pending = undefined;
      }
      continue;
    }
    const tail = /^\s*\[(PASS|FAIL|UNRESOLVED|UNTESTED|UNSUPPORTED|XFAIL|UNDEFINED)\]\s*$/.exec(line);
    if (tail && pending) {
      out.push({ ...pending, status: tail[1] as FtraceStatus });
      pending = undefined;
    }
  }
  return out;
}

export function ftraceDir(sourceDir: string): string {
  return path.join(sourceDir, 'tools/testing/selftests/ftrace');
}

/**
 * ftracetest finds tracefs with `grep tracefs /proc/mounts | head -1`, and the
 * results share's path (~/.cache/tracefs-regress/...) matches first: it would
 * then "test" the share and report every case UNSUPPORTED. So it runs in a
 * private mount namespace without the share, logging to the guest's tmpfs.
 */
export function guestScript(share: string, sets: string[]): string {
  const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `umount ${sq(share)} && exec ./ftracetest -l /tmp/ftracetest-logs ${sets.map(sq).join(' ')}`;
}

export interface FtraceRun {
  cases: FtraceCase[];
  boot: BootOutcome;
  wallMs: number;
}

/** Boot bzImage and run ftracetest on the chosen sets inside; its log comes back through the results share. */
export async function runFtracetest(o: {
  bzImage: string;
  sourceDir: string;
  sets?: string[];
  accel: Accel;
  timeoutMs: number;
  memoryMiB?: number;
  cpus?: number;
  keepLog?: string;
}): Promise<FtraceRun> {
  const dir = ftraceDir(o.sourceDir);
  if (!fs.existsSync(path.join(dir, 'ftracetest'))) throw new EnvironmentError(`no ftracetest in ${dir}`);
  const sets = (o.sets ?? DEFAULT_SETS).map((s) => `test.d/${s}`);
  const kernel = await resolveCustom(o.bzImage, undefined, path.dirname(o.bzImage));
  const started = Date.now();
  // bootOnce removes the results share after a clean exit, and the share is
  // hidden from ftracetest (below), so the console is where the results come from.
  const consoleLines: string[] = [];
  const boot = await bootOnce({
    kernel,
    accel: o.accel,
    memoryMiB: o.memoryMiB ?? 2048,
    cpus: o.cpus ?? 2,
    timeoutMs: o.timeoutMs,
    cwd: dir,
    guestArgv: (share) => ['unshare', '-m', '/bin/sh', '-c', guestScript(share, sets)],
    resultLine: /^\[\d+\]/,
    keepLog: o.keepLog,
    onConsole: (line) => consoleLines.push(line),
  });
  const text = consoleLines.join('\n');
  return { cases: parseFtracetest(text), boot, wallMs: Date.now() - started };
}
