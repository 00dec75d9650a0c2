// SPDX-License-Identifier: GPL-2.0-only
// The C reproducer of a race scenario: one self-contained C11 file (libc and
// pthreads only) made of a header comment, the shared runtime
// (src/repro/c/runtime.c), the race core the addon compiles too
// (src/repro/c/race-core.h), this scenario's parameters and rule table as C
// constants, and the race program (src/repro/c/race.c). Its verdict follows
// the native engine's per-op rule (src/repro/race-rules.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { ProbeKind } from '../model.js';
import { packageRoot } from '../package.js';
import { RACE_OPS, RACE_PARAMS, type RaceWeights } from '../native/race-params.js';
import type { ProbeTarget } from '../probes/definitions.js';
import { targetFor } from '../probes/targets.js';
import type { ScenarioResult } from '../report/types.js';
import type { RacePlan, Scenario } from '../scenarios/types.js';
import { RACE_RULES, type RaceRule } from './race-rules.js';
import { reproFileName } from './dir.js';
import { writeFileInDir } from '../util/output.js';

/** What the engine ran with: the scenario's plan plus the run's threads and duration. */
export type RaceParams = RacePlan & { threads: number; durationMs: number };

export interface EmitRaceInput {
  scenario: Pick<Scenario, 'id' | 'title' | 'description' | 'references' | 'racePlan'>;
  kind: ProbeKind;
  /** Defaults: the scenario's racePlan, threads and duration from the result's statistics. */
  params?: Partial<RaceParams>;
  result?: Pick<ScenarioResult, 'stats' | 'evidence' | 'status'>;
  kernel: { release: string; version: string };
  /** The shared runtime's text (default: src/repro/c/runtime.c of this package). */
  runtimeC?: string;
  /** The probe's target (kprobe symbol; the uprobe's binary is /bin/true, resolved at run time). */
  target?: ProbeTarget;
  /** The rule table (tests plant a wrong one). */
  rules?: readonly RaceRule[];
  /** Generation time (tests fix it). */
  now?: Date;
  /** The file's name, for its build line (default `<id>[<kind>].c`). */
  file?: string;
}

export const C_DIR = path.join(packageRoot, 'src', 'repro', 'c');

export function readCSource(name: 'runtime.c' | 'race-core.h' | 'race.c'): string {
  return fs.readFileSync(path.join(C_DIR, name), 'utf8');
}

/** The race's parameters: given ones first, then the scenario's plan, then what the failed run reports. */
export function raceParams(input: EmitRaceInput): RaceParams {
  const plan = input.scenario.racePlan;
  if (!plan && !input.params?.target)
    throw new Error(`scenario ${input.scenario.id} has no racePlan: it is not a race scenario`);
  const stats = input.result?.stats;
  // 0 means "automatic" (online CPUs; until stopped) in the run's options: the engine's own count then.
  const pos = (n: number | undefined) => (n && n > 0 ? n : undefined);
  const threads = Math.min(64, pos(input.params?.threads) ?? pos(stats?.threads) ?? 2);
  // The run's --duration: the engine's elapsed time is that, rounded up by the last cycle.
  const durationMs = pos(input.params?.durationMs) ?? (stats ? Math.max(1000, Math.floor(stats.elapsedMs)) : 3000);
  return { ...plan!, ...input.params, threads, durationMs } as RaceParams;
}

/** Ops in the engine's order, as C enum names (OP_OPEN_READ ...). */
const opEnum = (name: string) => `OP_${name.toUpperCase().replace(/-/g, '_')}`;
const ruleEnum = (id: string) => `R_${id.toUpperCase().replace(/-/g, '_')}`;
const testEnum = (t: RaceRule['test']) => `T_${t.toUpperCase().replace(/-/g, '_')}`;

/** A C string literal of printable ASCII (anything else escaped). */
export function cString(s: string): string {
  return `"${[...s]
    .map((ch) => {
      if (ch === '"' || ch === '\\') return `\\${ch}`;
      const c = ch.charCodeAt(0);
      return c >= 0x20 && c < 0x7f ? ch : `\\x${c.toString(16).padStart(2, '0')}""`;
    })
    .join('')}"`;
}

/** Text safe inside a C block comment: printable ASCII, no comment terminator. */
function commentText(s: string): string {
  return s.replace(/\*\//g, '* /').replace(/[^\x20-\x7e]/g, '?');
}

function wrap(text: string, width = 74, indent = ' * '): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of commentText(text).split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out;
}

/** Given weights are the whole mix (ops not named are left out); none: the engine's defaults. */
export function opWeights(w: RaceWeights | undefined): number[] {
  return RACE_OPS.map((op) => {
    if (!('weight' in op)) return 0;
    if (!w) return op.weight.default;
    return w[op.weight.key] ?? 0;
  });
}

const intDefault = <K extends keyof typeof RACE_PARAMS>(k: K): number => {
  const p = RACE_PARAMS[k];
  return 'default' in p && typeof p.default === 'number' ? p.default : 0;
};

