// SPDX-License-Identifier: GPL-2.0-only
// Runs a program against the live tracefs: each call through the
// reproducer's StepRunner (the same fd mapping, control-line checks and
// cleanup replay.ts uses), each outcome judged by the model; each race
// through the race engine, judged by its own rules. Everything the program
// created is removed at the end, also when an action throws.
import { runRace as engineRun } from '../race/engine.js';
import type { RaceConfig, RaceStats } from '../race/types.js';
import { outcomeOf, symbolise } from '../repro/record.js';
import { expand, StepRunner } from '../repro/replay.js';
import { CALLS, type Names, type Step } from '../repro/types.js';
import { throwIfToolErrno } from '../tool-fault.js';
import { unknownFlags } from './actions.js';
import { Model, parseControl } from './model.js';
import { fitRace, racedKey, unsafeOnHost } from './race.js';
import type { ActionResult, CallAction, Execution, ModelViolation, Program } from './types.js';
import { expandConfig } from './validate.js';
import { CONTROL_FILE } from '../probes/definitions.js';
import { slotKind, type World } from './world.js';

export interface ExecOptions {
  world: World;
  names: Names;
  signal?: AbortSignal;
  /** The race engine (injected in tests). */
  runRace?: (c: RaceConfig, signal?: AbortSignal) => Promise<RaceStats>;
}

/** A path argument the model cannot place: relative while the cwd is outside tracefs (it would touch the tool's own cwd). */
function strayPath(a: CallAction, m: Model): boolean {
  const sig: string = CALLS[a.call];
  return a.args.some((x, k) => sig[k] === 'p' && 't' in x && !x.t.startsWith('{root}') && m.cwd === null);
}

export async function execute(p: Program, opts: ExecOptions): Promise<Execution> {
  const { world, names, signal } = opts;
  const run = opts.runRace ?? ((c, s) => engineRun(c, s ? { signal: s } : {}));
  const model = new Model(world);
  const runner = new StepRunner(names);
  const results: ActionResult[] = [];
  const violations: ModelViolation[] = [];
  let broken: string | undefined;
  try {
    for (const [i, a] of p.actions.entries()) {
      if (signal?.aborted) broken ??= 'interrupted';
      if (broken) {
        results.push({ kind: 'skipped', why: broken });
        continue;
      }
      if (a.kind === 'call') {
        if (strayPath(a, model)) {
          results.push({ kind: 'skipped', why: 'a relative path with the cwd outside tracefs' });
          continue;
        }
        const line = controlLineRefused(a, model) ?? unknownFlags(a, world.flags);
        if (line) {
          results.push({ kind: 'skipped', why: line });
          continue;
        }
        const r = runner.call(i, a.call, a.args);
        if (!r.ran) {
          results.push({ kind: 'skipped', why: 'its fd was not opened' });
          continue;
        }
        // Out of fds or memory: the tool's failure, never the kernel's (the loop reports it).
        throwIfToolErrno(`${a.call} (action ${i})`, r.result);
        const outcome = outcomeOf(r.result);
        results.push({ kind: 'call', outcome });
        violations.push(...model.step(i, a, outcome));
        continue;
      }
      const why = raceRefusal(a.config, world, model);
      if (why) {
        results.push({ kind: 'skipped', why });
        continue;
      }
      const key = racedKey(a.config)!;
      const [group, event] = key.split('/') as [string, string];
      const m = /_g(\d+)$/.exec(group)!;
      const kind = slotKind(world, { g: Number(m[1]), e: Number(event.slice(1)) });
      // Marked before the run: a race stopped half-way may leave the event behind.
      runner.noteProbe(`${names.root}/${CONTROL_FILE[kind]}`, expand(group, names), event);
      const groupStays = [...model.events.entries()].some(
        ([k, e]) => e.exists && k !== key && k.startsWith(`${group}/`),
      );
      const liveInstances = new Set([...model.instances].filter(([, x]) => x.exists).map(([n]) => n));
      const stats = await run(expandConfig(fitRace(a.config, { groupStays, liveInstances }), names), signal);
      const vs = stats.violations.map((v): ModelViolation => ({
        action: i,
        op: `${v.op} (race, ${v.rule}, thread ${v.thread})`,
        path: symbolise(v.path, names),
        expected: v.expected,
        got: v.got,
      }));
      violations.push(...vs);
      results.push({
        kind: 'race',
        violations: vs.map((v) => `${v.op} ${v.path}: expected ${v.expected}, got ${v.got}`),
        cycles: stats.cycles,
        opsPerSec: stats.opsPerSec,
      });
      // A race that stopped on an error leaves its event in a state the model does not know.
      if (stats.error || stats.resourceError)
        broken = `race of action ${i} stopped: ${stats.error ?? stats.resourceError?.code}`;
      else model.raced(key, kind);
    }
  } finally {
    runner.finish();
  }
  return { names, results, violations };
}

/** A write to a control file that is not a definition of the world: never written (src/repro/replay.ts would refuse it too). */
function controlLineRefused(a: CallAction, m: Model): string | undefined {
  if (a.call !== 'write' && a.call !== 'pwrite') return undefined;
  const [f, d] = a.args;
  const fd = f && 'fd' in f ? m.fds.get(f.fd) : undefined;
  const data = d && 't' in d ? d.t : '';
  return fd && 'control' in fd && !parseControl(data)
    ? `not a definition of the world: ${JSON.stringify(data)}`
    : undefined;
}

/** Why a race action does not run here. */
function raceRefusal(c: RaceConfig, w: World, m: Model): string | undefined {
  const unsafe = unsafeOnHost(c);
  if (!w.unsafeRaces && unsafe) return `not racing on this kernel: ${unsafe}`;
  const key = racedKey(c);
  if (!key) return 'its create step is not an event of the world';
  if (m.events.get(key)?.exists) return `${key} exists (a race creates it itself)`;
  return undefined;
}

/**
 * The program's calls up to and including action `upTo`, as a recording's
 * steps (index = action position): what ddmin shrinks and emit turns into C.
 */
export function programSteps(p: Program, e: Execution, upTo = p.actions.length - 1): Step[] {
  const steps: Step[] = [];
  p.actions.slice(0, upTo + 1).forEach((a, i) => {
    const r = e.results[i];
    if (a.kind === 'call' && r?.kind === 'call')
      steps.push({ index: i, call: a.call, args: a.args, outcome: r.outcome });
  });
  return steps;
}
