// SPDX-License-Identifier: GPL-2.0-only
// Kernel faults out of console or kmsg lines: what kind of report (a NULL
// dereference, a general protection fault, a WARNING, a KASAN report) and the
// function it happened in, without offsets. A known bug's console signature
// is such a pair, so it matches the same fault on any build of any release
// (offsets change with every compiler and config), and never a function that
// only appears further down a call trace. The patterns are health/splat.ts's.
import { FAULT_HEADERS, FAULT_KINDS, LOCATION, type FaultKind } from '../health/splat.js';

export { FAULT_KINDS, type FaultKind };

/** One fault report: its kind, the function it hit (undefined when the lines do not say), and the line naming it. */
export interface Fault {
  kind: FaultKind;
  function?: string;
  line: string;
}

const headers = (named: boolean) =>
  FAULT_KINDS.filter((k) => FAULT_HEADERS[k].named === named).map((kind) => ({ kind, re: FAULT_HEADERS[kind].re }));
/** Headers whose line names the function itself. */
const WITH_FUNCTION = headers(true);
/** Headers whose function comes on a later line (RIP on x86, pc on arm64). */
const WITHOUT_FUNCTION = headers(false);

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
