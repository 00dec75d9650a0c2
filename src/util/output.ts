// --output and --journal: opened before anything touches tracefs, and the
// report written through that fd. A FIFO, a device, a directory or a file of
// /proc or /sys is refused with a UsageError naming the fix: a FIFO would hang
// the run, a device eat the report (/dev/full), /proc/self/mem fail the write.
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../errors.js';

/** statfs f_type of kernel interfaces: files there are not storage. */
const KERNEL_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x74726163, 'tracefs'],
  [0x64626720, 'debugfs'],
  [0x63677270, 'cgroup2'],
  [0x27e0eb, 'cgroup'],
  [0x73636673, 'securityfs'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x1cd1, 'devpts'],
]);

const { O_WRONLY, O_CREAT, O_TRUNC, O_NONBLOCK, O_NOCTTY } = fs.constants;

/** "a FIFO", "a character device", ... or undefined for a regular file. */
function notRegular(st: fs.Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

export interface OpenOptions {
  /** Empty the file now (the report replaces it); off for a check that keeps an existing file as it is. */
  truncate?: boolean;
}

/** A report file, open for writing from before the run until its report is written. */
export class OutputFile {
  private written = false;

  private constructor(
    readonly file: string,
    readonly flag: string,
    private fdOrClosed: number | undefined,
    /** This open created the file: discard() removes it again if nothing was written. */
    private readonly created: boolean,
  ) {}

  /**
   * Opens FILE for the report (O_CREAT|O_WRONLY|O_TRUNC; O_NONBLOCK|O_NOCTTY so
   * a FIFO or tty swapped in cannot block or become ours) and checks it is a
   * regular file on storage. Throws a UsageError naming the fix.
   */
  static open(file: string, flag = '--output', opts: OpenOptions = {}): OutputFile {
    const refuse = (what: string): never => {
      const fix =
        what === 'a directory'
          ? `name a file such as ${path.join(file, 'report.json')}`
          : flag === '--journal'
            ? 'name a regular file (e.g. ./journal.jsonl)'
            : `name a regular file (e.g. ./report.json), or leave ${flag} out and redirect stdout`;
      throw new UsageError(`${flag} ${file} is ${what}: ${fix}`);
    };
    let existed = true;
    try {
      // Refused before open(2): opening a device can act (a tape rewinds, a watchdog arms).
      const what = notRegular(fs.statSync(file));
      if (what) refuse(what);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      if (codeOf(e) === 'ENOENT') existed = false;
    }
    let fd: number;
    try {
      fd = fs.openSync(
        file,
        O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY | (opts.truncate === false ? 0 : O_TRUNC),
        0o644,
      );
    } catch (e) {
      const code = codeOf(e);
      if (code === 'EISDIR') return refuse('a directory');
      if (code === 'ENXIO') return refuse('a FIFO'); // no reader: O_NONBLOCK gives ENXIO instead of hanging
      throw new UsageError(`${flag} ${file} is not writable (${code}): pick a writable path`);
    }
    const out = new OutputFile(file, flag, fd, !existed);
    try {
      // Again on the fd: what was checked by name may have been swapped since.
      const what = notRegular(fs.fstatSync(fd));
      if (what) refuse(what);
      const fsName = kernelFs(fd, file);
      if (fsName)
        throw new UsageError(
          `${flag} ${file} is a file of ${fsName}, a kernel interface, not storage: name a file on a disk or tmpfs`,
        );
    } catch (e) {
      out.discard();
      throw e;
    }
    return out;
  }

  /** The open fd (the journal writes its records through it). */
  get fd(): number {
    if (this.fdOrClosed === undefined) throw new Error(`${this.flag} ${this.file} is closed`);
    return this.fdOrClosed;
  }

  /** Writes all of text and closes the file; a failure empties the file and is an EnvironmentError naming it and the errno. */
  writeAndClose(text: string): void {
    const fd = this.fd;
    this.written = true;
    const buf = Buffer.from(text);
    try {
      for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      try {
        // No half report left to pass for a whole one (a cut KTAP still parses): the report is on stdout.
        fs.ftruncateSync(fd, 0);
      } catch {
        /* the fd itself is what failed */
      }
      this.close();
      throw new EnvironmentError(`${this.flag} ${this.file}: write failed (${codeOf(e)})`);
    }
    this.fdOrClosed = undefined;
    try {
      // NFS and FUSE report a failed write-back at close(2).
      fs.closeSync(fd);
    } catch (e) {
      throw new EnvironmentError(`${this.flag} ${this.file}: close failed (${codeOf(e)})`);
    }
  }

  /** Hands the fd over (the journal closes it): this object forgets it. */
  release(): number {
    const fd = this.fd;
    this.fdOrClosed = undefined;
    this.written = true;
    return fd;
  }

  close(): void {
    const fd = this.fdOrClosed;
    this.fdOrClosed = undefined;
    try {
      if (fd !== undefined) fs.closeSync(fd);
    } catch {
      /* nothing was promised about this file any more */
    }
  }

  /** The run stopped before its report: close, and remove the file if this open created it and it is still empty. */
  discard(): void {
    const fd = this.fdOrClosed;
    if (fd !== undefined && this.created && !this.written) {
      try {
        const mine = fs.fstatSync(fd);
        const now = fs.statSync(this.file);
        if (mine.size === 0 && now.ino === mine.ino && now.dev === mine.dev) fs.unlinkSync(this.file);
      } catch {
        /* gone already, or not ours to remove */
      }
    }
    this.close();
  }
}

/** The kernel interface fd's file lives on (statfs through /proc/self/fd, so the file opened, not the name), if any. */
function kernelFs(fd: number, file: string): string | undefined {
  let type: number;
  try {
    type = fs.statfsSync(`/proc/self/fd/${fd}`).type;
  } catch {
    try {
      type = fs.statfsSync(file).type;
    } catch {
      return undefined;
    }
  }
  return KERNEL_FS.get(type);
}

/**
 * Fails now, not after a long run, when the report cannot be written there:
 * OutputFile.open's checks (a regular file on storage, writable), then the
 * file is left as it was (removed again if the check created it). `run` keeps
 * the OutputFile open instead; `vm` checks with this.
 */
export function checkOutputWritable(file: string, flag = '--output'): void {
  OutputFile.open(file, flag, { truncate: false }).discard();
}
