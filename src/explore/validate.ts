// SPDX-License-Identifier: GPL-2.0-only
// A program is well-formed when every call has its signature's argument
// kinds (src/native/types.ts SYS_CALLS), every fd argument names an earlier
// open/openat not closed since, paths stay in the world ({root} templates or
// relative), control lines are one command each, and every race config passes
// the engine's validator with the explorer's bounds. The generator and the
// mutator only hand out programs this accepts.
import { assertSingleCommand } from '../probes/names.js';
import { raceConfigProblems } from '../race/validate.js';
import { expand } from '../repro/replay.js';
import type { RaceConfig } from '../race/types.js';
import { CALLS } from '../repro/types.js';
import { unknownFlags } from './actions.js';
import { parseControl } from './model.js';
import { unsafeOnHost } from './race.js';
import type { Program } from './types.js';
import { controlTakes, definitionKind, type World } from './world.js';

export const MAX_ACTIONS = 80;
/** A race action's bounds: 2-4 threads, at most 10 s, at most 10,000 cycles. */
export const RACE_BOUNDS = { minThreads: 2, maxThreads: 4, maxDurationMs: 10_000, maxCycles: 10_000 };

const PLACEHOLDER = { root: '/sys/kernel/tracing', id: 'tfsr_1_abcdef', target: '/bin/true:0x1' };

export function programProblems(p: Program, w: Pick<World, 'unsafeRaces' | 'flags'>): string[] {
  const out: string[] = [];
  if (p.actions.length > MAX_ACTIONS) out.push(`${p.actions.length} actions (at most ${MAX_ACTIONS})`);
  const open = new Set<number>();
  /** Control fds: the file's name under {root}. */
  const control = new Map<number, string>();
  p.actions.forEach((a, i) => {
    const at = `action ${i}`;
    if (a.kind === 'race') {
      out.push(...raceProblems(a.config, w).map((x) => `${at}: ${x}`));
      return;
    }
    const a0 = a.args[0];
    const sig: string | undefined = (CALLS as Record<string, string>)[a.call];
    if (sig === undefined) return void out.push(`${at}: unknown call ${String(a.call)}`);
    if (a.args.length > sig.length || a.args.length < Math.min(sig.length, sig.replace(/n+$/, '').length))
      out.push(`${at}: ${a.call} takes ${sig.length} arguments (${sig}), got ${a.args.length}`);
    a.args.forEach((arg, k) => {
      const kind = sig[k];
      if (kind === 'f') {
        if (!('fd' in arg)) out.push(`${at}: argument ${k} of ${a.call} must be an fd`);
        else if (!open.has(arg.fd)) out.push(`${at}: fd of action ${arg.fd} is not open here`);
      } else if (kind === 'n') {
        if (!('n' in arg) || !Number.isInteger(arg.n)) out.push(`${at}: argument ${k} of ${a.call} must be an integer`);
      } else if (!('t' in arg)) out.push(`${at}: argument ${k} of ${a.call} must be a string`);
      else if (kind === 'p' && arg.t.startsWith('/')) out.push(`${at}: ${arg.t} is outside {root}`);
      else if (kind === 's') {
        try {
          assertSingleCommand(arg.t);
        } catch (e) {
          out.push(`${at}: ${(e as Error).message}`);
        }
      }
    });
    const flags = unknownFlags(a, w.flags);
    if (flags) out.push(`${at}: ${flags}`);
    const a1 = a.args[1];
    const file = (a.call === 'write' || a.call === 'pwrite') && a0 && 'fd' in a0 ? control.get(a0.fd) : undefined;
    if (file !== undefined && a1 && 't' in a1) {
      const c = parseControl(a1.t);
      if (!c) out.push(`${at}: ${JSON.stringify(a1.t)} to a control file is not a definition or removal of the world`);
      // The model does not predict how a file parses another kind's line: the world never writes one.
      else if (c.op === 'create' && !controlTakes(file, definitionKind(a1.t)))
        out.push(`${at}: ${definitionKind(a1.t)} definition to ${file}, which does not take that kind`);
    }
    // native/root.cc: a write-mode open of a path it cannot place beneath the root is refused (EXDEV, the tool's).
    if (a.call === 'open' && a0 && 't' in a0 && !a0.t.startsWith('{root}') && a1 && 'n' in a1)
      if (a1.n & (w.flags.O_WRONLY | w.flags.O_RDWR)) out.push(`${at}: a write-mode open of a relative path (${a0.t})`);
    if (a.call === 'open' || a.call === 'openat') open.add(i);
    if (a.call === 'open' && a0 && 't' in a0 && /_events$/.test(a0.t)) control.set(i, a0.t.replace(/^.*\//, ''));
    if (a.call === 'close' && a0 && 'fd' in a0) open.delete(a0.fd);
  });
  return out;
}

function raceProblems(c: RaceConfig, w: Pick<World, 'unsafeRaces'>): string[] {
  const out = raceConfigProblems(expandConfig(c));
  const threads = c.threads ?? 0;
  if (threads < RACE_BOUNDS.minThreads || threads > RACE_BOUNDS.maxThreads)
    out.push(`threads ${threads} (${RACE_BOUNDS.minThreads}-${RACE_BOUNDS.maxThreads})`);
  if ((c.durationMs ?? 3000) === 0 || (c.durationMs ?? 3000) > RACE_BOUNDS.maxDurationMs)
    out.push(`durationMs ${c.durationMs} (1-${RACE_BOUNDS.maxDurationMs})`);
  if (!c.maxCycles || c.maxCycles > RACE_BOUNDS.maxCycles)
    out.push(`maxCycles ${c.maxCycles} (1-${RACE_BOUNDS.maxCycles})`);
  if (c.busyCheckEvery && (c.weights?.enableWrite || c.weights?.heldWrite))
    out.push('busyCheckEvery with enable writers: a writer of 0 lets the removal through');
  const unsafe = unsafeOnHost(c);
  if (!w.unsafeRaces && unsafe) out.push(`a host-safe program's race may not race getdents or drop_caches: ${unsafe}`);
  return out;
}

/** A race config with its templates expanded (JSON round trip: configs are plain data). */
export function expandConfig<T>(c: T, names = PLACEHOLDER): T {
  return JSON.parse(JSON.stringify(c), (_k, v: unknown) => (typeof v === 'string' ? expand(v, names) : v)) as T;
}
