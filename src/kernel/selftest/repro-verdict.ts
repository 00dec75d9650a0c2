// SPDX-License-Identifier: GPL-2.0-only
// The reproducer step's judgement (`kernel selftest`, step 4): for every
// reproducer a kernel's guest generated, was it built, did it reproduce on its
// own kernel (a fresh guest, `vm --exec`) and stay quiet on the clean one?
// Pure, so every rule is unit-tested on planted output without a VM;
// repro-table.ts renders what these return.
import path from 'node:path';
import { raceMissTolerated, type CleanCell, type Judged, type OwnCell, type ReproRow } from './repro-table.js';

export type { CleanCell, Judged, OwnCell, ReproRow };

/** The marker lines the driver (reproDriverScript) prints around each program it runs. */
export const DRIVER_MARK = '@@tfsr-repro';

/**
 * A POSIX sh driver: arguments come in pairs, program then its arguments as
 * one word-split string; each program runs with stdin from /dev/null and its
 * stderr on stdout, between a start and an end line carrying its exit status.
 * A guest that dies mid-program leaves a start without an end.
 */
export function reproDriverScript(): string {
  return [
    '#!/bin/sh',
    '# tracefs-regress kernel selftest: runs reproducers one after another (pairs: PROGRAM "ARGS").',
    'while [ "$#" -ge 2 ]; do',
    '  prog=$1; args=$2; shift 2',
    '  name=${prog##*/}',
    `  echo "${DRIVER_MARK} start $name"`,
    '  # $args unquoted on purpose: the words of one string.',
    '  "$prog" $args </dev/null 2>&1',
    '  rc=$?',
    `  echo "${DRIVER_MARK} end $name exit=$rc"`,
    'done',
    '',
  ].join('\n');
}

/** One program's part of the driver's output. */
export interface DriverRun {
  /** Its lines (stdout and stderr), markers left out. */
  lines: string[];
  /** Its exit status; undefined when the guest ended before it did. */
  exit?: number;
}

/** The driver's stdout -> each program's lines and exit status, by program file name. */
export function parseDriverOutput(stdout: string): Map<string, DriverRun> {
  const runs = new Map<string, DriverRun>();
  let cur: DriverRun | undefined;
  const start = new RegExp(`^${DRIVER_MARK} start (.+)$`);
  const end = new RegExp(`^${DRIVER_MARK} end (.+) exit=(\\d+)$`);
  for (const line of stdout.split('\n')) {
    const s = start.exec(line);
    const e = end.exec(line);
    if (s) runs.set(s[1]!, (cur = { lines: [] }));
    else if (e && cur && runs.get(e[1]!) === cur) {
      cur.exit = Number(e[2]);
      cur = undefined;
    } else if (cur && line !== '') cur.lines.push(line);
  }
  return runs;
}

/** What the host saw of one `vm --exec` boot, from its exit status and stderr. */
export interface ExecBoot {
  /** vm's exit status (the driver's, or 1 for a kernel failure, timeout, ...). */
  vmExit: number | undefined;
  /** vm said KERNEL_FAILURE: a panic/oops/BUG on the console. */
  kernelFailure: boolean;
  /** vm's `console:` lines (the kernel's failure report, quoted). */
  console: string[];
  /** vm's status when it was not DONE (TIMEOUT, KERNEL_FAILURE, ...), for messages. */
  status?: string;
}

/** vm --exec's stderr -> what it says about the boot. */
export function parseExecBoot(vmExit: number | undefined, stderr: string): ExecBoot {
  const status = /^vm: \S.*?: (TIMEOUT|KERNEL_FAILURE|GUEST_SETUP|NO_RESULT|INTERRUPTED)\b/m.exec(stderr)?.[1];
  const console = [...stderr.matchAll(/^vm:\s+console: (.*)$/gm)].map((m) => m[1]!);
  return { vmExit, kernelFailure: status === 'KERNEL_FAILURE' || console.length > 0, console, ...(status ? { status } : {}) };
}

const REPRODUCED = /^REPRODUCED: /;
const NOT_REPRODUCED = /^not reproduced\b/;

function bootEnd(boot: ExecBoot): string {
  if (boot.kernelFailure) return `the guest's kernel failed before it finished (${boot.console[0] ?? 'see the vm log'})`;
  return `the guest ended before it finished (vm exit ${boot.vmExit ?? 'none'}${boot.status ? `, ${boot.status}` : ''})`;
}

/**
 * On its own kernel: prints `REPRODUCED: ...` and exits 1. A race
 * reproducer whose guest died of a kernel failure while it ran (no exit
 * status: the oops took the guest) counts as reproduced, and the table says
 * so; a single-threaded one never does.
 */
