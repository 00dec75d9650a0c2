// SPDX-License-Identifier: GPL-2.0-only
// The soak's sampler: a child process's open fds (/proc/<pid>/fd entries,
// those on the suite's own tracefs objects counted apart) and resident
// memory (VmRSS of /proc/<pid>/status) every few seconds, each sample
// tagged with the scenario the run's journal says is running.
import fs from 'node:fs';
import type { SoakSample } from './soak.js';

export interface ProcSample {
  fds: number;
  /** Of those, fds on this suite's own tracefs objects (a `tfsr_` path component: events, groups, instances). */
  runFds: number;
  rssKb: number;
}

/** Is an fd's link target one of the suite's tracefs objects (run names are `tfsr_<pid>_<hex>`)? */
export function isRunFd(target: string): boolean {
  return target.includes('/tfsr_');
}

/** VmRSS in kB from a /proc/<pid>/status text; undefined when absent (a zombie has none). */
export function parseVmRss(status: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** fds and RSS of pid now; undefined once it has exited. */
export function readProc(pid: number, proc = '/proc'): ProcSample | undefined {
  try {
    const rssKb = parseVmRss(fs.readFileSync(`${proc}/${pid}/status`, 'utf8'));
    if (rssKb === undefined) return undefined;
    const dir = `${proc}/${pid}/fd`;
    const fds = fs.readdirSync(dir);
    let runFds = 0;
    for (const fd of fds) {
      try {
        if (isRunFd(fs.readlinkSync(`${dir}/${fd}`))) runFds++;
      } catch {
        /* closed since the listing */
      }
    }
    return { fds: fds.length, runFds, rssKb };
  } catch {
    return undefined;
  }
}

/**
 * The variant running at the end of a journal (JSONL: `running` then
 * `result` records): the last `running` name not yet followed by its result.
 */
export function runningScenario(journal: string): string | undefined {
  let running: string | undefined;
  for (const line of journal.split('\n')) {
    let r: { type?: string; name?: string; result?: { name?: string } };
    try {
      r = JSON.parse(line) as typeof r;
    } catch {
      continue; // empty, or a line cut mid-write
    }
    if (r.type === 'running') running = r.name;
    else if (r.type === 'result' && r.result?.name === running) running = undefined;
  }
  return running;
}

/** Samples pid every intervalMs until it exits or stop() is called. */
export class Sampler {
  readonly samples: SoakSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly t0 = Date.now();

  constructor(
    private readonly pid: number,
    private readonly journalPath: string,
    intervalMs: number,
    private readonly onSample: (s: SoakSample) => void = () => {},
  ) {
    this.timer = setInterval(() => this.take(), intervalMs);
  }

  take(): void {
    const p = readProc(this.pid);
    if (!p) return;
    let journal = '';
    try {
      journal = fs.readFileSync(this.journalPath, 'utf8');
    } catch {
      /* not written yet */
    }
    const s: SoakSample = { t: Date.now() - this.t0, ...p, scenario: runningScenario(journal) };
    this.samples.push(s);
    this.onSample(s);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
