// SPDX-License-Identifier: GPL-2.0-only
// `tracefs-regress vm` as a child process, for every caller that boots a
// guest from the outside (the self-test, kernel bisect, the benchmark scripts,
// the VM tests): the command line is vm's stable interface, the child's own
// signal handling kills its QEMU, and its whole output stays apart from the
// caller's.
//
// One policy for all of them:
// - output: stdout, stderr and both interleaved (`all`) are kept; `vmLog`
//   writes `all` to a file; the guest's console goes to --keep-log.
// - exit: exitCode is vm's own status (errors.ts EXIT: 0, 1, 2, 4, 129, 130,
//   143); `end` says when there is none (killed, timed out, aborted, never
//   started). Nothing throws: the caller judges.
// - report (run mode): removed before the boot, so a stale one is never read;
//   missing or not JSON gives no report and a `problem` saying which.
// - abort: the caller's AbortSignal ends the child with SIGTERM (vm then ends
//   its QEMU and exits 143), SIGKILL if it has not ended 5 s later.
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';
import type { RunReport } from '../report/types.js';

/** Run mode: `-- <run args> --format json --output <report>`; exec mode: `--exec <program> -- <args>`. */
export type VmChildMode =
  { kind: 'run'; args: readonly string[]; report: string } | { kind: 'exec'; program: string; args: readonly string[] };

export interface VmChildSpec {
  /** The package root: bin/tracefs-regress.js, and the child's cwd. */
  root: string;
  /** --kernel (left out when vmArgs carry it). */
  kernel?: string;
  append?: string;
  timeout?: string;
  /** --keep-log: where the guest's console is kept. */
  consoleLog?: string;
  /** More vm options, after the ones above. */
  vmArgs?: readonly string[];
  mode: VmChildMode;
}

export interface VmChildOptions {
  /** Aborting ends the child (SIGTERM); `end` is then 'aborted'. */
  signal?: AbortSignal;
  /** Ends the child after this many ms; `end` is then 'timed-out'. */
  timeoutMs?: number;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Where to write the child's interleaved output when it has ended. */
  vmLog?: string;
  /** Each whole line of the child's stdout or stderr as it arrives (a long boot's progress); the result still holds all of it. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Tests inject a fake; the default spawns with execa. */
  spawn?: VmSpawner;
}

/** How the child ended: exited (exitCode is vm's status), or why it has none. */
export type VmEnd = 'exited' | 'signalled' | 'timed-out' | 'aborted' | 'not-started';

export interface VmChildResult<R = RunReport> {
  /** The vm command line (bin/tracefs-regress.js vm ...), run with this node. */
  argv: string[];
  end: VmEnd;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  all: string;
  wallMs: number;
  /** Run mode: the parsed JSON report, when vm wrote one. */
  report?: R;
  /** Why there is no report (run mode), or why the child did not start. */
  problem?: string;
}

/** What a spawner hands back: the fields of execa's result the policy reads. */
export interface SpawnEnd {
  exitCode?: number;
  signal?: string;
  timedOut: boolean;
  isCanceled: boolean;
  /** The child could not be started (ENOENT, EACCES, ...). */
  spawnError?: string;
  stdout: string;
  stderr: string;
  all: string;
}

export interface SpawnOptions {
  cwd: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  env?: Record<string, string>;
  onLine?: VmChildOptions['onLine'];
}

export type VmSpawner = (file: string, args: readonly string[], o: SpawnOptions) => Promise<SpawnEnd>;

/** The vm command line of a spec (after node). */
export function vmArgv(s: VmChildSpec): string[] {
  const m = s.mode;
  return [
    path.join(s.root, 'bin/tracefs-regress.js'),
    'vm',
    ...(s.kernel ? ['--kernel', s.kernel] : []),
    ...(s.append ? ['--append', s.append] : []),
    ...(s.timeout ? ['--timeout', s.timeout] : []),
    ...(s.consoleLog ? ['--keep-log', s.consoleLog] : []),
    ...(s.vmArgs ?? []),
    ...(m.kind === 'exec'
      ? ['--exec', m.program, '--', ...m.args]
      : ['--', ...m.args, '--format', 'json', '--output', m.report]),
  ];
}

