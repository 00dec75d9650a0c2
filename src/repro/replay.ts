// SPDX-License-Identifier: GPL-2.0-only
// Replays recorded steps through the addon against the live kernel, with
// fresh names, then removes everything the replay created: the minimiser's
// test (ddmin.ts). A step on an fd whose opening step is not in the
// candidate is skipped, as the emitter drops it.
import crypto from 'node:crypto';
import { native, C, isErr, listDir, readText, writeOnce, type Result } from '../native/index.js';
import { assertSingleCommand, runNames, validateName } from '../probes/names.js';
import type { ResolvedCheck } from './check.js';
import type { Arg, CallName, Names, Step } from './types.js';

export function expand(t: string, names: Names): string {
  return t.split('{target}').join(names.target).split('{root}').join(names.root).split('{id}').join(names.id);
}

/** Fresh names for one attempt: a new run id of this process, the same root and site. */
export function freshNames(base: Names): Names {
  return { ...base, id: runNames.runId(process.pid, crypto.randomBytes(3).toString('hex')) };
}

/** Checks's wording of a result (src/scenarios/checks.ts describe). */
export function describeResult(r: Result<unknown>): string {
  if (isErr(r)) return r.code;
  if (Buffer.isBuffer(r)) return `success (${r.length} bytes)`;
  if (Array.isArray(r)) return `success (${r.length} entries)`;
  if (typeof r === 'number') return `success (${r})`;
  return 'success';
}

