// Kernel faults out of console or kmsg lines: what kind of report (a NULL
// dereference, a general protection fault, a WARNING, a KASAN report) and the
// function it happened in, without offsets. A known bug's console signature
// is such a pair, so it matches the same fault on any build of any release
// (offsets change with every compiler and config), and never a function that
// only appears further down a call trace.

/** The kinds of fault a console signature can name. */
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

/** One fault report: its kind, the function it hit (undefined when the lines do not say), and the line naming it. */
export interface Fault {
  kind: FaultKind;
  function?: string;
  line: string;
}

/** A kernel symbol followed by its offset (`eventfs_iterate+0x29c/0x340`): the offset is not part of the name. */
const SYMBOL = String.raw`([A-Za-z_][A-Za-z0-9_.]*)\+0x[0-9a-f]+`;

/** Headers whose line names the function itself. */
const WITH_FUNCTION: { kind: FaultKind; re: RegExp }[] = [
  // "WARNING: CPU: 0 PID: 1 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x..." (to 6.18),
  // "WARNING: kernel/trace/trace_kprobe.c:358 at enable_trace_kprobe+0x..., CPU#0: ..." (later).
  { kind: 'WARNING', re: new RegExp(String.raw`\bWARNING: .*?\b${SYMBOL}`) },
  { kind: 'KASAN use-after-free', re: new RegExp(String.raw`\bBUG: KASAN: [a-z-]*use-after-free in ${SYMBOL}`) },
  { kind: 'KASAN out-of-bounds', re: new RegExp(String.raw`\bBUG: KASAN: [a-z-]*out-of-bounds in ${SYMBOL}`) },
];

/** Headers whose function comes on a later line (RIP on x86, pc on arm64). */
const WITHOUT_FUNCTION: { kind: FaultKind; re: RegExp }[] = [
  {
    kind: 'NULL pointer dereference',
    re: /\bBUG: kernel NULL pointer dereference\b|\bUnable to handle kernel NULL pointer dereference\b/,
  },
  { kind: 'general protection fault', re: /\bgeneral protection fault\b/ },
  { kind: 'page fault', re: /\bBUG: unable to handle page fault\b|\bUnable to handle kernel paging request\b/ },
  { kind: 'kernel BUG', re: /\bkernel BUG at \S+/ },
];

/** Where a fault happened: "RIP: 0010:eventfs_iterate+0x29c/0x340", "pc : eventfs_iterate+0x2c0/0x398". */
const LOCATION = new RegExp(String.raw`(?:\bRIP: [0-9a-f]{4}:|\bEIP: |\bpc : )${SYMBOL}`);

/** A header's function line comes within the next few lines (the console scan keeps RIP right after its header). */
const LOCATION_WINDOW = 12;

/** `set_ptes.isra.0` -> `set_ptes`: the compiler's clone suffixes are not part of the function's name. */
export function baseName(symbol: string): string {
  return symbol.replace(/\.(?:isra|constprop|part|cold|llvm)\b.*$/, '');
}

/** Every fault reported in the lines, in order. */
export function faultsIn(lines: readonly string[]): Fault[] {
  const out: Fault[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const named = WITH_FUNCTION.map((h) => ({ kind: h.kind, m: h.re.exec(l) })).find((x) => x.m);
    if (named) {
      out.push({ kind: named.kind, function: baseName(named.m![1]!), line: l });
      continue;
    }
    const header = WITHOUT_FUNCTION.find((h) => h.re.test(l));
    if (!header) continue;
    let fn: string | undefined;
    let at = l;
    for (const next of lines.slice(i + 1, i + 1 + LOCATION_WINDOW)) {
      // Another report starts: this one said nowhere where it happened.
      if (WITH_FUNCTION.some((h) => h.re.test(next)) || WITHOUT_FUNCTION.some((h) => h.re.test(next))) break;
      const m = LOCATION.exec(next);
      if (m) {
        fn = baseName(m[1]!);
        at = next;
        break;
      }
    }
    out.push({ kind: header.kind, ...(fn !== undefined ? { function: fn } : {}), line: at });
  }
  return out;
}
