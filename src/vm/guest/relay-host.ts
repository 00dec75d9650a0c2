// SPDX-License-Identifier: GPL-2.0-only
// The host's end of the self-contained guest's results channel: frames from
// the virtio console's file (relay-frame.ts) become files in the run's
// results share, where the rest of the host (the journal watch, the evidence,
// --repro-dir) reads them exactly as it reads what a 9p guest wrote.
import fs from 'node:fs';
import path from 'node:path';
import { badSharePath, FrameParser, type Frame } from './relay-frame.js';

/** All a guest may send back (reports, journal, reproducers): far above a real run's few MB. */
export const RELAY_LIMIT_BYTES = 512 * 1024 * 1024;

export class ShareSink {
  readonly parser = new FrameParser();
  private bytes = 0;
  constructor(
    private readonly share: string,
    private readonly limit = RELAY_LIMIT_BYTES,
  ) {}

  /** Bytes as they came from the port. */
  feed(chunk: Buffer): void {
    for (const f of this.parser.feed(chunk)) this.apply(f);
  }

  /** Refused lines and frames, for the boot's notes (empty when all was well). */
  get problems(): string[] {
    return this.parser.problems;
  }

  /** The relay sent its last frame: everything the guest wrote came back. */
  get ended(): boolean {
    return this.parser.ended;
  }

  private apply(f: Frame): void {
    if (f.kind === 'end') return;
    const bad = badSharePath(f.path);
    if (bad) return this.refuse(`path ${JSON.stringify(f.path.slice(0, 80))}: ${bad}`);
    if ((this.bytes += f.data.length) > this.limit) return this.refuse(`more than ${this.limit} bytes in all`);
    const file = path.join(this.share, f.path);
    let fd: number;
    try {
      const why = this.parents(f.path);
      if (why) return this.refuse(`${f.path}: ${why}`);
      // Offset 0 starts the file over (the guest replaced it, e.g. a rename into place).
      const trunc = f.offset === 0 ? fs.constants.O_TRUNC : 0;
      fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW | trunc, 0o644);
    } catch (e) {
      return this.refuse(`${f.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      if (!fs.fstatSync(fd).isFile()) return this.refuse(`${f.path}: not a regular file`);
      const size = fs.fstatSync(fd).size;
      // No holes: a frame past the end means one before it was lost.
      if (f.offset > size) return this.refuse(`${f.path}: offset ${f.offset} past its end ${size} (a frame was lost)`);
      fs.writeSync(fd, f.data, 0, f.data.length, f.offset);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Make the file's parent directories; each must be a real directory (a symlink would lead out of the share). */
  private parents(rel: string): string | undefined {
    let d = this.share;
    for (const c of rel.split('/').slice(0, -1)) {
      d = path.join(d, c);
      try {
        if (!fs.lstatSync(d).isDirectory()) return `${path.relative(this.share, d)} is no directory`;
      } catch {
        fs.mkdirSync(d);
      }
    }
    return undefined;
  }

  private refuse(why: string): void {
    if (this.parser.problems.length < 20) this.parser.problems.push(why);
  }
}
