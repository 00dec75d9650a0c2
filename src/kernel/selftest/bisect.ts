// SPDX-License-Identifier: GPL-2.0-only
// Step 4: `kernel bisect` on the synthetic history (history.ts) must name the
// mutant's commit. Run as a `tracefs-regress kernel bisect` child, like the
// boots of step 2: the command line is what a user runs, and its output is
// kept whole in the results directory.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { EXIT } from '../../errors.js';
import { headState } from '../bisect/git.js';
import type { Mutant } from '../patches.js';
import type { SelftestContext } from './context.js';
import { syntheticHistory } from './history.js';

/** What the bisect runs at each step: one deterministic single-threaded scenario, one probe kind. */
export const BISECT_SCENARIO = 'removed-files-enoent';
export const BISECT_RUN_ARGS = ['-s', BISECT_SCENARIO, '-p', 'kprobe'];

export interface BisectCheck {
  mutant: string;
  repo: string;
  commits: { clean: string; harmless: string; mutant: string; docs: string };
  exitCode: number | undefined;
  /** The commit `kernel bisect` named, if any. */
  named?: string;
  wallMs: number;
  problems: string[];
}

/** The mutant the history plants: the first single-threaded one whose header expects the scenario bisected on. */
export function bisectMutant(mutants: readonly Mutant[]): Mutant | undefined {
  return mutants.find((m) => !m.race && m.expect.includes(BISECT_SCENARIO));
}

/** The commit in `first bad commit: <hash> <subject>`, the first line `kernel bisect` prints on success. */
export function namedCommit(stdout: string): string | undefined {
  return /^first bad commit: ([0-9a-f]{40,64}) /m.exec(stdout)?.[1];
}

/** Judges one `kernel bisect` run on the history: exit 0, the mutant's commit named, the tree back on its tip. */
export function bisectProblems(c: Omit<BisectCheck, 'problems'>, headAfter: string): string[] {
  const p: string[] = [];
  if (c.exitCode !== EXIT.ok) p.push(`bisect: kernel bisect exited ${c.exitCode ?? 'by a signal'}, not 0`);
  if (c.named !== c.commits.mutant) {
    p.push(`bisect: named ${c.named ?? 'no commit'}, expected the mutant's commit ${c.commits.mutant} (${c.mutant})`);
  }
  if (headAfter !== c.commits.docs) p.push(`bisect: the repo was left at ${headAfter}, not at its tip ${c.commits.docs}`);
  return p;
}

export async function runBisectCheck(ctx: SelftestContext, mutants: readonly Mutant[]): Promise<BisectCheck | number> {
  const m = bisectMutant(mutants);
  if (!m) {
    return {
      mutant: '-',
      repo: '',
      commits: { clean: '', harmless: '', mutant: '', docs: '' },
      exitCode: undefined,
      wallMs: 0,
      problems: [`bisect: no single-threaded mutant expects ${BISECT_SCENARIO}`],
    };
  }
  const h = await syntheticHistory(m.file, (s) => ctx.say(`  ${s}`));
  if (ctx.stop.stopping) return EXIT.sigint;
  const started = Date.now();
  const args = [
    path.join(ctx.root, 'bin/tracefs-regress.js'),
    'kernel',
    'bisect',
    '--good',
    h.clean,
    '--bad',
    h.docs,
    '--source',
    h.dir,
    '--timeout',
    ctx.opts.timeout,
    '--',
    ...BISECT_RUN_ARGS,
  ];
  ctx.say(`bisect: kernel bisect --good ${h.clean.slice(0, 12)} --bad ${h.docs.slice(0, 12)} --source ${h.dir} -- ${BISECT_RUN_ARGS.join(' ')}`);
  const child = execa(process.execPath, args, { cwd: ctx.root, reject: false, all: true, cancelSignal: ctx.stop.signal });
  child.all?.on('data', (b: Buffer) => {
    for (const l of b.toString().split('\n')) if (/bisect-step: [0-9a-f]{12} |^bisect: git bisect |^first bad commit:/.test(l)) ctx.say(`  ${l}`);
  });
  const r = await child;
  fs.writeFileSync(path.join(ctx.opts.outDir, 'bisect.log'), r.all ?? '');
  if (ctx.stop.stopping) return EXIT.sigint;
  const c = {
    mutant: m.name,
    repo: h.dir,
    commits: { clean: h.clean, harmless: h.harmless, mutant: h.mutant, docs: h.docs },
    exitCode: r.exitCode,
    ...(namedCommit(r.stdout) ? { named: namedCommit(r.stdout)! } : {}),
    wallMs: Date.now() - started,
  };
  const problems = bisectProblems(c, (await headState(h.dir)).commit);
  const secs = (c.wallMs / 1000).toFixed(0);
  ctx.say(
    problems.length
      ? `bisect: NOT as expected in ${secs} s: ${problems.join('; ')}`
      : `bisect: named ${h.mutant.slice(0, 12)} (${h.mutantSubject}) in ${secs} s, as expected`,
  );
  return { ...c, problems };
}