export function judgeOwn(run: DriverRun | undefined, race: boolean, boot: ExecBoot): Judged<OwnCell> {
  if (!run) return { cell: 'NOT', problem: `did not run: ${bootEnd(boot)}` };
  const hit = run.lines.find((l) => REPRODUCED.test(l));
  if (run.exit === undefined) {
    if (race && boot.kernelFailure) return { cell: 'reproduced (oops)', line: boot.console[0] ?? hit };
    return { cell: 'NOT', problem: `no exit status: ${bootEnd(boot)}` };
  }
  if (run.exit === 1 && hit) return { cell: 'reproduced', line: hit };
  if (run.exit === 1) return { cell: 'NOT', problem: 'exit 1 without a REPRODUCED: line' };
  if (run.exit === 0) return { cell: 'NOT', problem: `exit 0 on its own kernel: ${lastLine(run)}` };
  if (run.exit === 4) return { cell: 'NOT', problem: 'exit 4: says its own kernel lacks the probe kind it was generated with' };
  return { cell: 'NOT', problem: `exit ${run.exit}: ${lastLine(run)}` };
}

/** On the clean kernel: prints `not reproduced` and exits 0; anything else fails. */
export function judgeClean(run: DriverRun | undefined, boot: ExecBoot): Judged<CleanCell> {
  if (!run) return { cell: 'NOT', problem: `did not run on clean: ${bootEnd(boot)}` };
  if (run.exit === undefined) return { cell: 'NOT', problem: `no exit status on clean: ${bootEnd(boot)}` };
  const hit = run.lines.find((l) => REPRODUCED.test(l));
  if (run.exit === 0 && !hit && run.lines.some((l) => NOT_REPRODUCED.test(l)))
    return { cell: 'clean', line: run.lines.find((l) => NOT_REPRODUCED.test(l)) };
  if (run.exit === 0) return { cell: 'NOT', problem: `exit 0 on clean without a 'not reproduced' line: ${lastLine(run)}` };
  return { cell: 'NOT', problem: `exit ${run.exit} on clean: ${hit ?? lastLine(run)}` };
}

function lastLine(run: DriverRun): string {
  return run.lines.at(-1) ?? '(no output)';
}

/** `fd-across-removal[kprobe].c` -> its scenario id and name. */
export function reproName(file: string): { name: string; scenario: string } {
  const name = path.basename(file).replace(/\.c$/, '');
  return { name, scenario: name.replace(/\[[^\]]*\]$/, '') };
}

/**
 * The self-test's problems from the rows: a kernel that was expected to give
 * reproducers and gave none, a build failure, and every NOT on either side,
 * except a race reproducer's miss when another of its kernel reproduced
 * (raceMissTolerated). A row skipped by the cap is no problem, as long as the
 * kernel has one that ran.
 */
export function reproProblems(rows: readonly ReproRow[], expected: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of expected) {
    const mine = rows.filter((r) => r.kernel === k);
    if (!mine.length) out.push(`${k}: no reproducer generated (repro/${k}/ is empty)`);
    else if (!mine.some((r) => r.own)) out.push(`${k}: no reproducer was run on its own kernel`);
  }
  for (const r of rows) {
    const who = `${r.kernel}: reproducer ${r.name}`;
    if (!r.binary) out.push(`${who}: does not build with cc -O2 -static -pthread (${r.buildLog ?? 'no log'})`);
    if (r.own?.problem && !raceMissTolerated(r, rows)) out.push(`${who} on ${r.kernel}: ${r.own.problem}`);
    if (r.clean?.problem) out.push(`${who}: ${r.clean.problem}`);
    if (r.own && r.own.cell !== '-' && !r.clean && r.binary) out.push(`${who}: not run on the clean kernel`);
  }
  return out;
}

/**
 * The race reproducers a kernel runs, at most `max`: one per scenario first,
 * in the order of the mutant's Expect (its header's claim), uprobe before
 * kprobe (creating and removing uprobes is 10-40x faster in a guest), then
 * the rest in name order. Every other one is marked skipped.
 */
export function pickRaces(races: readonly ReproRow[], expect: readonly string[], max: number): ReproRow[] {
  const rank = (r: ReproRow) => {
    const { scenario } = reproName(r.name);
    const i = expect.indexOf(scenario);
    return [i < 0 ? expect.length : i, scenario, r.name.endsWith('[uprobe]') ? 0 : 1] as const;
  };
  const sorted = [...races].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1].localeCompare(y[1]) || x[2] - y[2];
  });
  const seen = new Set<string>();
  const first = sorted.filter((r) => {
    const s = reproName(r.name).scenario;
    return seen.has(s) ? false : (seen.add(s), true);
  });
  const picked = [...first, ...sorted.filter((r) => !first.includes(r))].slice(0, max);
  for (const r of races) if (!picked.includes(r)) r.skipped = `not run: at most ${max} race reproducers per kernel (CI time)`;
  return picked;
}
