// SPDX-License-Identifier: GPL-2.0-only
// Records the system calls of one scenario variant (run --repro-dir): it
// wraps the Sys the scenario is given (ctx.sys) and keeps each call under the
// tracefs root, or on an fd such a call opened, with its arguments as
// templates and its outcome. Calls elsewhere (/proc, /dev, the cwd outside
// tracefs) are left out: a reproducer replays only tracefs.
import { isErr, type Sys } from '../native/index.js';
import {
  CALLS,
  type Arg,
  type CallName,
  type Check,
  type Names,
  type Outcome,
  type Recording,
  type Step,
} from './types.js';
import type { Evidence } from '../model.js';

/** How far back a judged result is looked for among the last calls (writeOnce is open, write, close). */
const JUDGE_LOOKBACK = 16;

/** Replaces the run's own names by {target}, {root} and {id} (the target first: it may contain neither). */
export function symbolise(s: string, names: Names): string {
  let out = s;
  if (names.target) out = out.split(names.target).join('{target}');
  out = out.split(names.root).join('{root}');
  return out.split(names.id).join('{id}');
}

function under(root: string, p: string): boolean {
  return p === root || p.startsWith(`${root}/`);
}

/** A call's result as a recording keeps it. */
export function outcomeOf(r: unknown): Outcome {
  if (isErr(r)) return { err: r.code };
  if (typeof r === 'number') return { ok: 'number', value: r };
  if (Buffer.isBuffer(r)) return { ok: 'bytes', length: r.length, text: r.subarray(0, 4096).toString('latin1') };
  if (Array.isArray(r)) return { ok: 'entries', names: r.map((d: { name: string }) => d.name) };
  if (r && typeof r === 'object' && 'mode' in r) {
    const st = r as { mode: number; uid: number; gid: number };
    return { ok: 'stat', mode: st.mode, uid: st.uid, gid: st.gid };
  }
  return { ok: 'string' };
}

export class Recorder {
  readonly steps: Step[] = [];
  readonly judged: Recording['judged'] = [];
  /** The raw results of the last steps, to find which one Checks judged. */
  private readonly raw: unknown[] = [];
  /** Open fds: raw fd -> the step that opened it. */
  private readonly fds = new Map<number, number>();
  /** The cwd is inside tracefs (a recorded chdir/fchdir): relative paths are the scenario's too, kept as they are. */
  private cwdInside = false;
  /** After stop(): a scenario abandoned by the runner may still call; nothing more is kept. */
  private stopped = false;

  constructor(readonly names: Names) {}

  /**
   * `sys` with each call recorded after it returned. The wrapper allocates
   * per call (the arguments); only a run with --repro-dir pays for it.
   */
  wrap(sys: Sys): Sys {
    const wrapped = {} as Record<CallName, (...args: unknown[]) => unknown>;
    for (const name of Object.keys(CALLS) as CallName[]) {
      const fn = sys[name] as (...args: unknown[]) => unknown;
      wrapped[name] = (...args: unknown[]) => {
        const r = fn.apply(sys, args);
        if (!this.stopped) this.onCall(name, args, r);
        return r;
      };
    }
    return wrapped as unknown as Sys;
  }

  /** Checks's hook (ChecksOptions.onJudged) for the scenario this recording watches. */
  readonly onJudged = (ev: Evidence, check: Check, result: unknown): void => {
    if (!this.stopped) this.noteJudged(ev, check, result);
  };

  stop(): Recording {
    this.stopped = true;
    this.raw.length = 0;
    return { names: this.names, steps: this.steps, judged: this.judged };
  }

  private onCall(name: CallName, args: readonly unknown[], result: unknown): void {
    const sig = CALLS[name];
    const out: Arg[] = [];
    for (let i = 0; i < sig.length && i < args.length; i++) {
      const a = args[i];
      const kind = sig[i];
      if (kind === 'f') {
        const from = this.fds.get(a as number);
        if (from === undefined) return this.untracked(name); // not an fd of the scenario's
        out.push({ fd: from });
      } else if (kind === 'p') {
        if (typeof a !== 'string') return;
        const relative = !a.startsWith('/');
        if (relative ? !this.cwdInside : !under(this.names.root, a)) return this.untracked(name);
        out.push({ t: symbolise(a, this.names) });
      } else if (kind === 'r' || kind === 's') {
        const s = Buffer.isBuffer(a) ? a.toString('latin1') : String(a);
        out.push({ t: symbolise(s, this.names) });
      } else if (a !== undefined) {
        out.push({ n: Number(a) });
      }
    }
    const index = this.steps.length;
    this.steps.push({ index, call: name, args: out, outcome: outcomeOf(result) });
    this.raw.push(result);
    if (this.raw.length > JUDGE_LOOKBACK) this.raw[this.raw.length - JUDGE_LOOKBACK - 1] = undefined;
    if ((name === 'open' || name === 'openat') && typeof result === 'number') this.fds.set(result, index);
    if (name === 'close') this.fds.delete(args[0] as number);
    if ((name === 'chdir' || name === 'fchdir') && !isErr(result)) this.cwdInside = true;
  }

  /** A call left out; a chdir elsewhere also leaves tracefs. */
  private untracked(name: CallName): void {
    if (name === 'chdir' || name === 'fchdir') this.cwdInside = false;
  }

  /** Checks's report of a failed expectation: tied to the step whose result it judged (exp.that: the last step). */
  private noteJudged(ev: Evidence, check: Check, result: unknown): void {
    // A result not among the last calls came from a call left out (outside tracefs): no step to replay.
    let step = result === undefined ? this.steps.length - 1 : -1;
    if (result !== undefined) {
      for (let i = this.steps.length - 1; i >= 0 && i >= this.steps.length - JUDGE_LOOKBACK; i--) {
        if (this.raw[i] === result) {
          step = i;
          break;
        }
      }
    }
    const s = (x: string) => symbolise(x, this.names);
    this.judged.push({ step, check, op: s(ev.op), path: s(ev.path), expected: s(ev.expected), got: s(ev.got) });
  }
}