/** The policy's reading of a spawn's end. */
export function classifyEnd(e: SpawnEnd): VmEnd {
  if (e.spawnError !== undefined) return 'not-started';
  if (e.isCanceled) return 'aborted';
  if (e.timedOut) return 'timed-out';
  if (e.exitCode === undefined) return 'signalled';
  return 'exited';
}

/** A report file's text (undefined: none written) as the policy reads it. */
export function parseReport<R>(text: string | undefined, file: string): { report: R } | { problem: string } {
  if (text === undefined) return { problem: `vm wrote no report to ${file}` };
  try {
    return { report: JSON.parse(text) as R };
  } catch (e) {
    return { problem: `vm's report ${file} is not JSON: ${(e as Error).message}` };
  }
}

/** Boots one guest in a `tracefs-regress vm` child; never throws for what the child did. */
export async function vmChild<R = RunReport>(spec: VmChildSpec, o: VmChildOptions = {}): Promise<VmChildResult<R>> {
  const argv = vmArgv(spec);
  const report = spec.mode.kind === 'run' ? spec.mode.report : undefined;
  if (report) fs.rmSync(report, { force: true });
  const t0 = Date.now();
  const spawn = o.spawn ?? execaSpawner;
  const e = await spawn(process.execPath, argv, {
    cwd: spec.root,
    signal: o.signal,
    timeoutMs: o.timeoutMs,
    env: o.env,
    onLine: o.onLine,
  });
  const wallMs = Date.now() - t0;
  if (o.vmLog) fs.writeFileSync(o.vmLog, e.all);
  const r: VmChildResult<R> = {
    argv,
    end: classifyEnd(e),
    exitCode: e.exitCode,
    stdout: e.stdout,
    stderr: e.stderr,
    all: e.all,
    wallMs,
  };
  if (e.spawnError !== undefined) return { ...r, problem: `vm did not start: ${e.spawnError}` };
  if (!report) return r;
  const parsed = parseReport<R>(readIfThere(report), report);
  return { ...r, ...parsed };
}

function readIfThere(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Calls `each` with every whole line of a stream; the last, unterminated one when the stream ends. */
export function lineSplitter(each: (line: string) => void): { push: (chunk: string) => void; end: () => void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const l of parts) each(l);
    },
    end() {
      if (rest) each(rest);
      rest = '';
    },
  };
}

const execaSpawner: VmSpawner = async (file, args, o) => {
  const child = execa(file, args, {
    cwd: o.cwd,
    reject: false,
    all: true,
    stdin: 'ignore',
    ...(o.signal ? { cancelSignal: o.signal } : {}),
    ...(o.timeoutMs !== undefined ? { timeout: o.timeoutMs } : {}),
    ...(o.env ? { env: o.env } : {}),
  });
  const onLine = o.onLine;
  if (onLine) {
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = lineSplitter((l) => onLine(l, stream));
      // A decoder of our own: execa keeps reading the same Buffers for the result.
      const text = new StringDecoder('utf8');
      child[stream]?.on('data', (c: Buffer) => lines.push(text.write(c)));
      child[stream]?.on('end', () => {
        lines.push(text.end());
        lines.end();
      });
    }
  }
  const r = await child;
  const started = !(r.failed && r.exitCode === undefined && !r.signal && !r.timedOut && !r.isCanceled);
  return {
    ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
    ...(r.signal ? { signal: r.signal } : {}),
    timedOut: r.timedOut,
    isCanceled: r.isCanceled,
    ...(started ? {} : { spawnError: r.originalMessage ?? r.shortMessage ?? r.message }),
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    all: String(r.all ?? ''),
  };
};
