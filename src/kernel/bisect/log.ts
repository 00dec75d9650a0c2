// SPDX-License-Identifier: GPL-2.0-only
// What `git bisect run` printed, read back: the first bad commit, the
// candidates left when skipped commits hide it, or why the run stopped. Pure,
// so it is tested on git's own output (git 2.39's wording, which has not
// changed since the messages were moved to C).

export type BisectResult =
  | { kind: 'found'; commit: string }
  /** Only skipped commits are left between the last good and the first bad one. */
  | { kind: 'skipped'; candidates: string[] }
  /** git stopped the run: a step exited >= 128, or the step could not be started. */
  | { kind: 'aborted'; message: string }
  | { kind: 'unknown' };

const HASH = /^[0-9a-f]{40,64}$/;

export function parseBisectRun(output: string): BisectResult {
  const lines = output.split('\n').map((l) => l.trimEnd());
  for (const l of lines) {
    const m = /^([0-9a-f]{40,64}) is the first bad commit$/.exec(l);
    if (m) return { kind: 'found', commit: m[1]! };
  }
  const i = lines.findIndex((l) => l.startsWith('The first bad commit could be any of:'));
  if (i >= 0) {
    const candidates: string[] = [];
    for (const l of lines.slice(i + 1)) {
      if (!HASH.test(l)) break;
      candidates.push(l);
    }
    return { kind: 'skipped', candidates };
  }
  const failed = lines.findIndex((l) => /^(?:error: )?(?:bisect run failed|bisect run cannot continue|unable to (?:start|run))/.test(l));
  if (failed >= 0) return { kind: 'aborted', message: lines.slice(failed, failed + 2).filter(Boolean).join(' ') };
  return { kind: 'unknown' };
}

/** One `git bisect log` entry: `git bisect good|bad|skip <hash>` with the `# good: [hash] subject` comment before it. */
export interface LogEntry {
  verdict: 'good' | 'bad' | 'skip';
  commit: string;
  subject?: string;
}

/** The verdicts in a `git bisect log`, in order (the start line's revs included, as git writes them). */
export function parseBisectLog(log: string): LogEntry[] {
  const out: LogEntry[] = [];
  const subjects = new Map<string, string>();
  for (const l of log.split('\n')) {
    const c = /^# (?:good|bad|skip): \[([0-9a-f]+)\] (.*)$/.exec(l);
    if (c) subjects.set(c[1]!, c[2]!);
    const m = /^git bisect (good|bad|skip) ([0-9a-f]+)$/.exec(l.trim());
    if (m) out.push({ verdict: m[1] as LogEntry['verdict'], commit: m[2]!, ...(subjects.has(m[2]!) ? { subject: subjects.get(m[2]!)! } : {}) });
  }
  return out;
}
