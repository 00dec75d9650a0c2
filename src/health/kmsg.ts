// SPDX-License-Identifier: GPL-2.0-only
// New kernel-log records from /dev/kmsg. Each read(2) returns exactly one record
// "pri,seq,ts_usec,flags[,...];message\n" followed by optional " KEY=value" lines.
// Parsing and matching only (pure); kmsg-reader.ts is the thin layer over the fd.
import { CALL_TRACE, SPLATS } from './splat.js';

export interface KmsgRecord {
  /** syslog facility<<3 | level. */
  priority: number;
  level: number;
  facility: number;
  seq: number;
  /** Microseconds since boot. */
  tsUsec: number;
  /** '-' whole record, 'c' / '+' fragments of a continued line (older kernels). */
  flags: string;
  /**
   * The text, UTF-8 decoded, safe to print: control characters but newline are \xNN (unescapeKmsg).
   * May hold several lines when printk was handed embedded newlines.
   */
  message: string;
}

/**
 * The bytes of a record's text. The kernel writes every byte below ' ', from
 * 127 up, and '\' itself as \xNN (printk.c, msg_add_ext_text), so UTF-8 text
 * arrives escaped byte by byte; anything else arriving unescaped is taken as UTF-8.
 */
export function kmsgBytes(s: string): Buffer {
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of s.matchAll(/\\x([0-9a-fA-F]{2})/g)) {
    parts.push(Buffer.from(s.slice(last, m.index), 'utf8'), Buffer.from([parseInt(m[1]!, 16)]));
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(s.slice(last), 'utf8'));
  return Buffer.concat(parts);
}

/** Length of the well-formed UTF-8 sequence at b[i] (RFC 3629: no overlongs, surrogates or > U+10FFFF), 0 if none. */
function utf8Length(b: Buffer, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

const hex2 = (n: number): string => `\\x${n.toString(16).padStart(2, '0')}`;

/**
 * Text a terminal can be shown: UTF-8 decoded, newlines kept (they split a
 * record into lines), every other control character (C0, DEL, C1 such as
 * U+009B, a CSI) and every byte that is not part of well-formed UTF-8 written
 * as \xNN, so no kernel byte reaches a terminal or a report raw.
 */
export function visibleText(b: Buffer): string {
  let out = '';
  for (let i = 0; i < b.length;) {
    const n = utf8Length(b, i);
    if (n === 0) {
      out += hex2(b[i]!);
      i++;
      continue;
    }
    const ch = b.toString('utf8', i, i + n);
    const cp = ch.codePointAt(0)!;
    if (cp === 0x0a) out += ch;
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) out += hex2(cp);
    else out += ch;
    i += n;
  }
  return out;
}

/** A record's escaped text as a reader may see it: \xNN undone, UTF-8 decoded, control characters but newline escaped. */
export function unescapeKmsg(s: string): string {
  return visibleText(kmsgBytes(s));
}

/** One record as read(2) returned it; undefined if it is not a kmsg record. */
export function parseKmsgRecord(raw: string): KmsgRecord | undefined {
  const semi = raw.indexOf(';');
  if (semi < 0) return undefined;
  const prefix = raw.slice(0, semi).split(',');
  if (prefix.length < 4) return undefined;
  const [pri, seq, ts] = prefix.map(Number) as [number, number, number];
  if (![pri, seq, ts].every(Number.isFinite)) return undefined;
  // The message ends at the first newline; what follows are dictionary lines (" SUBSYSTEM=...").
  const body = raw.slice(semi + 1);
  const nl = body.indexOf('\n');
  const message = unescapeKmsg(nl < 0 ? body : body.slice(0, nl));
  return { priority: pri, level: pri & 7, facility: pri >> 3, seq, tsUsec: ts, flags: prefix[3] ?? '-', message };
}

/** A line that opens a kernel report (any splat kind: KASAN, BUG/oops, WARN, UBSAN, list debugging, refcount) or its stack dump. */
export function isAlarm(line: string): boolean {
  return SPLATS.some((s) => s.header.test(line)) || line.includes(CALL_TRACE);
}

/** dmesg's "[   12.345678] " prefix, so quoted lines can be matched against a console log. */
export function formatKmsgLine(tsUsec: number, line: string): string {
  const s = Math.floor(tsUsec / 1e6);
  const us = String(tsUsec % 1e6).padStart(6, '0');
  return `[${String(s).padStart(5, ' ')}.${us}] ${line}`;
}

export interface ScanLimits {
  /** Lines kept after each matching line: the rest of the splat (registers, Call Trace). */
  context: number;
  /** Hard cap on lines kept per scan, so a log flood cannot grow a report without bound. */
  maxLines: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { context: 30, maxLines: 400 };

/** Keeps matching lines plus the following context; counts what it had to drop. */
export class KmsgScanner {
  readonly lines: string[] = [];
  /** Lines that isAlarm took for a report's. */
  alarms = 0;
  /** Kept-worthy lines dropped over maxLines. */
  dropped = 0;
  private remaining = 0;

  constructor(private readonly limits: ScanLimits = DEFAULT_SCAN_LIMITS) {}

  /** Feeds one raw record (as read from /dev/kmsg) or an already parsed one. */
  feed(rec: string | KmsgRecord): void {
    const r = typeof rec === 'string' ? parseKmsgRecord(rec) : rec;
    if (!r) return;
    for (const line of r.message.split('\n')) this.feedLine(r.tsUsec, line);
  }

  private feedLine(tsUsec: number, line: string): void {
    if (isAlarm(line)) {
      this.alarms++;
      this.remaining = this.limits.context; // a second marker inside a splat extends the window
    } else if (this.remaining > 0) {
      this.remaining--;
    } else {
      return;
    }
    if (this.lines.length < this.limits.maxLines) this.lines.push(formatKmsgLine(tsUsec, line));
    else this.dropped++;
  }
}

export interface DrainResult {
  records: string[];
  /** EPIPE count: records overwritten in the ring buffer before we read them. */
  overwritten: number;
  /** A read error other than EAGAIN/EPIPE (reading stops there). */
  error?: string;
}
