// SPDX-License-Identifier: GPL-2.0-only
// `explore --here`: explore this machine's own tracefs (what the guest runs).
// The loop (loop.ts) drives the explorer; every program is judged by the
// model and by the kernel's health counters (a WARN or a taint the model
// cannot see); a finding is shrunk against the same kernel and turned into
// a C reproducer (shrink.ts, reproducer.ts). With --stream every step is a
// JSON line for the host (stream.ts), progress otherwise.
import os from 'node:os';
import { EXIT } from '../errors.js';
import { isErr } from '../native/index.js';
import { readCounters, readFileNative } from '../health/index.js';
import { openTracefs } from '../tracefs/open.js';
import { prepareOutputDir, writeFileInDir } from '../util/output.js';
import { onTeardown } from '../runner/teardown.js';
import { healthAlarm } from './health.js';
import { explore, type Finding as LoopFinding } from './loop.js';
import { openTraceSource, type TraceSource } from './kcov.js';
import { progressReporter, type LineSink } from './progress.js';
import type { ExplorePlan } from './options.js';
import { renderRecord, type ExploreRecord, type Finding } from './stream.js';
import type { Execution, Explorer, Program } from './types.js';
import { createExplorer, worldFor } from './explorer.js';
import { seededRng } from './rng.js';
import { ruleKey, shrinkFinding } from './shrink.js';
import { reproducerFor } from './reproducer.js';

export interface HereDeps {
  say: (m: string) => void;
  /** The live progress line (the CLI's ProgressLine); unused with --stream, where the host draws it. */
  progress: LineSink;
  signal?: AbortSignal;
}

/** The kernel's counters around each execution: a rise is a violation of its own (the model cannot see a WARN). */
export function withHealth(explorer: Explorer): Explorer {
  const counters = () => readCounters(readFileNative);
  return {
    generate: (rng) => explorer.generate(rng),
    mutate: (p, rng, others) => explorer.mutate(p, rng, others),
    async execute(p: Program, signal?: AbortSignal): Promise<Execution> {
      const before = counters();
      const e = await explorer.execute(p, signal);
      const alarm = healthAlarm(before, counters());
      return alarm ? { ...e, violations: [...e.violations, alarm] } : e;
    },
  };
}

export async function exploreHere(plan: ExplorePlan, deps: HereDeps): Promise<number> {
  const out = (r: ExploreRecord) => plan.stream && process.stdout.write(renderRecord(r));
  const { say } = deps;
  const tracefs = openTracefs({ onTeardown });
  let trace: TraceSource | undefined;
  if (!plan.blind) {
    const t = openTraceSource();
    if (isErr(t)) say(`blind: no KCOV here (${t.toString()})`);
    else trace = t;
  }
  const kernel = { release: os.release(), version: os.version() };
  // Races that list group dirs or drop caches crash known kernels (the 6.18.y oops): only in the guest (--stream).
  const { world, names } = worldFor(tracefs, { unsafeRaces: plan.stream });
  const explorer = createExplorer({ world, names });
  out({ t: 'start', seed: plan.seed, kernel, kcov: !!trace, kinds: world.kinds });
  if (!plan.stream)
    say(
      `seed ${plan.seed}; ${kernel.release}; ${trace ? 'KCOV-guided' : 'blind'}; kinds ${world.kinds.join(', ')}` +
        `${world.unsafeRaces ? '' : '; races without getdents or drop_caches (this is no guest)'}`,
    );
  const findings: Finding[] = [];
  const judged = withHealth(explorer);
  try {
    const r = await explore(
      {
        rng: seededRng(plan.seed),
        durationMs: plan.durationMs,
        ...(plan.maxPrograms !== undefined ? { maxPrograms: plan.maxPrograms } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
        keepGoing: plan.keepGoing,
        onProgram: (n, program, ms) => out({ t: 'program', n, ms, program }),
        // Going on after a finding, the kernel may die before the run ends and its findings are shrunk:
        // each is sent as it comes, and again once shrunk (the host keeps the last of each).
        ...(plan.keepGoing ? { onFinding: (f: LoopFinding) => out({ t: 'finding', finding: rawFinding(f) }) } : {}),
        onProgress: plan.stream ? (stats) => out({ t: 'progress', stats }) : progressReporter(deps.progress),
      },
      judged,
      trace,
    );
    // --keep-going meets the same broken rule again and again: each is shrunk and reported once.
    const seen = new Map<string, number>();
    for (const f of r.findings) {
      const key = ruleKey(f.program, f.execution.violations);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (seen.get(key)! > 1) continue;
      say(`finding in program ${f.seq}: shrinking it against this kernel`);
      const shrunk = await shrinkFinding(f.program, f.execution, judged, deps.signal);
      const finding: Finding = { ...rawFinding(f), ...(shrunk ? { shrunk: shrunk.program } : {}) };
      const repro = reproducerFor(shrunk?.program ?? f.program, shrunk?.execution ?? f.execution, kernel);
      if (repro) finding.reproducer = repro;
      findings.push(finding);
      out({ t: 'finding', finding });
      if (!plan.stream) {
        say(`FOUND: ${finding.what}${shrunk ? ` (shrunk to ${shrunk.program.actions.length} actions)` : ''}`);
        // The guest's findings go to the host in the stream; here they are kept in --out.
        const dir = prepareOutputDir(plan.out, '--out');
        writeFileInDir(dir, `finding-${f.seq}.json`, `${JSON.stringify(finding, null, 2)}\n`);
        if (repro) say(`reproducer: ${writeFileInDir(dir, `finding-${f.seq}-${repro.file}`, repro.text)}`);
      }
    }
    const again = [...seen.values()].reduce((a, n) => a + n - 1, 0);
    if (again) say(`${again} more finding(s) broke a rule already reported: not shrunk again`);
    out({ t: 'end', stats: r.stats, stopped: r.stop });
  } catch (e) {
    out({ t: 'error', message: (e as Error).message });
    throw e;
  } finally {
    // Each execution removed what it created; only the KCOV buffer is left to give back.
    trace?.close();
  }
  return findings.length ? EXIT.failed : deps.signal?.aborted ? EXIT.sigint : EXIT.ok;
}

/** A finding as the loop gave it; a broken rule of the model names a call or a race, the health alarm alone none. */
function rawFinding(f: LoopFinding): Finding {
  return {
    kind: f.execution.violations.some((v) => v.action >= 0) ? 'model' : 'health',
    n: f.seq,
    ms: f.ms,
    what: describe(f.execution),
    violations: f.execution.violations,
    program: f.program,
  };
}

function describe(e: Execution): string {
  const v = e.violations[0];
  if (!v) return 'no violation';
  return `${v.op} ${v.path}: expected ${v.expected}, got ${v.got}`;
}
