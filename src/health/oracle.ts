// SPDX-License-Identifier: GPL-2.0-only
// The kernel-health oracle around each scenario: a scenario after which the
// kernel oopsed, warned, gained taint or logged a report fails, whatever its
// own checks said. Degrades (with a note) where it cannot see: not root, no
// /dev/kmsg, a kernel older than the counters. No I/O in this file: the
// sources are handed in (system.ts), so unit tests plant readings.
import type { HealthDelta } from './types.js';
import type { Counters } from './counters.js';
import { KmsgScanner, DEFAULT_SCAN_LIMITS, type DrainResult, type ScanLimits } from './kmsg.js';
import { taintGained, taintLetters } from './taint.js';

export interface KmsgSource {
  drain(): DrainResult;
  close(): void;
}

/** Where readings come from; tests plant their own. */
export interface HealthSources {
  readCounters(): Counters;
  openKmsg(): KmsgSource | { error: string };
}

export interface HealthWatch {
  /** Marks the start of a scenario: drains the log and reads the counters. */
  snapshot(): void;
  /** What changed since snapshot() (or since the previous delta, whichever is older). */
  delta(): HealthDelta;
  /** What this watch cannot see, for the run's report (e.g. "/dev/kmsg: EACCES ..."). */
  readonly notes: readonly string[];
  close(): void;
}

/** Pure: the verdict from two counter readings and a kmsg scan. */
export function buildDelta(
  before: Counters,
  after: Counters,
  scan: Pick<KmsgScanner, 'lines' | 'alarms' | 'dropped'>,
  notes: string[] = [],
): HealthDelta {
  let ok = scan.alarms === 0;
  const d: HealthDelta = { ok, kernelLines: [...scan.lines] };
  if (before.oops !== undefined && after.oops !== undefined) {
    d.oopsCount = { before: before.oops, after: after.oops };
    if (after.oops > before.oops) ok = false;
  }
  if (before.warn !== undefined && after.warn !== undefined) {
    d.warnCount = { before: before.warn, after: after.warn };
    if (after.warn > before.warn) ok = false;
  }
  if (before.taint !== undefined && after.taint !== undefined) {
    const gained = taintGained(before.taint, after.taint);
    d.taint = { before: before.taint, after: after.taint, letters: taintLetters(after.taint) };
    if (gained !== 0) {
      d.taint.gained = taintLetters(gained);
      ok = false;
    }
  }
  if (scan.dropped > 0) d.kernelLines.push(`... ${scan.dropped} more kernel lines not kept`);
  d.ok = ok;
  if (notes.length > 0) d.notes = [...notes];
  return d;
}

function sameCounters(a: Counters, b: Counters): boolean {
  return a.oops === b.oops && a.warn === b.warn && a.taint === b.taint;
}

/** The watch over any sources (pure given them); system.ts's startHealthWatch plugs in the real ones. */
export function createHealthWatch(src: HealthSources, limits: ScanLimits = DEFAULT_SCAN_LIMITS): HealthWatch {
  const notes: string[] = [];

  const first = src.readCounters();
  for (const u of first.unavailable) notes.push(`counter unavailable: ${u}`);
  let kmsg: KmsgSource | undefined;
  const k = src.openKmsg();
  if ('error' in k) notes.push(`kernel log not watched (${k.error}); run as root to scan /dev/kmsg`);
  else kmsg = k;

  let baseline = first;
  let lastAfter: Counters | undefined;
  let scanner = new KmsgScanner(limits);
  let pending: string[] = [];

  const drainInto = (sc: KmsgScanner, out: string[]): void => {
    if (!kmsg) return;
    const r = kmsg.drain();
    for (const rec of r.records) sc.feed(rec);
    if (r.overwritten > 0)
      out.push(`${r.overwritten} kernel log read(s) hit EPIPE: records were overwritten before being read`);
    if (r.error) {
      out.push(`kernel log watch stopped: ${r.error}`);
      notes.push(`kernel log watch stopped: ${r.error}`);
      kmsg.close();
      kmsg = undefined;
    }
  };

  return {
    notes,
    snapshot() {
      pending = [];
      scanner = new KmsgScanner(limits);
      // A report logged between scenarios (e.g. during the previous cleanup) is kept and
      // charged to this scenario with a note, rather than silently lost.
      drainInto(scanner, pending);
      if (scanner.alarms > 0) pending.push('kernel report lines below were logged before this scenario started');
      const now = src.readCounters();
      if (lastAfter && !sameCounters(lastAfter, now)) {
        pending.push('kernel counters changed between scenarios; the change is charged to this one');
        baseline = lastAfter;
      } else {
        baseline = now;
      }
    },
    delta() {
      const extra = [...pending];
      drainInto(scanner, extra);
      const after = src.readCounters();
      const d = buildDelta(baseline, after, scanner, [...notes, ...extra]);
      lastAfter = after;
      baseline = after;
      pending = [];
      scanner = new KmsgScanner(limits);
      return d;
    },
    close() {
      kmsg?.close();
      kmsg = undefined;
    },
  };
}
