// SPDX-License-Identifier: GPL-2.0-only
// stdout as an output: a reader that went away (`| head -1`: EPIPE), a full
// disk (ENOSPC) or RLIMIT_FSIZE (EFBIG) under `> file` must not end the run
// with "Unhandled 'error' event" or an internal error. The first failure is
// kept, later writes are dropped, the run goes on, and main says it in one
// line with exit 2.
import fs from 'node:fs';

let failure: string | undefined;
let guarded = false;
/** stdout's own write: one replaced since (a test's spy) is used as it is. */
const ownWrite = process.stdout.write;

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Listens for write errors on stdout (kept) and stderr (nowhere left to say them). Idempotent. */
export function guardStdio(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (e) => stdoutFailed(codeOf(e)));
  process.stderr.on('error', () => {});
}

/** A write to stdout failed (also from a direct write(2) on fd 1). The first errno is the one reported. */
export function stdoutFailed(code: string): void {
  failure ??= code;
}

/** The errno of the first failed write to stdout, if any. */
export function stdoutFailure(): string | undefined {
  return failure;
}

/** Lets queued writes on stdout complete or fail (errors come a tick later), so they are seen before the exit code is chosen. */
export async function settleStdout(maxMs = 5000): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const out = process.stdout;
  if (out.destroyed || out.writableLength === 0) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      out.off('drain', done);
      out.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, maxMs);
    out.once('drain', done);
    out.once('error', done);
  });
  await new Promise((resolve) => setImmediate(resolve));
}

/** The one line main prints for a failed stdout. */
export function stdoutFailureLine(code: string): string {
  return `stdout: write failed (${code}): the output did not reach its reader in full; the run went on to its end (write the report with -o FILE)`;
}

/**
 * Writes text to stdout in full. A regular file behind stdout is written
 * with write(2) in a loop: Node's stream for it drops what a short write
 * (RLIMIT_FSIZE) left over without an error.
 */
export function writeStdout(text: string, stream: NodeJS.WritableStream = process.stdout): void {
  if (failure !== undefined && stream === process.stdout) return;
  if (stream !== process.stdout || stream.write !== ownWrite || !isRegularFile(1)) {
    stream.write(text);
    return;
  }
  const buf = Buffer.from(text);
  try {
    for (let off = 0; off < buf.length;) off += fs.writeSync(1, buf, off, buf.length - off);
  } catch (e) {
    stdoutFailed(codeOf(e));
  }
}

function isRegularFile(fd: number): boolean {
  try {
    return fs.fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
