// SPDX-License-Identifier: GPL-2.0-only
// Decodes /proc/sys/kernel/tainted the way the kernel prints it. The table is
// kernel/panic.c's taint_flags[], indexed by bit number (TAINT_* in
// include/linux/panic.h): the position of each letter is the bit, so S (2)
// comes before R (3) even though "PFRSMBUDAWCIOELKXTNJ" is the order people recite.

export interface TaintFlag {
  bit: number;
  /** Printed when the bit is set. */
  letter: string;
  /** Printed when clear: ' ' for all but bit 0, which prints 'G' (only GPL modules). */
  unset: string;
  name: string;
}

export const TAINT_FLAGS: readonly TaintFlag[] = Object.freeze([
  { bit: 0, letter: 'P', unset: 'G', name: 'PROPRIETARY_MODULE' },
  { bit: 1, letter: 'F', unset: ' ', name: 'FORCED_MODULE' },
  { bit: 2, letter: 'S', unset: ' ', name: 'CPU_OUT_OF_SPEC' },
  { bit: 3, letter: 'R', unset: ' ', name: 'FORCED_RMMOD' },
  { bit: 4, letter: 'M', unset: ' ', name: 'MACHINE_CHECK' },
  { bit: 5, letter: 'B', unset: ' ', name: 'BAD_PAGE' },
  { bit: 6, letter: 'U', unset: ' ', name: 'USER' },
  { bit: 7, letter: 'D', unset: ' ', name: 'DIE' },
  { bit: 8, letter: 'A', unset: ' ', name: 'OVERRIDDEN_ACPI_TABLE' },
  { bit: 9, letter: 'W', unset: ' ', name: 'WARN' },
  { bit: 10, letter: 'C', unset: ' ', name: 'CRAP' },
  { bit: 11, letter: 'I', unset: ' ', name: 'FIRMWARE_WORKAROUND' },
  { bit: 12, letter: 'O', unset: ' ', name: 'OOT_MODULE' },
  { bit: 13, letter: 'E', unset: ' ', name: 'UNSIGNED_MODULE' },
  { bit: 14, letter: 'L', unset: ' ', name: 'SOFTLOCKUP' },
  { bit: 15, letter: 'K', unset: ' ', name: 'LIVEPATCH' },
  { bit: 16, letter: 'X', unset: ' ', name: 'AUX' },
  { bit: 17, letter: 'T', unset: ' ', name: 'RANDSTRUCT' },
  { bit: 18, letter: 'N', unset: ' ', name: 'TEST' },
  { bit: 19, letter: 'J', unset: ' ', name: 'FWCTL' },
]);

// BigInt throughout: JS bitwise operators are 32-bit signed, and the mask is an unsigned long.
function bits(mask: number): bigint {
  if (!Number.isSafeInteger(mask) || mask < 0)
    throw new RangeError(`taint mask must be a non-negative integer, got ${mask}`);
  return BigInt(mask);
}

function isSet(m: bigint, bit: number): boolean {
  return ((m >> BigInt(bit)) & 1n) === 1n;
}

/** Bit numbers set in mask, ascending. */
export function taintBits(mask: number): number[] {
  const m = bits(mask);
  const out: number[] = [];
  for (let b = 0; m >> BigInt(b) !== 0n; b++) if (isSet(m, b)) out.push(b);
  return out;
}

/**
 * The letters of the set bits only ('' when untainted), e.g. 'DW'. A bit newer
 * than this table shows as `#<bit>` so a future taint is never silently dropped.
 */
export function taintLetters(mask: number): string {
  return taintBits(mask)
    .map((b) => TAINT_FLAGS[b]?.letter ?? `#${b}`)
    .join('');
}

/**
 * Exactly what the kernel's print_tainted() shows in an oops header:
 * 'Not tainted', or 'Tainted: ' plus one position-sensitive column per known flag
 * (e.g. 'Tainted: G        W          ').
 */
export function printTainted(mask: number): string {
  const m = bits(mask);
  if (m === 0n) return 'Not tainted';
  return 'Tainted: ' + TAINT_FLAGS.map((f) => (isSet(m, f.bit) ? f.letter : f.unset)).join('');
}

/** Bits set in `after` that were clear in `before`: taint never clears, so these are what happened. */
export function taintGained(before: number, after: number): number {
  return Number(bits(after) & ~bits(before));
}

/** '[W]=WARN, [D]=DIE': the verbose form, for diagnostics. */
export function describeTaint(mask: number): string {
  return taintBits(mask)
    .map((b) => {
      const f = TAINT_FLAGS[b];
      return f ? `[${f.letter}]=${f.name}` : `[#${b}]=unknown`;
    })
    .join(', ');
}