/** The parameters and tables the program is compiled with. */
export function renderParams(input: EmitRaceInput, p: RaceParams): string {
  const rules = input.rules ?? RACE_RULES;
  const target = input.target;
  const num = (v: number | undefined, k: keyof typeof RACE_PARAMS) => v ?? intDefault(k);
  const lines = [
    '/* ---- this scenario (generated by tracefs-regress, src/repro/race.ts) ---- */',
    `#define SCENARIO_ID ${cString(input.scenario.id)}`,
    `#define PROBE_KIND ${cString(input.kind)}`,
    `#define KPROBE_SYMBOL ${cString(target && 'symbol' in target ? target.symbol : 'do_sys_openat2')}`,
    `#define DEFAULT_THREADS ${p.threads}`,
    `#define DEFAULT_DURATION_S ${(p.durationMs / 1000).toFixed(3)}`,
    '#define DEFAULT_STALL_S 10.0',
    `#define RACE_TARGET_INSTANCE ${p.target === 'instance' ? 1 : 0}`,
    `#define RACE_SIBLING ${p.sibling ? 1 : 0}`,
    `#define DWELL_PRESENT_US ${num(p.dwellPresentUs, 'dwellPresentUs')}ull`,
    `#define DWELL_ABSENT_US ${num(p.dwellAbsentUs, 'dwellAbsentUs')}ull`,
    `#define DROP_CACHES_EVERY ${num(p.dropCachesEvery, 'dropCachesEvery')}u`,
    `#define DROP_CACHES_INTERVAL_MS ${num(p.dropCachesIntervalMs, 'dropCachesIntervalMs')}`,
    `#define BUSY_CHECK_EVERY ${num(p.busyCheckEvery, 'busyCheckEvery')}u`,
    `#define HELD_DIRFDS ${num(p.heldDirfds, 'heldDirfds')}u`,
    `#define MAX_BUSY_RETRIES ${num(p.maxBusyRetries, 'maxBusyRetries')}ull`,
    `#define RACERS ${num(p.racers, 'racers')}`,
    `#define STEP_ASIDE_US ${num(p.stepAsideUs, 'stepAsideUs')}u`,
    '',
    "/* The ops, in the native engine's order (src/native/race-params.ts). */",
    `enum op { ${RACE_OPS.map((o) => opEnum(o.name)).join(', ')}, OP_COUNT };`,
    `static const char *const op_name[OP_COUNT] = {${RACE_OPS.map((o) => cString(o.name)).join(', ')}};`,
    `static const uint32_t weights[OP_COUNT] = {${opWeights(p.weights).join(', ')}};`,
    '',
    '/* The per-op rule (src/repro/race-rules.ts): which outcome breaks which rule. */',
    'enum rule_test { T_NOT_ENOENT, T_ENOENT, T_SUCCEEDED, T_LISTED };',
    'struct rule {',
    '  const char *name;',
    '  enum rule_test test;',
    '  const char *expected;',
    '};',
    `enum { ${RACE_RULES.map((r) => ruleEnum(r.id)).join(', ')}, R_COUNT };`,
    'static const struct rule rules[R_COUNT] = {',
    ...RACE_RULES.map((r) => {
      const row = rules.find((x) => x.id === r.id) ?? r;
      return `    /* ${commentText(row.when)} */\n    [${ruleEnum(r.id)}] = {${cString(row.id)}, ${testEnum(row.test)}, ${cString(row.expected)}},`;
    }),
    '};',
  ];
  return lines.join('\n');
}

function paramSummary(p: RaceParams): string {
  const w = opWeights(p.weights)
    .map((v, i) => (v ? `${RACE_OPS[i]!.name} ${v}` : ''))
    .filter(Boolean)
    .join(', ');
  const parts = [
    `target ${p.target}${p.sibling ? ' (with a sibling event)' : ''}`,
    `threads ${p.threads}`,
    `duration ${(p.durationMs / 1000).toFixed(1)} s`,
    `weights ${w}`,
  ];
  const knobs: [keyof RaceParams, string][] = [
    ['dwellPresentUs', 'dwell present us'],
    ['dwellAbsentUs', 'dwell absent us'],
    ['busyCheckEvery', 'busy check every'],
    ['dropCachesEvery', 'drop_caches every'],
    ['dropCachesIntervalMs', 'drop_caches interval ms'],
    ['heldDirfds', 'held dirfds'],
  ];
  for (const [k, label] of knobs) if (p[k] !== undefined) parts.push(`${label} ${String(p[k])}`);
  return parts.join('; ');
}

