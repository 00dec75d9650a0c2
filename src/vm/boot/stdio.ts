// SPDX-License-Identifier: GPL-2.0-only
// `vm --exec`: the guest program's stdout and stderr arrive in two files QEMU
// writes (the guest's ttyS1 and ttyS2, raw). Each is followed by polling and
// handed on as bytes, unchanged: no line splitting, no decoding, so binary
// output and a last line without a newline come through exactly.
import fs from 'node:fs';

export class ByteTail {
  private pos = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly file: string,
    private readonly onData: (chunk: Buffer) => void,
    private readonly intervalMs = 50,
  ) {}

  start(): this {
    this.timer = setInterval(() => this.poll(), this.intervalMs);
    return this;
  }

  /** Hand on whatever was appended since the last poll; false when nothing was. */
  poll(): boolean {
    let fd: number;
    try {
      // QEMU creates the file; until then there is nothing to read.
      fd = fs.openSync(this.file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    } catch {
      return false;
    }
    let got = false;
    try {
      if (!fs.fstatSync(fd).isFile()) return false;
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, this.pos);
        if (n <= 0) break;
        this.pos += n;
        got = true;
        this.onData(Buffer.from(buf.subarray(0, n)));
      }
    } finally {
      fs.closeSync(fd);
    }
    return got;
  }

  /** Stop polling and hand on the rest. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.poll();
  }
}
