// SPDX-License-Identifier: GPL-2.0-only
// The fd layer over /dev/kmsg: non-blocking, positioned at the end, drained
// until EAGAIN. Each read(2) returns exactly one record (see kmsg.ts).
import { native, C, isErr } from '../native/index.js';
import type { DrainResult } from './kmsg.js';

/** Reads per drain, so a kernel logging in a loop cannot keep us here forever. */
const MAX_RECORDS_PER_DRAIN = 100_000;
/** Larger than any record (LOG_LINE_MAX 1024 + dictionary); too small gives EINVAL. */
const READ_SIZE = 16_384;

/** An fd on /dev/kmsg positioned at the end: only records logged after open() are seen. */
export class KmsgReader {
  private constructor(private fd: number) {}

  /** A reader, or the reason /dev/kmsg cannot be watched (not root, dmesg_restrict, no such device). */
  static open(path = '/dev/kmsg'): KmsgReader | { error: string } {
    const fd = native.open(path, C.O_RDONLY | C.O_NONBLOCK);
    if (isErr(fd)) return { error: `${path}: ${fd.code}` };
    // SEEK_END on /dev/kmsg skips the history: boot messages are not this run's business.
    const s = native.lseek(fd, 0, C.SEEK_END);
    if (isErr(s)) {
      native.close(fd);
      return { error: `${path}: lseek ${s.code}` };
    }
    return new KmsgReader(fd);
  }

  drain(): DrainResult {
    const out: DrainResult = { records: [], overwritten: 0 };
    if (this.fd < 0) return { ...out, error: 'closed' };
    for (let i = 0; i < MAX_RECORDS_PER_DRAIN; i++) {
      const b = native.read(this.fd, READ_SIZE);
      if (isErr(b)) {
        if (b.code === 'EAGAIN') break;
        // EPIPE: the ring wrapped past our position; the next read resumes at the oldest record left.
        if (b.code === 'EPIPE') {
          out.overwritten++;
          continue;
        }
        out.error = `read /dev/kmsg: ${b.code}`;
        break;
      }
      if (b.length === 0) break;
      out.records.push(b.toString('utf8'));
    }
    return out;
  }

  close(): void {
    if (this.fd >= 0) native.close(this.fd);
    this.fd = -1;
  }
}