/** A line for a control file: one command whose group/event are identifiers (names.ts). */
function checkControlLine(file: string, line: string): void {
  assertSingleCommand(line);
  if (!file.endsWith('_events')) return;
  const m = /^[prfe-]:([^/ ]+)\/([^ ]+)/.exec(line);
  if (!m) throw new Error(`refusing to replay ${JSON.stringify(line)} to ${file}: not a probe definition`);
  validateName('group', m[1]!);
  validateName('event', m[2]!);
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** What one replay created, removed as the C runtime's tr_cleanup does. */
class Created {
  readonly fds = new Set<number>();
  readonly probes: { file: string; group: string; event: string }[] = [];
  readonly instances: string[] = [];

  cleanup(root: string): void {
    for (const fd of this.fds) native.close(fd);
    const probes = [...this.probes].reverse();
    for (const inst of [...this.instances].reverse()) {
      for (const p of probes) {
        clearTriggers(`${inst}/events/${p.group}/${p.event}`);
        writeOnce(native, `${inst}/events/${p.group}/${p.event}/enable`, '0');
      }
      for (let t = 0; t < 20; t++) {
        const r = native.rmdir(inst);
        if (!isErr(r) || r.code !== 'EBUSY') break;
        sleepMs(50);
      }
    }
    for (const p of probes) {
      clearTriggers(`${root}/events/${p.group}/${p.event}`);
      writeOnce(native, `${root}/events/${p.group}/${p.event}/enable`, '0');
      for (let t = 0; t < 20; t++) {
        const r = writeOnce(native, p.file, `-:${p.group}/${p.event}`, C.O_APPEND);
        if (!isErr(r) || r.code !== 'EBUSY') break;
        sleepMs(50);
      }
    }
  }
}

/** Removes each trigger of an event ("traceon:unlimited" -> "!traceon"). */
function clearTriggers(evDir: string): void {
  const t = readText(native, `${evDir}/trigger`);
  if (isErr(t)) return;
  for (const line of t.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cmd = line.split(/[ []/)[0]!.replace(/:(unlimited|\d+)$/, '');
    if (/^[\x21-\x7e]+$/.test(cmd)) writeOnce(native, `${evDir}/trigger`, `!${cmd}`, C.O_APPEND);
  }
}

export interface ReplayResult {
  /** The last step ran (its fd was there). */
  ran: boolean;
  violated: boolean;
  /** What the check saw, as the C prints it. */
  got: string;
}

type Fn = (...a: unknown[]) => unknown;

/**
 * Runs calls in the step format through the addon, one at a time: fd
 * arguments map to the fds their opening steps got, control-file lines are
 * checked before they are written, and everything created is noted so
 * finish() removes it (and brings the cwd back). replay() and the explorer's
 * executor (src/explore/exec.ts) share it.
 */
export class StepRunner {
  private readonly made = new Created();
  private readonly fdOf = new Map<number, number>();
  private readonly pathOf = new Map<number, string>();
  // A replayed chdir moves this process: come back through an fd (Node caches its cwd path).
  private readonly home = native.open('.', C.O_PATH | C.O_DIRECTORY);

  constructor(readonly names: Names) {}

  /** Runs step `index`; not run when an fd argument's opening step is not open. */
  call(index: number, call: CallName, stepArgs: readonly Arg[]): { ran: false } | { ran: true; result: unknown } {
    const args: unknown[] = [];
    for (const a of stepArgs) {
      if ('fd' in a) {
        const fd = this.fdOf.get(a.fd);
        if (fd === undefined) return { ran: false };
        args.push(fd);
      } else if ('t' in a) args.push(expand(a.t, this.names));
      else args.push(a.n);
    }
    if (call === 'write' || call === 'pwrite') {
      const a0 = stepArgs[0];
      const file = this.pathOf.get(a0 && 'fd' in a0 ? a0.fd : -1) ?? '';
      const line = args[1] as string;
      if (file.endsWith('_events') || file.endsWith('/trigger')) checkControlLine(file, line);
      const m = /^[prfe]:([^/ ]+)\/([^ ]+)/.exec(line);
      if (file.endsWith('_events') && m) this.made.probes.push({ file, group: m[1]!, event: m[2]! });
    }
    if (call === 'mkdir' && (args[0] as string).includes('/instances/')) this.made.instances.push(args[0] as string);
    const r = (native[call] as unknown as Fn)(...args);
    if ((call === 'open' || call === 'openat') && typeof r === 'number') {
      this.fdOf.set(index, r);
      this.made.fds.add(r);
      this.pathOf.set(index, call === 'open' ? (args[0] as string) : `${args[1] as string}`);
    }
    if (call === 'close') {
      this.made.fds.delete(args[0] as number);
      for (const [i, fd] of this.fdOf) if (fd === args[0]) this.fdOf.delete(i);
    }
    return { ran: true, result: r };
  }

  /** A probe created by other means (a race's controller): removed at finish() if still there. */
  noteProbe(file: string, group: string, event: string): void {
    this.made.probes.push({ file, group, event });
  }

  /** Back to the cwd of the start, then closes and removes everything the steps created. */
  finish(): void {
    if (!isErr(this.home)) {
      native.fchdir(this.home);
      native.close(this.home);
    }
    this.made.cleanup(this.names.root);
  }
}

/** Runs steps (the last is the judged one), checks it, cleans up. */
export function replay(steps: Step[], check: ResolvedCheck | undefined, names: Names): ReplayResult {
  const runner = new StepRunner(names);
  let last: unknown;
  let ran = false;
  try {
    for (const step of steps) {
      const r = runner.call(step.index, step.call, step.args);
      ran = r.ran;
      if (r.ran) last = r.result;
    }
    if (!ran) return { ran: false, violated: false, got: 'not run' };
    return { ran: true, ...judge(check, last as Result<unknown>, names) };
  } finally {
    runner.finish();
  }
}

/** The check at the last step: violated, and what was seen. */
export function judge(
  check: ResolvedCheck | undefined,
  r: Result<unknown>,
  names: Names,
): { violated: boolean; got: string } {
  const got = describeResult(r);
  if (!check) return { violated: false, got };
  switch (check.kind) {
    case 'errno':
      return { violated: !(isErr(r) && check.codes.includes(r.code)), got };
    case 'success':
      return { violated: isErr(r), got };
    case 'error':
      return { violated: !isErr(r), got };
    case 'unlisted': {
      const l = listDir(native, expand(check.path, names));
      if (isErr(l)) return { violated: false, got: l.code };
      return { violated: l.includes(expand(check.name, names)), got: `lists ${check.name}` };
    }
    case 'listed': {
      const l = listDir(native, expand(check.path, names));
      if (isErr(l)) return { violated: true, got: l.code };
      const missing = check.names.filter((n) => !l.includes(expand(n, names)));
      return { violated: missing.length > 0, got: `missing ${missing.join(' ')}` };
    }
    case 'content': {
      const t = readText(native, expand(check.path, names));
      if (isErr(t)) return { violated: true, got: t.code };
      return { violated: t.trim() !== check.value, got: t.trim() };
    }
    case 'gid': {
      const st = native.stat(expand(check.path, names));
      if (isErr(st)) return { violated: true, got: st.code };
      return { violated: st.gid !== check.gid, got: `gid ${st.gid}` };
    }
  }
}
