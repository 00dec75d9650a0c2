// SPDX-License-Identifier: GPL-2.0-only
// The guest's serial console: find kernel failure reports in it, and follow
// it while the guest runs (progress, timing of the first result).
import fs from 'node:fs';
import { MARK } from '../guest/initramfs.js';
import { openGuestFile } from '../guest/file.js';
import { CALL_TRACE, RIP_LINE, SPLATS } from '../../health/splat.js';

/** Lines that mean the kernel itself failed: a panic, an oops, BUG or KASAN reports (not a WARNING). */
export const FAILURE_PATTERNS: RegExp[] = SPLATS.filter((s) => s.failure).map((s) => s.header);

export function isFailureLine(line: string): boolean {
  const l = stripTime(line);
  return FAILURE_PATTERNS.some((p) => p.test(l));
}

/**
 * A failure line plus the RIP line that usually follows and the first frames
 * of its Call Trace, so a report says where it happened and how it got there.
 */
export function scanConsole(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  const add = (l: string | undefined) => {
    if (l && !out.includes(l)) out.push(l);
  };
  for (let i = 0; i < lines.length; i++) {
    if (!isFailureLine(lines[i]!)) continue;
    add(stripTime(lines[i]!));
    const next = lines.slice(i + 1, i + 40).map(stripTime);
    add(next.slice(0, 11).find((x) => RIP_LINE.test(x)));
    const trace = next.findIndex((x) => x === CALL_TRACE);
    if (trace >= 0) add(callTraceLine(next.slice(trace + 1)));
  }
  return out.slice(0, 40);
}

/** Frames the oops machinery itself adds on top of the faulting function (the unwinder marks them '?'). */
const OOPS_MACHINERY = new RegExp(
  `^(${[
    '__die',
    'die',
    'die_addr',
    'page_fault_oops',
    'do_user_addr_fault',
    'exc_page_fault',
    'asm_exc_page_fault',
    'kernelmode_fixup_or_oops',
    '__bad_area_nosemaphore',
    'bad_area_nosemaphore',
    'do_trap',
    'do_error_trap',
    'exc_general_protection',
    'asm_exc_general_protection',
    'exc_invalid_op',
    'asm_exc_invalid_op',
    'handle_bug',
    'exc_int3',
    'asm_exc_int3',
    'show_regs',
    'show_trace_log_lvl',
    'dump_stack\\w*',
    'fixup_exception',
    'search_exception_tables',
  ].join('|')})\\+`,
);

/**
 * "Call Trace: f+0x1/0x2 g+0x3/0x4 ..." from the lines after `Call Trace:`:
 * the first 4 reliable frames, or, when the unwinder marked every frame '?'
 * (a kernel without ORC or frame pointers: the guess unwinder, which also
 * lists stale return addresses), the first 4 that are not the oops
 * machinery, still marked '?' so nobody reads them as a certain path.
 */
export function callTraceLine(after: string[]): string | undefined {
  const frames: { fn: string; reliable: boolean }[] = [];
  for (const raw of after) {
    const l = raw.trim();
    if (/^<\/?(TASK|IRQ|NMI|SOFTIRQ)>$/.test(l)) continue;
    const m = /^(\? )?([\w.$]+\+0x[0-9a-f]+\/0x[0-9a-f]+)(?: \[\w+\])?$/.exec(l);
    if (!m) break;
    frames.push({ fn: m[2]!, reliable: !m[1] });
  }
  const reliable = frames.filter((f) => f.reliable);
  const pick = (reliable.length ? reliable : frames.filter((f) => !OOPS_MACHINERY.test(f.fn))).slice(0, 4);
  return pick.length ? `Call Trace: ${pick.map((f) => `${f.reliable ? '' : '? '}${f.fn}`).join(' ')}` : undefined;
}

/** The kernel's own line, or the guest's indented echo of it in a FAIL result's evidence: the same text. */
function stripTime(l: string): string {
  return l.replace(/^\s*\[\s*\d+\.\d+\]\s*/, '').trimEnd();
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
  constructor(
    private readonly file: string,
    private readonly onLine: (line: string, ms: number) => void,
    private readonly intervalMs = 100,
    /** The clock's zero: tails of one guest share it, so their times compare. */
    private readonly t0 = Date.now(),
  ) {}

  start(): this {
    this.timer = setInterval(() => this.poll(), this.intervalMs);
    return this;
  }

  poll(): void {
    // The journal is in the guest's share: never follow a link or block on a FIFO there.
    const fd = openGuestFile(this.file);
    if (fd === undefined) return;
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
