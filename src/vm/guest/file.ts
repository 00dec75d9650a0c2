// SPDX-License-Identifier: GPL-2.0-only
// Files in the results share are the guest's: a broken or hostile guest can
// put a symlink, a FIFO or a device there. The host opens them without
// following links and without blocking, and reads only regular files.
import fs from 'node:fs';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;

/** Reports larger than this are not a guest's report. */
export const MAX_GUEST_FILE = 64 * 1024 * 1024;

/** An fd on `file` when it is a regular file (not a link, FIFO or device); undefined otherwise. Close it. */
export function openGuestFile(file: string): number | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch {
    return undefined;
  }
  if (fs.fstatSync(fd).isFile()) return fd;
  fs.closeSync(fd);
  return undefined;
}

/** The bytes of a regular file the guest wrote, at most `max`; undefined when absent, larger, or not a regular file. */
export function readGuestBytes(file: string, max = MAX_GUEST_FILE): Buffer | undefined {
  const fd = openGuestFile(file);
  if (fd === undefined) return undefined;
  try {
    const size = fs.fstatSync(fd).size;
    if (size > max) return undefined;
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(fd, buf, got, size - got, got);
      if (n <= 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/** The text of a regular file the guest wrote, at most MAX_GUEST_FILE bytes; undefined when absent or not a regular file. */
export function readGuestFile(file: string, max = MAX_GUEST_FILE): string | undefined {
  return readGuestBytes(file, max)?.toString('utf8');
}

/**
 * Why the host refuses `file` (it exists but is not a regular file), for the
 * run's notes: 'a symbolic link, not a regular file', 'a FIFO, ...'.
 * undefined when it is absent or a regular file. Only lstat: never opened.
 */
export function guestFileProblem(file: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (st.isFile()) return undefined;
  const what = st.isSymbolicLink()
    ? 'a symbolic link'
    : st.isFIFO()
      ? 'a FIFO'
      : st.isCharacterDevice()
        ? 'a character device'
        : st.isBlockDevice()
          ? 'a block device'
          : st.isSocket()
            ? 'a socket'
            : st.isDirectory()
              ? 'a directory'
              : 'not a file';
  return `${what}, not a regular file`;
}

/**
 * The guest's exit-code file: one decimal number 0-255 and an optional
 * newline, nothing else. Empty text is no exit status (Number('') is 0: an
 * empty or truncated file must not read as success).
 */
export function parseExitCode(text: string): number | undefined {
  const m = /^([0-9]{1,3})\n?$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n <= 255 ? n : undefined;
}
