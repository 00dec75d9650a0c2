// SPDX-License-Identifier: GPL-2.0-only
// An output file written beside its target and renamed into place: the
// target is never opened, so a refused or failed run leaves the old file as
// it was, and a link planted at the name is replaced, never followed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../../errors.js';
import { notRegular, specialFs } from './special.js';
import { checkTarget, type Target } from './target.js';
import { pidAlive } from '../pid.js';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = fs.constants;

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Temporary files (and kept old files) of this process, removed at exit whatever ends it. */
const litter = new Set<string>();
let exitHook = false;

function track(file: string): void {
  litter.add(file);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const f of litter) unlinkQuietly(f);
  });
}

/** FILE is in place (renamed): no longer ours to remove at exit. */
export function untrack(file: string): void {
  litter.delete(file);
}

function unlinkQuietly(file: string): void {
  litter.delete(file);
  try {
    fs.unlinkSync(file);
  } catch {
    /* gone already */
  }
}

/** A hidden name beside the target, unique to this process and call (NAME_MAX kept). */
export function siblingName(dir: string, name: string, tag: 'tmp' | 'old'): string {
  sweepDeadSiblings(dir, name);
  return path.join(dir, `.${name.slice(0, 200)}.tfsr-${process.pid}-${randomBytes(4).toString('hex')}.${tag}`);
}

/**
 * Removes what a killed writer of the same target left beside it (SIGKILL
 * skips the exit hook): hidden siblings of this exact name whose pid is gone.
 * The pid is the writer's own, so a writer of the same file in another PID
 * namespace, at the same moment, is the one case this misjudges.
 */
export function sweepDeadSiblings(dir: string, name: string, alive: (pid: number) => boolean = pidAlive): string[] {
  const prefix = `.${name.slice(0, 200)}.tfsr-`;
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const m = /^(\d+)-[0-9a-f]{8}\.(tmp|old)$/.exec(e.slice(prefix.length));
    if (!m || alive(Number(m[1]))) continue;
    const f = path.join(dir, e);
    try {
      // Only a regular file of ours: never follow or remove a link or a directory someone put there.
      if (!fs.lstatSync(f).isFile()) continue;
      fs.unlinkSync(f);
      removed.push(f);
    } catch {
      /* gone already, or not ours to remove */
    }
  }
  return removed;
}

/**
 * Creates a new file for writing where no file is (O_CREAT|O_EXCL|O_NOFOLLOW,
 * O_NONBLOCK|O_NOCTTY so nothing swapped in can block or become a tty), and
 * checks what was opened: a regular file on storage. Returns its fd.
 */
export function createExclusive(file: string, mode: number, flag: string, given: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, mode);
  } catch (e) {
    throw new UsageError(`${flag} ${given} is not writable (${codeOf(e)}): pick a writable path`);
  }
  track(file);
  try {
    // The directory checked by name may have been swapped since: check what was opened.
    if (notRegular(fs.fstatSync(fd))) throw new UsageError(`${flag} ${given}: the directory changed under the check`);
    const fsName = specialFs(fs.statfsSync(`/proc/self/fd/${fd}`).type);
    if (fsName)
      throw new UsageError(
        `${flag} ${given} is in a directory of ${fsName}, a kernel interface, not storage: name a file on a disk or tmpfs`,
      );
  } catch (e) {
    fs.closeSync(fd);
    unlinkQuietly(file);
    throw e;
  }
  return fd;
}

/** Writes all of buf to fd (a short write is finished). */
function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off, buf.length - off);
}

/**
 * A report file. open() checks the target and creates the temporary file
 * (before the run, so a bad path fails at once); writeAndClose() renames the
 * report into place. Streams (--journal, KTAP to a file) publish() at the
 * run's start and go on writing through the same fd.
 */
export class OutputFile {
  private fdOrClosed: number | undefined;
  private published = false;
  /** The old file, kept under a hidden name while a stream replaces it (restored if the stream fails). */
  private backup: string | undefined;

  private constructor(
    readonly target: Target,
    private readonly tmp: string,
    fd: number,
  ) {
    this.fdOrClosed = fd;
  }

  /** Checks FILE (target.ts) and creates its temporary file; UsageError naming the fix. */
  static open(file: string, flag = '--output'): OutputFile {
    return OutputFile.create(checkTarget(file, flag));
  }

  static create(t: Target): OutputFile {
    const tmp = siblingName(t.dir, t.name, 'tmp');
    return new OutputFile(t, tmp, createExclusive(tmp, 0o644, t.flag, t.given));
  }

  get file(): string {
    return this.target.given;
  }

  get flag(): string {
    return this.target.flag;
  }

  /** The open fd (streams write through it). */
  get fd(): number {
    if (this.fdOrClosed === undefined) throw new Error(`${this.flag} ${this.file} is closed`);
    return this.fdOrClosed;
  }

  /** The old file's mode and owner on the new one (best effort: an unprivileged run keeps its own owner). */
  private inherit(fd: number): void {
    const old = this.target.old;
    if (!old) return;
    fs.fchmodSync(fd, old.mode);
    try {
      fs.fchownSync(fd, old.uid, old.gid);
    } catch {
      /* not root: the file is the writer's */
    }
  }

