// SPDX-License-Identifier: GPL-2.0-only
// Follows one guest while QEMU runs: its serial console (progress, first
// result, kernel failure reports) and its run journal (scenario starts and
// results). Once the console shows an oops, BUG, KASAN report or panic, the
// guest gets a grace period to finish on its own; a guest that makes no
// progress for that long is taken as hung -- an oops with a lock held hangs
// everything that needs the lock, up to the guest's own shutdown -- and the
// watch asks for QEMU to be ended, instead of waiting out --timeout.
import { ConsoleTail, isFailureLine } from './console.js';
import { MARK } from '../guest/initramfs.js';
import { parseJournal, type JournalRecord } from '../../report/journal.js';

/**
 * How long a guest whose console showed a kernel failure may go without
 * progress (a new journal record or result line) before the host ends it.
 * A race announces its --duration in its journal record; that much is added
 * on top, so `--duration 2m` is not taken for a hang.
 * What it must cover, in a guest that did not hang: the longest stretch
 * between two journal records (one scenario variant: a 3 s race plus setup
 * and cleanup) and, after the last result, writing the report to the share,
 * sync and poweroff. Measured 2026-12-02 (scripts/measure-grace.mjs, clean
 * tinyconfig 6.12, TCG thread=single, whole 28-variant suite, 2 boots on the
 * shared 2-core host): longest gap between two results 3.2-3.3 s (into the
 * first race of a probe kind), last result to the end of `vm` 0.2-0.35 s,
 * total 56-59 s. A guest whose kernel oopsed without hanging (Debian
 * 6.18.15, multi TCG, QEMU 10: eventfs_iterate NULL dereference during
 * race-recreate, 2 of 3 boots) ended on its own 3.2 s and 5.6 s after the
 * first oops line reached the host, with its full report.
 * 20 s is 6x the longest gap and 3.5x that, for a slower or busier host;
 * still, a guest hung by an oops ends about 20 s after it (planted oops under
 * event_mutex: 20.0-20.1 s), well inside a minute.
 */
export const OOPS_GRACE_MS = 20_000;

/**
 * Pure: when the host ends a guest that reported a kernel failure at
 * failureMs and last made progress at lastProgressMs (both on the watch's
 * clock); undefined while the console shows no failure.
 */
export function graceDeadline(s: { failureMs?: number; lastProgressMs?: number }, graceMs: number): number | undefined {
  if (s.failureMs === undefined) return undefined;
  return Math.max(s.failureMs, s.lastProgressMs ?? -Infinity) + graceMs;
}

/** A journal line announcing a variant that runs for a while (a race) gives the guest that long on top. */
export function expectedMs(journalLine: string): number {
  const r = parseJournal(journalLine)[0];
  return r?.type === 'running' && typeof r.expectMs === 'number' && r.expectMs > 0 ? r.expectMs : 0;
}

export interface GuestWatchOptions {
  serialLog: string;
  /** The run journal the guest appends to (in the results share), if it keeps one. */
  journal?: string;
  /** End the guest this long after a kernel failure without progress; undefined: never end it early. */
  graceMs?: number;
  /** Matches a console line that is a scenario result: its first arrival is the first-result time; none without it (vm --exec). */
  resultLine?: RegExp;
  /** Forward boot console lines too, not only the guest command's. */
  verbose?: boolean;
  onConsole?: (line: string, ms: number) => void;
  /** Each well-formed run-journal record as it arrives. */
  onJournal?: (r: JournalRecord) => void;
  /** The grace ran out: end QEMU. Called at most once. */
  onGraceExpired: () => void;
}

export class GuestWatch {
  runStartMs: number | undefined;
  firstResultMs: number | undefined;
  /** First kernel failure line on the console. */
  failureMs: number | undefined;
  lastProgressMs: number | undefined;
  /** Set when the grace ran out and the watch asked for QEMU to end. */
  expiredMs: number | undefined;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly t0 = Date.now();
  private readonly tails: ConsoleTail[];

  constructor(private readonly o: GuestWatchOptions) {
    this.tails = [new ConsoleTail(o.serialLog, (l, ms) => this.consoleLine(l, ms), 100, this.t0)];
    if (o.journal) this.tails.push(new ConsoleTail(o.journal, (l, ms) => this.journalLine(l, ms), 100, this.t0));
  }

  start(): this {
    for (const t of this.tails) t.start();
    return this;
  }

  stop(): void {
    for (const t of this.tails) t.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private consoleLine(line: string, ms: number): void {
    if (this.failureMs === undefined && isFailureLine(line)) {
      this.failureMs = ms;
      this.arm();
    }
    if (line.includes(MARK.run)) {
      this.running = true;
      this.runStartMs ??= ms;
      return;
    }
    if (!this.running) {
      if (this.o.verbose) this.o.onConsole?.(line, ms);
      return;
    }
    if (line.startsWith(MARK.exit)) return;
    // The guest's output may carry colour codes; results are recognised without them.
    if (this.o.resultLine?.test(line.replace(/\x1b\[[0-9;]*m/g, ''))) {
      this.firstResultMs ??= ms;
      // A result line is progress too, for guests that keep no journal.
      this.progress(ms);
    }
    this.o.onConsole?.(line, ms);
  }

  private journalLine(line: string, ms: number): void {
    this.progress(ms + expectedMs(line));
    if (!this.o.onJournal) return;
    for (const r of parseJournal(line)) this.o.onJournal(r);
  }

  /** The guest showed life now (output of a `vm --exec` program). */
  noteProgress(): void {
    this.progress(Date.now() - this.t0);
  }

  /** ms: when the guest last showed life, pushed ahead by what a started race is expected to take. */
  private progress(ms: number): void {
    this.lastProgressMs = Math.max(this.lastProgressMs ?? ms, ms);
    if (this.failureMs !== undefined) this.arm();
  }

  /** (Re)start the grace timer from the latest of the failure and the last progress. */
  private arm(): void {
    if (this.o.graceMs === undefined || this.expiredMs !== undefined) return;
    const due = graceDeadline(this, this.o.graceMs);
    if (due === undefined) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.expiredMs = Date.now() - this.t0;
        this.o.onGraceExpired();
      },
      Math.max(0, due - (Date.now() - this.t0)),
    );
  }
}