export function renderHeader(input: EmitRaceInput, p: RaceParams): string {
  const s = input.scenario;
  const file = input.file ?? reproFileName(`${s.id}[${input.kind}]`);
  const ev = input.result?.evidence?.[0];
  const lines = [
    '/*',
    ...wrap(
      `${file}: stand-alone reproducer of tracefs-regress race scenario ${s.id} ` +
        `(${input.kind} variant): ${s.title}.`,
    ),
    ' *',
    ...wrap(s.description),
    ' *',
    ' * Guards:',
    ...s.references.flatMap((r) => wrap(r, 72, ' *   ').map((l, i) => (i ? l : l.replace(' *   ', ' * - ')))),
    ' *',
    ...wrap(
      `Generated ${(input.now ?? new Date()).toISOString()} on kernel ${input.kernel.release} ${input.kernel.version}.`,
    ),
    ...(ev ? wrap(`The run that failed saw: ${ev.op} ${ev.path}: expected ${ev.expected}, got ${ev.got}.`) : []),
    ' *',
    ...wrap(`Parameters: ${paramSummary(p)}.`),
    ' *',
    ' * Per-op rule: an op that started and ended inside one window of the',
    ' * generation counter (odd while the event is absent) is judged:',
    ...RACE_RULES.flatMap((r) => wrap(`${r.id}: ${r.when}: expected ${r.expected}.`, 70, ' *   ')),
    ' * A worker killed or stuck inside a system call, or a rise in',
    ' * /sys/kernel/oops_count, warn_count or /proc/sys/kernel/tainted, counts too.',
    ' *',
    ' * Build and run (as root):',
    ` *   cc -O2 -static -pthread -o repro '${commentText(file)}' && ./repro`,
    ` *   ./repro -t THREADS -d SECONDS [-s STALL_SECONDS]   (defaults ${p.threads} and ${(p.durationMs / 1000).toFixed(1)})`,
    ' * Exit: 0 not reproduced; 1 REPRODUCED (one line says what); 4 the kernel',
    ' * lacks what the race needs (the probe kind, tracefs); 2 usage or setup error.',
    ' */',
  ];
  return lines.join('\n');
}

/** The includes the race program needs beyond the runtime's. */
const INCLUDES = [
  '#ifndef _GNU_SOURCE',
  '#define _GNU_SOURCE',
  '#endif',
  '#include <errno.h>',
  '#include <fcntl.h>',
  '#include <limits.h>',
  '#include <linux/futex.h>',
  '#include <pthread.h>',
  '#include <sched.h>',
  '#include <signal.h>',
  '#include <stdatomic.h>',
  '#include <stdint.h>',
  '#include <stdio.h>',
  '#include <stdlib.h>',
  '#include <string.h>',
  '#include <sys/resource.h>',
  '#include <sys/stat.h>',
  '#include <sys/syscall.h>',
  '#include <sys/utsname.h>',
  '#include <time.h>',
  '#include <unistd.h>',
].join('\n');

/** The whole reproducer for a FAIL of a race scenario (pure but for reading the C sources). */
export function renderRace(input: EmitRaceInput): { text: string; mode: 'race' } {
  const p = raceParams(input);
  const runtime = input.runtimeC ?? readCSource('runtime.c');
  const text = [
    renderHeader(input, p),
    runtime.trimEnd(),
    INCLUDES,
    readCSource('race-core.h').trimEnd(),
    renderParams(input, p),
    readCSource('race.c').trimEnd(),
    '',
  ].join('\n\n');
  return { text, mode: 'race' };
}

/** Why a race FAIL got no file (index.ts notes it). */
export const RACE_NOT_YET = 'race reproducer: the scenario declares no race plan';

/** What `run --repro-dir` knows of a race FAIL (a subset of index.ts's ReproContext). */
export interface RaceReproContext {
  dir: string;
  scenario: EmitRaceInput['scenario'];
  kind: ProbeKind;
  kernel: EmitRaceInput['kernel'];
  /** What the run was given (--duration, --threads). */
  options?: { durationMs: number; threads: number };
  /** --repeat: the iteration, which the file name carries. */
  iteration?: number;
}

/** The kprobe/fprobe symbol the suite uses here (the uprobe's binary is found at run time). */
function probeTarget(kind: ProbeKind): ProbeTarget | undefined {
  if (kind !== 'kprobe' && kind !== 'fprobe') return undefined;
  try {
    return targetFor(kind);
  } catch {
    return undefined; // the program's default symbol, do_sys_openat2
  }
}

/**
 * Writes DIR/<result name>.c for a race FAIL and returns what
 * ScenarioResult.reproducer records, or undefined when the scenario has no
 * race plan. The index's hook (writeReproducer) calls it.
 */
export async function emitRace(
  result: Pick<ScenarioResult, 'name' | 'stats' | 'evidence' | 'status'>,
  ctx: RaceReproContext,
): Promise<{ file: string; mode: 'race' } | undefined> {
  if (!ctx.scenario.racePlan) return undefined;
  const target = probeTarget(ctx.kind);
  const file = reproFileName(result.name, ctx.iteration);
  const { text } = renderRace({
    file,
    scenario: ctx.scenario,
    kind: ctx.kind,
    ...(ctx.options ? { params: { threads: ctx.options.threads, durationMs: ctx.options.durationMs } } : {}),
    result,
    kernel: ctx.kernel,
    ...(target ? { target } : {}),
  });
  writeFileInDir(ctx.dir, file, text);
  return { file, mode: 'race' };
}