  /**
   * Puts the file in place now, for a stream that others read as it grows
   * (vm reads the guest's journal). keepOld: the old file stays under a
   * hidden name until finish(), so fail() can put it back.
   */
  publish(opts: { keepOld?: boolean } = {}): void {
    if (this.published) return;
    const fd = this.fd;
    this.inherit(fd);
    if (opts.keepOld && this.target.old) {
      const b = siblingName(this.target.dir, this.target.name, 'old');
      try {
        fs.linkSync(this.target.path, b);
        track(b);
        this.backup = b;
      } catch {
        /* no hard links here: the old file goes */
      }
    }
    fs.renameSync(this.tmp, this.target.path);
    litter.delete(this.tmp);
    this.published = true;
  }

  /** Writes all of text, renames the file into place and closes it; a failure keeps the old file and is an EnvironmentError. */
  writeAndClose(text: string): void {
    const fd = this.fd;
    try {
      writeAll(fd, Buffer.from(text));
    } catch (e) {
      this.discard();
      throw this.failure('write', e);
    }
    this.commit();
  }

  /** Copies FROM (a console log) into the file, renamed into place; a failure keeps the old file. */
  copyAndClose(from: string): void {
    const fd = this.fd;
    let src: number | undefined;
    try {
      src = fs.openSync(from, fs.constants.O_RDONLY | O_NOFOLLOW);
      const buf = Buffer.alloc(1 << 16);
      for (let n; (n = fs.readSync(src, buf, 0, buf.length, null)) > 0;) writeAll(fd, buf.subarray(0, n));
    } catch (e) {
      this.discard();
      throw this.failure('copy', e);
    } finally {
      if (src !== undefined) fs.closeSync(src);
    }
    this.commit();
  }

  /** A written file: synced, closed (NFS and FUSE report write-back errors there) and renamed into place. */
  private commit(): void {
    const fd = this.fd;
    try {
      if (!this.published) this.inherit(fd);
      try {
        fs.fsyncSync(fd);
      } catch (e) {
        if (codeOf(e) !== 'EINVAL') throw e; // a file system without fsync
      }
      this.fdOrClosed = undefined;
      fs.closeSync(fd);
      if (!this.published) fs.renameSync(this.tmp, this.target.path);
    } catch (e) {
      this.discard();
      throw this.failure(this.published ? 'close' : 'write', e);
    }
    litter.delete(this.tmp);
    this.published = true;
    if (this.backup) unlinkQuietly(this.backup);
    this.backup = undefined;
  }

  /** The end of a stream: closed and synced, the old file dropped. */
  finish(): void {
    this.commit();
  }

  private failure(what: string, e: unknown): EnvironmentError {
    const kept = this.target.old ? '; the previous file is kept' : '';
    return new EnvironmentError(`${this.flag} ${this.file}: ${what} failed (${codeOf(e)})${kept}`);
  }

  /**
   * A published stream whose write failed: the old file is put back (or the
   * part written removed, when there was none), so a cut report never passes
   * for a whole one. Returns what is there now, for the message.
   */
  fail(): string {
    const fd = this.fdOrClosed;
    this.fdOrClosed = undefined;
    let mine = false;
    try {
      if (fd !== undefined) {
        const a = fs.fstatSync(fd);
        const b = fs.lstatSync(this.target.path);
        mine = a.dev === b.dev && a.ino === b.ino;
        fs.closeSync(fd);
      }
    } catch {
      /* nothing at the name, or the fd is what failed */
    }
    if (!this.published) {
      unlinkQuietly(this.tmp);
      return this.target.old ? 'the previous file is kept' : 'no file was written';
    }
    if (mine && this.backup) {
      fs.renameSync(this.backup, this.target.path);
      litter.delete(this.backup);
      this.backup = undefined;
      return 'the previous file is back in place';
    }
    if (mine) unlinkQuietly(this.target.path);
    return 'the part written was removed';
  }

  /** Hands the fd over (the journal closes it); this object forgets it. Publish first. */
  release(): number {
    const fd = this.fd;
    this.fdOrClosed = undefined;
    return fd;
  }

  /** The run stopped before its report: the temporary file goes, the old file stays as it was (a published stream stays). */
  discard(): void {
    const fd = this.fdOrClosed;
    this.fdOrClosed = undefined;
    try {
      if (fd !== undefined) fs.closeSync(fd);
    } catch {
      /* nothing was promised about this file any more */
    }
    if (!this.published) unlinkQuietly(this.tmp);
    if (this.backup) unlinkQuietly(this.backup);
    this.backup = undefined;
  }
}

/**
 * Fails now, not after a long run, when the report cannot be written there
 * (vm checks --output and --keep-log before it boots): the checks of open(),
 * and nothing left behind.
 */
export function checkOutputWritable(file: string, flag = '--output'): void {
  OutputFile.open(file, flag).discard();
}
