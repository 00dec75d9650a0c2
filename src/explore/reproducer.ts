// SPDX-License-Identifier: GPL-2.0-only
// A finding's C reproducer, through the generators the suite's FAILs use: the
// program's calls as straight-line C (repro/emit.ts: the broken call checked
// last, or the health counters when the kernel itself complained), or, when a
// race action broke, the race program (repro/race.ts) built from the race's
// shape: which kind of event comes and goes, whether a sibling keeps its
// group, and the engine's knobs. The C race builds its own paths, so the
// shape is what carries over; the fresh-guest run says whether it reproduces.
import type { ProbeKind } from '../model.js';
import { C } from '../native/index.js';
import { emit } from '../repro/emit.js';
import { renderRace } from '../repro/race.js';
import { runtimeSource } from '../repro/index.js';
import type { Judged } from '../repro/types.js';
import { programSteps } from './exec.js';
import type { ResolvedCheck } from '../repro/check.js';
import type { RacePlan } from '../scenarios/types.js';
import type { Execution, ModelViolation, Program, RaceAction } from './types.js';

export interface Reproducer {
  file: string;
  text: string;
  mode: 'sequence' | 'health' | 'race';
}

type Kernel = { release: string; version: string };

const TITLE = 'a tracefs lifecycle program found by tracefs-regress explore';
const DESCRIPTION =
  'A random program over the dynamic-event lifecycle (create, warm, hold, remove, touch again, recreate) that a correct kernel ' +
  'answers differently: the reference model of `tracefs-regress explore` (src/explore/model.ts) or the kernel health counters flagged it.';
const REFERENCES = ['docs/explore.md', 'kernel-facts: "What a correct kernel does"'];

/** The check of the broken call: the codes the model allowed, when they are all errnos or all success. */
export function checkOf(v: ModelViolation): ResolvedCheck | undefined {
  const codes = v.allowed ?? [];
  if (!codes.length) return undefined;
  if (codes.every((c) => c === 'OK')) return { kind: 'success' };
  if (codes.every((c) => c === 'OK' || /^E[A-Z0-9]+$/.test(c))) return { kind: 'errno', codes: [...codes] };
  return undefined;
}

/** The probe kind a race's create line makes (its control file and definition). */
export function raceKind(a: RaceAction): ProbeKind | undefined {
  const w = a.config.create.find((x) => x.kind === 'write');
  if (!w || w.kind !== 'write') return undefined;
  const line = w.line ?? '';
  if (w.path.endsWith('uprobe_events')) return 'uprobe';
  if (w.path.endsWith('kprobe_events')) return 'kprobe';
  if (line.startsWith('f:')) return 'fprobe';
  if (line.startsWith('e:')) return 'eprobe';
  if (line.startsWith('p:') && line.includes('/', line.indexOf(' ') + 1)) return 'uprobe';
  return line.startsWith('p:') ? 'kprobe' : undefined;
}

/** The race's shape as the C race program takes it: the event comes and goes, a sibling when the group dir is not raced. */
export function racePlanOf(a: RaceAction): RacePlan {
  const c = a.config;
  const groupRaced = (c.dirs ?? []).length > 1 || c.list !== undefined;
  const knobs = Object.fromEntries(
    (
      [
        'weights',
        'dwellPresentUs',
        'dwellAbsentUs',
        'dropCachesEvery',
        'dropCachesIntervalMs',
        'busyCheckEvery',
        'heldDirfds',
        'maxCycles',
        'racers',
        'stepAsideUs',
      ] as const
    ).flatMap((k) => (c[k] !== undefined ? [[k, c[k]]] : [])),
  );
  return { ...knobs, target: 'event', sibling: !groupRaced } as RacePlan;
}

/**
 * The reproducer of program p as it ran (e): a race reproducer when a race
 * action broke, else the calls up to the first broken one (checked), or all
 * of them with the health counters as the check. Undefined when nothing in
 * the program is something the C can replay.
 */
export function reproducerFor(p: Program, e: Execution, kernel: Kernel, now = new Date()): Reproducer | undefined {
  const first = e.violations[0];
  const broken = first && first.action >= 0 ? p.actions[first.action] : undefined;
  const race =
    broken?.kind === 'race'
      ? broken
      : !programSteps(p, e).length
        ? p.actions.find((a) => a.kind === 'race')
        : undefined;
  if (race?.kind === 'race') {
    const kind = raceKind(race);
    if (!kind) return undefined;
    const file = `explore-race[${kind}].c`;
    const { text } = renderRace({
      file,
      scenario: {
        id: 'explore-race',
        title: TITLE,
        description: DESCRIPTION,
        references: REFERENCES,
        racePlan: racePlanOf(race),
      },
      kind,
      params: { threads: race.config.threads ?? 2, durationMs: race.config.durationMs ?? 3000 },
      kernel,
      now,
    });
    return { file, text, mode: 'race' };
  }
  const all = programSteps(p, e);
  if (!all.length) return undefined;
  const check = first && broken?.kind === 'call' ? checkOf(first) : undefined;
  const mode = check ? 'sequence' : 'health';
  const steps = check ? all.filter((s) => s.index <= first!.action) : all;
  const judged: Judged | undefined =
    check && first
      ? {
          step: first.action,
          check: check.kind === 'errno' ? check : { kind: 'success' },
          op: first.op,
          path: first.path,
          expected: first.expected,
          got: first.got,
        }
      : undefined;
  const file = 'explore.c';
  const text = emit({
    runtime: runtimeSource(),
    mode,
    kind: 'uprobe',
    steps,
    ...(judged && check ? { judged, check } : {}),
    header: {
      name: 'explore',
      title: TITLE,
      description: DESCRIPTION,
      references: REFERENCES,
      kernel,
      date: now.toISOString().slice(0, 10),
      file,
      steps: { kept: steps.length, total: p.actions.length },
      notes: [
        `found by tracefs-regress explore; broken: ${first ? `${first.op} ${first.path}: expected ${first.expected}, got ${first.got}` : 'the kernel failed'}`,
      ],
    },
    flags: C as unknown as Record<string, number>,
  });
  return { file, text, mode };
}

/**
 * The program a guest died in: no outcomes came back. Its last race action
 * when it has one (a race is what kills a kernel outright), else every call,
 * checked by the health counters.
 */
export function crashReproducer(p: Program, kernel: Kernel, now = new Date()): Reproducer | undefined {
  let race = -1;
  p.actions.forEach((a, i) => a.kind === 'race' && (race = i));
  const died: ModelViolation = {
    action: race,
    op: 'kernel',
    path: '',
    expected: 'the kernel survives',
    got: 'the guest died',
  };
  return findingReproducer(p, [died], kernel, now);
}

/**
 * A finding the guest sent before it could shrink it (--keep-going, and the
 * kernel died later): its program and violations came back, not its
 * outcomes, which the C does not need (it checks the broken call's codes).
 */
export function findingReproducer(
  p: Program,
  violations: ModelViolation[],
  kernel: Kernel,
  now = new Date(),
): Reproducer | undefined {
  const e: Execution = {
    names: { root: '{root}', id: '{id}', target: '{target}' },
    results: p.actions.map((a) =>
      a.kind === 'call' ? { kind: 'call', outcome: { ok: 'string' } } : { kind: 'skipped', why: 'not sent back' },
    ),
    violations,
  };
  return reproducerFor(p, e, kernel, now);
}
