// SPDX-License-Identifier: GPL-2.0-only
// How the kernel reads what we write to a control file, as predicates for the
// property tests: independent of src/probes/names.ts (char loops, no regex
// shared with it), so a validator is checked against the kernel's rules and
// not against itself.

const isAlpha = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string) => c >= '0' && c <= '9';

/** MAX_EVENT_NAME_LEN in kernel/trace/trace.h. */
export const KERNEL_MAX_NAME = 64;

/** The kernel's is_good_name() (kernel/trace/trace_probe.c) and its length limit. */
export function kernelGoodName(s: unknown): boolean {
  if (typeof s !== 'string' || s.length === 0 || s.length > KERNEL_MAX_NAME) return false;
  if (!(isAlpha(s[0]!) || s[0] === '_')) return false;
  for (const c of s.slice(1)) if (!isAlpha(c) && !isDigit(c) && c !== '_') return false;
  return true;
}

/** A kernel symbol as we pass it: [A-Za-z_][A-Za-z0-9_.]*, at most 256 (no ':' module prefix, no '+' offset). */
export function plainSymbol(s: unknown): boolean {
  if (typeof s !== 'string' || s.length === 0 || s.length > 256) return false;
  if (!(isAlpha(s[0]!) || s[0] === '_')) return false;
  return [...s].every((c) => isAlpha(c) || isDigit(c) || c === '_' || c === '.');
}

/**
 * One command as the kernel reads it (trace_parse_run_command splits at '\n',
 * argv_split at isspace(), whose Latin-1 table includes byte 0xa0): every
 * UTF-8 byte printable ASCII, not empty, no leading or trailing space.
 */
export function isOneCommand(line: unknown): boolean {
  if (typeof line !== 'string') return false;
  const bytes = Buffer.from(line, 'utf8');
  return (
    bytes.length > 0 &&
    bytes.every((b) => b >= 0x20 && b <= 0x7e) &&
    bytes[0] !== 0x20 &&
    bytes[bytes.length - 1] !== 0x20
  );
}
