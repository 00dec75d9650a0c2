// SPDX-License-Identifier: GPL-2.0-only
// Runs INSIDE the self-contained guest (docs/vm-boot.md), started by its /init
// next to the guest command: sends every file of the results share to the
// host over the virtio console, as they grow (the run journal live), framed
// by relay-frame.ts. On SIGTERM (the command ended) it sends what is left and
// its end frame, then exits. Node and this file only: nothing else is there.
import fs from 'node:fs';
import path from 'node:path';
import { encodeFrame, FRAME_DATA_MAX } from './relay-frame.js';

/** How often the share is looked at: the journal's records reach the host this much later at most. */
const POLL_MS = 200;

export class Relay {
  private seq = 0;
  /** Per file: the inode sent and how far. */
  private sent = new Map<string, { ino: number; off: number }>();
  constructor(
    private readonly share: string,
    private readonly write: (line: string) => void,
  ) {}

  /** Send what changed since the last pass. */
  pass(): void {
    this.scan(this.share, '');
  }

  end(): void {
    this.pass();
    this.write(encodeFrame({ kind: 'end', seq: this.seq++ }));
  }

  private scan(dir: string, rel: string): void {
    let ents: fs.Dirent[];
    try {
      ents = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // Hidden names are writers' temporary files (renamed into place when complete).
    for (const e of ents.filter((x) => !x.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) this.scan(path.join(dir, e.name), r);
      else if (e.isFile()) this.pump(path.join(dir, e.name), r);
    }
  }

  private pump(file: string, rel: string): void {
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    } catch {
      return;
    }
    try {
      const st = fs.fstatSync(fd);
      const was = this.sent.get(rel);
      // A new file, or one replaced or cut short, is sent again from 0 (the host starts it over).
      let off = was && was.ino === st.ino && st.size >= was.off ? was.off : -1;
      if (off === st.size) return;
      const buf = Buffer.alloc(FRAME_DATA_MAX);
      if (off < 0) {
        off = 0;
        const n = fs.readSync(fd, buf, 0, buf.length, 0);
        this.write(encodeFrame({ kind: 'file', seq: this.seq++, path: rel, offset: 0, data: buf.subarray(0, n) }));
        off = n;
      }
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, off);
        if (n <= 0) break;
        this.write(encodeFrame({ kind: 'file', seq: this.seq++, path: rel, offset: off, data: buf.subarray(0, n) }));
        off += n;
      }
      this.sent.set(rel, { ino: st.ino, off });
    } finally {
      fs.closeSync(fd);
    }
  }
}

function main(): void {
  const [share, port, ready] = process.argv.slice(2);
  if (!share || !port || !ready) {
    process.stderr.write('usage: guest-relay SHARE PORT READY-FILE\n');
    process.exit(2);
  }
  const fd = fs.openSync(port, 'w');
  const relay = new Relay(share, (line) => {
    const b = Buffer.from(line, 'latin1');
    for (let o = 0; o < b.length;) o += fs.writeSync(fd, b, o);
  });
  const timer = setInterval(() => relay.pass(), POLL_MS);
  process.on('SIGTERM', () => {
    clearInterval(timer);
    relay.end();
    fs.closeSync(fd);
    process.exit(0);
  });
  // /init starts the guest command only now: a command that ends at once still finds the relay listening.
  fs.writeFileSync(ready, '');
}

if (process.argv[1] && import.meta.url === `file://${path.resolve(process.argv[1])}`) main();
