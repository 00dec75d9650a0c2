// New kernel-log records from /dev/kmsg. Each read(2) returns exactly one record
// "pri,seq,ts_usec,flags[,...];message\n" followed by optional " KEY=value" lines.
// Parsing and matching only (pure); kmsg-reader.ts is the thin layer over the fd.

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
  /** Unescaped text; may hold several lines when printk was handed embedded newlines. */
  message: string;
}

/** The kernel escapes non-printable bytes (and '\' itself) as \xNN; undo it. */
export function unescapeKmsg(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
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

/** The markers of a kernel report: KASAN, BUG/oops, WARN, UBSAN, list debugging, refcount. */
export const ALARM_PATTERNS: readonly string[] = Object.freeze([
  'BUG:',
  'KASAN:',
  'WARNING:',
  'Oops',
  'general protection',
  'Call Trace:',
  'list_del corruption',
  'refcount_t:',
  'UBSAN:',
]);

export function isAlarm(line: string): boolean {
  return ALARM_PATTERNS.some((p) => line.includes(p));
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
  /** Lines that matched an ALARM_PATTERN. */
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
