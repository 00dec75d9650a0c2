// SPDX-License-Identifier: GPL-2.0-only
// A suggested Subject for a failure, in the form kernel bug reports take:
// "[BUG] <subsystem>: <what was done> <what went wrong>". It is a suggestion
// (the reporter edits it); what it is made of is kept simple and stated:
//   subsystem  eventfs for a path under events/ on 6.6+ (eventfs kernels);
//              before 6.6, tracing for a read or write through an event's
//              file (the event code answers those) and tracefs otherwise.
//   what       the file and operation the kernel's call trace went through
//              (event_trigger_write: "trigger write") when it complained, else
//              those of the first failed check (a write first when the kernel
//              complained), with the check's "(fd held across removal)" as
//              "through fd held across kprobe removal".
//   wrong      the kernel's own words when it complained (WARNs in F, oopses
//              in F, KASAN use-after-free in F), else "succeeds instead of ENOENT".
import type { Evidence } from '../model.js';
import { parseRelease } from '../tracefs/kernel.js';
import type { ScenarioResult } from './types.js';
import { kernelComplaint, type KernelComplaint } from '../health/splat.js';

export { kernelComplaint, type KernelComplaint };

/** A frame of a tracefs file's handler, not a "?" guess: event_trigger_write+0x6a/0xd0. */
const FILE_OP_FRAME = /\]\s+(?:event_)?(enable|filter|trigger|format|id|hist)_(write|read)\+0x/;

/** The tracefs file and operation the kernel's call trace went through ("trigger", "write"), if any. */
export function tracedFileOp(lines: readonly string[]): { file: string; verb: string } | undefined {
  for (const l of lines) {
    const m = FILE_OP_FRAME.exec(l);
    if (m) return { file: m[1]!, verb: m[2]! };
  }
  return undefined;
}

/** pread -> read, fstatat -> stat: the operation as a kernel developer says it. */
function verbOf(op: string): string {
  const v = (/^[\w-]+/.exec(op)?.[0] ?? op).toLowerCase();
  const map: Record<string, string> = {
    pread: 'read',
    pwrite: 'write',
    fstatat: 'stat',
    openat: 'open',
    lstat: 'stat',
  };
  return map[v] ?? v;
}

/** "fd held across removal" -> "through fd held across kprobe removal". */
function qualifierOf(op: string, kind: string): string | undefined {
  const q = /\(([^)]*)\)/.exec(op)?.[1]?.trim();
  if (!q) return undefined;
  const withKind = /\bremoval\b/.test(q) && kind !== 'vm' ? q.replace(/\bremoval\b/, `${kind} removal`) : q;
  return /^fds?\b/.test(withKind) ? `through ${withKind}` : withKind;
}

/** The evidence item a subject names: not the health item; with a kernel complaint, a write if there is one. */
export function primaryEvidence(r: ScenarioResult, complained: boolean): Evidence | undefined {
  const own = r.evidence.filter((e) => e.op !== 'kernel health' && e.op !== 'console');
  if (complained) {
    const write = own.find((e) => verbOf(e.op) === 'write');
    if (write) return write;
  }
  return own[0];
}

/** "eventfs" on 6.6+ for events/ paths; before, "tracing" for reads and writes through event files, else "tracefs". */
export function subsystemOf(release: string, e: Evidence | undefined, complaint?: KernelComplaint): string {
  if (complaint?.func?.startsWith('eventfs_')) return 'eventfs';
  const [maj, min] = parseRelease(release);
  const eventsPath = !!e && /\/events\//.test(e.path);
  if (maj > 6 || (maj === 6 && min >= 6)) return eventsPath || !e ? 'eventfs' : 'tracefs';
  if (complaint?.func && /probe|trace|event/.test(complaint.func)) return 'tracing';
  return eventsPath && e && /^(read|write|close)$/.test(verbOf(e.op)) ? 'tracing' : 'tracefs';
}

/** The file a path names, with the run's own group and event names (tfsr_..., e1) as "group dir" and "event dir". */
function fileOf(p: string): string {
  if (/\/events\/[^/]+\/?$/.test(p)) return 'group dir';
  if (/\/events\/[^/]+\/[^/]+\/?$/.test(p)) return 'event dir';
  if (/\/instances\/[^/]+\/?$/.test(p)) return 'instance dir';
  return p.split('/').filter(Boolean).at(-1) ?? p;
}

/** "succeeds instead of ENOENT", "returns EINVAL instead of ENODEV". */
function divergence(e: Evidence): string {
  const ok = /^(success|fd)\b/.test(e.got);
  return `${ok ? 'succeeds' : `gives ${e.got.split(' ')[0]}`} instead of ${e.expected}`;
}

/** The whole Subject line, e.g. `[BUG] tracing: trigger write through fd held across kprobe removal WARNs in enable_trace_kprobe`. */
export function subjectOf(r: ScenarioResult, release: string): string {
  const lines = [...(r.health?.kernelLines ?? []), ...r.evidence.filter((e) => e.op === 'console').map((e) => e.got)];
  const complaint = kernelComplaint(lines);
  const e = primaryEvidence(r, !!complaint);
  const sub = subsystemOf(release, e, complaint);
  const inFunc = complaint?.func ? ` in ${complaint.func}` : '';
  if (!e) {
    // Only the kernel's complaint (a health failure, the VM console): titled as syzbot titles them.
    const title = complaint ? `${complaint.noun}${inFunc}` : 'kernel failure';
    return `[BUG] ${sub}: ${title} ${r.kind === 'vm' ? 'while running tracefs-regress' : `(${r.scenario}, ${r.kind})`}`;
  }
  const wrong = complaint ? `${complaint.what}${inFunc}` : undefined;
  // The kernel's call trace names the file operation that hit it (event_trigger_write): that one, with the checks' "how".
  const traced = complaint ? tracedFileOp(lines) : undefined;
  const file = traced?.file ?? fileOf(e.path);
  const verb = traced?.verb ?? verbOf(e.op);
  const q = qualifierOf(e.op, r.kind) ?? (r.race || r.stats ? `racing ${r.kind} removal` : undefined);
  const what = [file, verb, q].filter(Boolean).join(' ');
  return `[BUG] ${sub}: ${what} ${wrong ?? divergence(e)}`;
}
