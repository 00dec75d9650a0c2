// SPDX-License-Identifier: GPL-2.0-only
// The kernel's splats: the lines with which it reports that it failed or
// warned, written once for every reader of kernel text: the guest's serial
// console (vm/boot/console.ts), /dev/kmsg records (health/kmsg.ts), a bug report's
// Subject (report/lkml-subject.ts) and a known bug's console signature
// (expect/console-faults.ts). Every pattern matches inside one line and none
// is anchored at its start, so each reader keeps its own framing (a dmesg
// timestamp, a guest's indented echo, a kmsg record's prefix) and its own
// policy (which kinds it counts, how far after a header it looks).

/** A kernel symbol followed by its offset (`eventfs_iterate+0x29c/0x340`); the offset is not part of the name. */
export const SYMBOL = String.raw`([A-Za-z_][A-Za-z0-9_.]*)\+0x[0-9a-f]+`;

const GPF = /\bgeneral protection fault\b/;

export type SplatKind =
  | 'panic'
  | 'oops'
  | 'bug'
  | 'kasan'
  | 'general protection fault'
  | 'ubsan'
  | 'list corruption'
  | 'warning'
  | 'refcount';

export interface Splat {
  kind: SplatKind;
  /** A line that opens (or on its own is) such a report. */
  header: RegExp;
  /** The kernel itself failed (died, or found memory corrupted); a warning leaves it running as it was. */
  failure: boolean;
  /** Titled "oops" in a bug report, named by the function of its RIP line (KASAN has a title of its own). */
  oops: boolean;
}

/** Every kind of splat, each with the one pattern every reader matches it by. */
export const SPLATS: readonly Splat[] = Object.freeze([
  { kind: 'panic', header: /\bKernel panic - not syncing\b/, failure: true, oops: true },
  { kind: 'oops', header: /\bOops\b/, failure: true, oops: true },
  { kind: 'bug', header: /\bBUG:/, failure: true, oops: true },
  // A KASAN report opens with "BUG: KASAN:"; a GPF on a KASAN kernel adds "KASAN: null-ptr-deref in range".
  { kind: 'kasan', header: /\bKASAN:/, failure: true, oops: false },
  { kind: 'general protection fault', header: GPF, failure: true, oops: true },
  { kind: 'ubsan', header: /\bUBSAN:/, failure: true, oops: false },
  // __list_del_entry_valid_or_report: "list_del corruption. prev->next should be ...".
  { kind: 'list corruption', header: /list_del corruption/, failure: true, oops: false },
  { kind: 'warning', header: /\bWARNING:/, failure: false, oops: false },
  { kind: 'refcount', header: /\brefcount_t:/, failure: false, oops: false },
] as const);

/** The kinds of the splats a line opens (a line may open several: "BUG: KASAN: ..."). */
export function splatKinds(line: string): SplatKind[] {
  return SPLATS.filter((s) => s.header.test(line)).map((s) => s.kind);
}

/** The line that opens a stack dump on x86 (the frames follow, one a line). */
export const CALL_TRACE = 'Call Trace:';

/** The x86 register dump's first line (kernel or user RIP), which says where the CPU was. */
export const RIP_LINE = /\bRIP: /;

/** Where a fault happened, as a function: "RIP: 0010:eventfs_iterate+0x29c/0x340" (x86-64), "EIP: ", "pc : " (arm64). */
export const LOCATION = new RegExp(String.raw`(?:\bRIP: [0-9a-f]{4}:|\bEIP: |\bpc : )${SYMBOL}`);

/** "WARNING: CPU: 0 PID: 1 at kernel/x.c:358 f+0x1a2/0x1c0" (to 6.18), "WARNING: kernel/x.c:358 at f+0x33/0x2a0, CPU#1: ..." (later). */
export const WARNING_AT = new RegExp(String.raw`\bWARNING: .*?\b${SYMBOL}`);

/** "BUG: KASAN: slab-use-after-free in f_show+0x43b/0x470": the bug type and the function (a quoted header may lack the offset). */
export const KASAN_REPORT = /\bBUG: KASAN: ([\w-]+) in ([A-Za-z_][\w.]*)/;

/** What the kernel said, from its own lines: the kind of report and the function it names. */
export interface KernelComplaint {
  /** As a verb after the operation: "WARNs", "oopses", "hits KASAN slab-use-after-free". */
  what: string;
  /** As a title of its own, syzbot's way: "WARNING", "oops", "KASAN: slab-use-after-free". */
  noun: string;
  func?: string;
}

const isOops = (l: string): boolean => SPLATS.some((s) => s.oops && s.header.test(l));

/** The first complaint in kernel lines: a KASAN report, an oops (with the RIP's function), or a WARNING. */
export function kernelComplaint(lines: readonly string[]): KernelComplaint | undefined {
  for (const l of lines) {
    const k = KASAN_REPORT.exec(l);
    if (k) return { what: `hits KASAN ${k[1]}`, noun: `KASAN: ${k[1]}`, func: k[2] };
  }
  if (lines.some(isOops)) {
    const rip = lines.map((l) => LOCATION.exec(l)).find((m) => m);
    return { what: 'oopses', noun: 'oops', ...(rip ? { func: rip[1] } : {}) };
  }
  for (const l of lines) {
    const w = WARNING_AT.exec(l);
    if (w) return { what: 'WARNs', noun: 'WARNING', func: w[1] };
  }
  return undefined;
}

/** The kinds of fault a known bug's console signature can name (expectation files spell them so). */
export const FAULT_KINDS = [
  'NULL pointer dereference',
  'general protection fault',
  'page fault',
  'WARNING',
  'KASAN use-after-free',
  'KASAN out-of-bounds',
  'kernel BUG',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultHeader {
  re: RegExp;
  /** The header names the function itself (group 1); otherwise a LOCATION line after it does. */
  named: boolean;
}

/** The header of each fault kind: a splat narrowed to what a signature names. */
export const FAULT_HEADERS: Readonly<Record<FaultKind, FaultHeader>> = Object.freeze({
  'NULL pointer dereference': {
    re: /\bBUG: kernel NULL pointer dereference\b|\bUnable to handle kernel NULL pointer dereference\b/,
    named: false,
  },
  'general protection fault': { re: GPF, named: false },
  'page fault': {
    re: /\bBUG: unable to handle page fault\b|\bUnable to handle kernel paging request\b/,
    named: false,
  },
  WARNING: { re: WARNING_AT, named: true },
  'KASAN use-after-free': {
    re: new RegExp(String.raw`\bBUG: KASAN: [a-z-]*use-after-free in ${SYMBOL}`),
    named: true,
  },
  'KASAN out-of-bounds': {
    re: new RegExp(String.raw`\bBUG: KASAN: [a-z-]*out-of-bounds in ${SYMBOL}`),
    named: true,
  },
  'kernel BUG': { re: /\bkernel BUG at \S+/, named: false },
});

/** `Oops: int3`: what QEMU's multi-threaded TCG before 8.1 raises while the kernel patches text. */
export const INT3_OOPS = /\bOops: int3\b/;
