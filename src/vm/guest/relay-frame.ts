// SPDX-License-Identifier: GPL-2.0-only
// The framing of the self-contained guest's results channel (docs/vm-boot.md):
// the guest's relay (relay.ts) sends the files of its results share to
// the host over a virtio console, as one ASCII line per frame:
//
//   TFSR1 F <seq> <path, base64url> <offset> <bytes, base64> <check>
//   TFSR1 E <seq> <check>                          (the relay's last frame)
//
// <check> is the first 16 hex digits of the SHA-256 of everything before it.
// A line that is cut, garbled or out of order fails its check or its parse and
// is refused on its own; the frames around it still count. Pure: both sides
// import it, and the guest runs it under node with nothing but node's crypto.
import crypto from 'node:crypto';

export const FRAME_MAGIC = 'TFSR1';
/** Raw bytes per frame: a line stays under 4.2 KB. */
export const FRAME_DATA_MAX = 3072;

export type Frame =
  { kind: 'file'; seq: number; path: string; offset: number; data: Buffer } | { kind: 'end'; seq: number };

const check = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);

/** One frame as its line (with the newline). */
export function encodeFrame(f: Frame): string {
  const body =
    f.kind === 'end'
      ? `${FRAME_MAGIC} E ${f.seq}`
      : `${FRAME_MAGIC} F ${f.seq} ${Buffer.from(f.path).toString('base64url')} ${f.offset} ${f.data.toString('base64')}`;
  return `${body} ${check(body)}\n`;
}

const B64URL = /^[A-Za-z0-9_-]+$/;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const INT = /^(0|[1-9]\d{0,14})$/;

/** One line back into its frame, or why it is refused. */
export function parseFrame(line: string): Frame | { error: string } {
  const t = line.replace(/\r+$/, '');
  const cut = t.lastIndexOf(' ');
  if (!t.startsWith(`${FRAME_MAGIC} `) || cut < 0) return { error: 'not a frame' };
  const body = t.slice(0, cut);
  if (t.slice(cut + 1) !== check(body)) return { error: 'check mismatch (a cut or garbled line)' };
  const w = body.split(' ');
  if (!INT.test(w[2] ?? '')) return { error: 'bad sequence number' };
  const seq = Number(w[2]);
  if (w[1] === 'E' && w.length === 3) return { kind: 'end', seq };
  if (w[1] !== 'F' || w.length !== 6) return { error: 'unknown frame kind or field count' };
  const [, , , p, off, data] = w as [string, string, string, string, string, string];
  if (!B64URL.test(p) || !INT.test(off) || !B64.test(data)) return { error: 'bad field' };
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length > FRAME_DATA_MAX) return { error: `more than ${FRAME_DATA_MAX} bytes` };
  return { kind: 'file', seq, path: Buffer.from(p, 'base64url').toString(), offset: Number(off), data: bytes };
}

/**
 * A share path the host may write: relative, plain names only (no '.', '..',
 * empty or hidden components, no NUL or backslash), at most 4 deep. Undefined
 * when fine, else why not.
 */
export function badSharePath(p: string): string | undefined {
  const parts = p.split('/');
  if (!p || p.length > 255 || parts.length > 4) return 'too long or too deep';
  for (const c of parts) if (!/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(c)) return `component ${JSON.stringify(c)}`;
  return undefined;
}

/**
 * The host's side of the channel: bytes in as they arrive (any split), frames
 * out, and every refused line counted with its reason. Text outside frames
 * (a stray kernel message on the port) is skipped, not an error.
 */
export class FrameParser {
  private rest = '';
  private lastSeq = -1;
  readonly problems: string[] = [];
  ended = false;

  /** The complete frames in this chunk, in order; a line longer than any frame is dropped. */
  feed(chunk: Buffer | string): Frame[] {
    this.rest += chunk.toString('latin1');
    const lines = this.rest.split('\n');
    this.rest = lines.pop()!;
    if (this.rest.length > 8192) {
      this.refuse('an over-long line');
      this.rest = '';
    }
    const out: Frame[] = [];
    for (const l of lines) {
      const at = l.indexOf(FRAME_MAGIC);
      if (at < 0) continue;
      const f = parseFrame(l.slice(at));
      if ('error' in f) this.refuse(f.error);
      else if (f.seq <= this.lastSeq) this.refuse(`sequence ${f.seq} after ${this.lastSeq} (replayed or reordered)`);
      else {
        if (f.seq !== this.lastSeq + 1) this.refuse(`frames ${this.lastSeq + 1}..${f.seq - 1} lost`);
        this.lastSeq = f.seq;
        if (f.kind === 'end') this.ended = true;
        out.push(f);
      }
    }
    return out;
  }

  private refuse(why: string): void {
    // A hostile or broken guest could send millions: keep the first few reasons.
    if (this.problems.length < 20) this.problems.push(why);
  }
}
