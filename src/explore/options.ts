// SPDX-License-Identifier: GPL-2.0-only
// `explore`'s options, checked before anything boots (exit 2 with the fix),
// and the guest's own command line rendered from them: the host boots a guest
// and runs `explore --here` inside it with the same seed and budget.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { parseTime } from '../util/time.js';

/** As commander hands them over. */
export interface ExploreCliOptions {
  kernel?: string;
  here?: boolean;
  seed?: string;
  duration: string;
  programs?: string;
  keepGoing?: boolean;
  out?: string;
  cleanKernel?: string;
  verify: boolean;
  blind?: boolean;
  cpus?: string;
  memory?: string;
  timeout?: string;
  append?: string;
  tcg?: 'single' | 'multi';
  coverage?: string;
  stream?: boolean;
}

/** The guest: its kernel, the kernel a reproducer must stay quiet on, vm's options, vm's --timeout when given. */
export interface GuestWhere {
  kernel: string;
  cleanKernel?: string;
  vmArgs: string[];
  timeout?: string;
  /** vm --coverage of each exploring guest, to DIR/guest-N (a `kernel build --coverage` kernel). */
  coverage?: string;
}

export interface ExplorePlan {
  /** Explore this machine's own tracefs (the guest does), or boot a kernel and explore it there. */
  where: { here: true } | GuestWhere;
  seed: number;
  durationMs: number;
  maxPrograms?: number;
  keepGoing: boolean;
  /** Host: where the report, the programs and the reproducers go. */
  out: string;
  /** Host: run the shrunk reproducer in a fresh guest (and on --clean-kernel). */
  verify: boolean;
  /** Never use KCOV, even where the kernel has it. */
  blind: boolean;
  /** Guest: JSON lines on stdout for the host (stream.ts). */
  stream: boolean;
}

export const DEFAULT_KERNEL = 'debian:6.12';
export const DEFAULT_DURATION = '10m';
/** Guest time a run may use at most: a day, as run's --duration. */
const MAX_MS = 24 * 3_600_000;

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag} '${text}' is not a whole number: use ${min} to ${max}`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} ${n} is out of range: use ${min} to ${max}`);
  return n;
}

/** Every option checked; `randomSeed` is used when --seed is not given (the run prints it). */
export function planExplore(o: ExploreCliOptions, randomSeed: () => number, cwd = process.cwd()): ExplorePlan {
  const seed = o.seed === undefined ? randomSeed() : wholeNumber('--seed', o.seed, 0, 0xffff_ffff);
  const durationMs = parseTime(o.duration, { flag: '--duration', maxMs: MAX_MS, maxText: '24h' });
  // vm checks it again; checked here so a typo fails before anything boots.
  if (o.timeout !== undefined) parseTime(o.timeout, { flag: '--timeout' });
  const maxPrograms = o.programs === undefined ? undefined : wholeNumber('--programs', o.programs, 1, 1e9);
  if (o.here) {
    const hostOnly = (
      [
        ['--kernel', o.kernel],
        ['--clean-kernel', o.cleanKernel],
        ['--cpus', o.cpus],
        ['--memory', o.memory],
        ['--timeout', o.timeout],
        ['--append', o.append],
        ['--tcg', o.tcg],
        ['--coverage', o.coverage],
      ] as const
    ).filter(([, v]) => v !== undefined);
    if (hostOnly.length)
      throw new UsageError(
        `${hostOnly.map(([f]) => f).join(', ')}: a guest's option${hostOnly.length > 1 ? 's' : ''}, not for --here (which explores this machine's own kernel); drop --here to boot a guest`,
      );
  } else if (o.stream) {
    throw new UsageError('--stream is the guest side of --here; the host reads it (drop --stream)');
  }
  const coverage = o.coverage === undefined ? undefined : path.resolve(cwd, o.coverage);
  if (coverage !== undefined && fs.existsSync(coverage) && fs.readdirSync(coverage).length)
    throw new UsageError(
      `--coverage ${o.coverage}: not empty; give a new or empty directory (the run's data would mix)`,
    );
  const vmArgs = [
    ...(o.cpus !== undefined ? ['--cpus', o.cpus] : []),
    ...(o.memory !== undefined ? ['--memory', o.memory] : []),
    ...(o.append !== undefined ? ['--append', o.append] : []),
    ...(o.tcg !== undefined ? ['--tcg', o.tcg] : []),
  ];
  return {
    where: o.here
      ? { here: true }
      : {
          kernel: o.kernel ?? DEFAULT_KERNEL,
          ...(o.cleanKernel ? { cleanKernel: o.cleanKernel } : {}),
          vmArgs,
          ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
          ...(coverage !== undefined ? { coverage } : {}),
        },
    seed,
    durationMs,
    ...(maxPrograms !== undefined ? { maxPrograms } : {}),
    keepGoing: !!o.keepGoing,
    out: path.resolve(cwd, o.out ?? `explore-${seed}`),
    verify: o.verify,
    blind: !!o.blind,
    stream: !!o.stream,
  };
}

/** The guest's `explore` arguments (after the package's main script): the same run, explored in place, streamed back. */
export function guestArgs(p: ExplorePlan): string[] {
  return [
    'explore',
    '--here',
    '--stream',
    '--seed',
    String(p.seed),
    '--duration',
    `${p.durationMs}ms`,
    ...(p.maxPrograms !== undefined ? ['--programs', String(p.maxPrograms)] : []),
    ...(p.keepGoing ? ['--keep-going'] : []),
    ...(p.blind ? ['--blind'] : []),
  ];
}

/** A guest gets the exploring time plus boot, shrinking and teardown: vm's --timeout unless given. */
export function guestTimeout(p: ExplorePlan, w: GuestWhere): string {
  return w.timeout ?? `${Math.ceil(p.durationMs / 1000) + 600}s`;
}
