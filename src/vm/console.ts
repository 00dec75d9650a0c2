// The guest's serial console: find kernel failure reports in it, and follow
// it while the guest runs (progress, timing of the first result).
import fs from 'node:fs';
import { MARK } from './initramfs.js';

/** Lines that mean the kernel itself failed: a panic, an oops, BUG or KASAN reports. */
export const FAILURE_PATTERNS: RegExp[] = [
  /Kernel panic - not syncing/,
  /\bOops\b/,
  /\bBUG:/,
  /\bKASAN\b/,
  /general protection fault/,
  /\bUBSAN:/,
  /list_del corruption/,
];

/** A failure line plus the RIP line that usually follows, so a report says where it happened. */
export function scanConsole(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = stripTime(lines[i]!);
    if (!FAILURE_PATTERNS.some((p) => p.test(l))) continue;
    out.push(l);
    const rip = lines.slice(i + 1, i + 12).find((x) => /\bRIP: /.test(x));
    if (rip && !out.includes(stripTime(rip))) out.push(stripTime(rip));
  }
  return out.slice(0, 40);
}

function stripTime(l: string): string {
  return l.replace(/^\[\s*\d+\.\d+\]\s*/, '').trimEnd();
}

/** Guest markers: setup error message, exit code, uptimes. */
export function parseMarkers(text: string): { error?: string; exit?: number; initUptime?: number; runUptime?: number } {
  const err = new RegExp(`${MARK.error} (.*)`).exec(text)?.[1]?.trim();
  const exit = new RegExp(`${MARK.exit} (\\d+)`).exec(text)?.[1];
  const init = new RegExp(`${MARK.init} uptime=([\\d.]+)`).exec(text)?.[1];
  const run = new RegExp(`${MARK.run} uptime=([\\d.]+)`).exec(text)?.[1];
  return {
    error: err,
    exit: exit === undefined ? undefined : Number(exit),
    initUptime: init === undefined ? undefined : Number(init),
    runUptime: run === undefined ? undefined : Number(run),
  };
}

/** Signs that the guest ran out of memory while booting (too small --memory). */
export function looksOutOfMemory(text: string): boolean {
  return /Out of memory|System is deadlocked on memory|Initramfs unpacking failed|not enough memory/i.test(text);
}

/** Follow a growing file by polling; each complete line goes to onLine with ms since start. */
export class ConsoleTail {
  private pos = 0;
  private rest = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly t0 = Date.now();

  constructor(
    private readonly file: string,
    private readonly onLine: (line: string, ms: number) => void,
    private readonly intervalMs = 100,
  ) {}

  start(): this {
    this.timer = setInterval(() => this.poll(), this.intervalMs);
    return this;
  }

  poll(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, this.pos);
        if (n <= 0) break;
        this.pos += n;
        this.rest += buf.toString('utf8', 0, n);
      }
    } finally {
      fs.closeSync(fd);
    }
    const parts = this.rest.split(/\r?\n/);
    this.rest = parts.pop() ?? '';
    const ms = Date.now() - this.t0;
    for (const l of parts) this.onLine(l, ms);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.poll();
    if (this.rest) this.onLine(this.rest, Date.now() - this.t0);
    this.rest = '';
  }
}
