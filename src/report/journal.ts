// SPDX-License-Identifier: GPL-2.0-only
// The run journal: one JSON line per event (run start, scenario start,
// scenario result), appended as the run goes. A VM guest whose kernel oopsed
// with a lock held never writes its final report; the host builds one from
// the journal instead (src/vm/boot/partial.ts). One write(2) per line, no rewrite:
// on the guest's 9p share (no cache) each line reaches the host as it is
// written, and a kill can at worst cut the last line, which parseJournal skips.
import fs from 'node:fs';
import { OutputFile } from '../util/output.js';
import type { RunEnvironment, RunReport, ScenarioResult } from './types.js';

export type JournalRecord =
  /** plan: every variant's name in the order results will come, when known before the run (vm streams KTAP from it). */
  | { type: 'start'; tool: RunReport['tool']; startedAt: string; env: RunEnvironment; plan?: string[] }
  /** expectMs: how long the variant runs at the least (a race's --duration), so a watcher does not take that silence for a hang. */
  | { type: 'running'; name: string; at: string; expectMs?: number }
  | { type: 'result'; result: ScenarioResult };

/** One record as one line; bigints (race counters) as numbers, as the JSON report does. */
export function journalLine(r: JournalRecord): string {
  return JSON.stringify(r, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) + '\n';
}

function isRecord(x: unknown): x is JournalRecord {
  if (!x || typeof x !== 'object') return false;
  const r = x as Record<string, unknown>;
  if (r.type === 'start') return typeof r.startedAt === 'string' && !!r.env && typeof r.env === 'object' && !!r.tool;
  if (r.type === 'running') return typeof r.name === 'string';
  if (r.type === 'result') return !!r.result && typeof (r.result as ScenarioResult).name === 'string';
  return false;
}

/** Every well-formed record, in order; a cut or foreign line is skipped, never fatal. */
export function parseJournal(text: string): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r: unknown = JSON.parse(line);
      if (isRecord(r)) out.push(r);
    } catch {
      /* the line the kill cut short */
    }
  }
  return out;
}

/**
 * Writes records to FILE, one write(2) each (a partial write is finished). A journal that stops working (share gone) must not
 * fail the run it documents: the first error is reported through onError,
 * later records are dropped.
 */
export class JournalWriter {
  private fd: number | undefined;

  /** file: a path (put in place through util/output: a new file, never written through a link), or an fd for it (the CLI's --journal); closed by close(). */
  constructor(
    file: string | number,
    private readonly onError: (m: string) => void,
  ) {
    // One journal per run: an old run's records must not pass for this one's.
    if (typeof file === 'number') this.fd = file;
    else {
      const out = OutputFile.open(file, '--journal');
      out.publish();
      this.fd = out.release();
    }
  }

  write(r: JournalRecord): void {
    if (this.fd === undefined) return;
    try {
      const buf = Buffer.from(journalLine(r));
      for (let off = 0; off < buf.length;) off += fs.writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      this.onError(
        `journal write failed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); no further records`,
      );
      this.close();
    }
  }

  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (fd !== undefined) fs.closeSync(fd);
    } catch {
      /* a journal that already failed: nothing more to lose */
    }
  }
}
