// SPDX-License-Identifier: GPL-2.0-only
// A run's lease: proof, readable from tracefs alone, that the run is alive.
//
// Before it creates anything a run mkdirs instances/<runId>_lease and keeps
// one file of it open (tracing_on, O_RDONLY) for its whole life. The kernel
// refuses rmdir of an instance with a file open (EBUSY) and allows it once
// the file is closed, and it closes every fd of a process that dies, SIGKILL
// included. So another run or `cleanup`, in any PID namespace or container
// sharing this kernel, asks "is run R alive?" by rmdir of R's lease: EBUSY is
// alive, success (or no lease at all) is dead. See stale.ts for that side.
import { native, C, isErr, writeOnce, type Result } from '../native/index.js';
import { EnvironmentError } from '../errors.js';
import { runNames } from './names.js';

/** The calls a lease makes: real by default, planted in unit tests. */
export interface LeaseSys {
  exists(path: string): boolean;
  mkdir(path: string): Result<number>;
  open(path: string): Result<number>;
  close(fd: number): Result<number>;
  rmdir(path: string): Result<number>;
  /** Writes a value to a file of the lease (best effort). */
  write(path: string, data: string): Result<number>;
}

export const realLeaseSys: LeaseSys = {
  exists: (p) => !isErr(native.stat(p)),
  mkdir: (p) => native.mkdir(p, 0o755),
  open: (p) => native.open(p, C.O_RDONLY | C.O_CLOEXEC),
  close: (fd) => native.close(fd),
  rmdir: (p) => native.rmdir(p),
  write: (p, data) => writeOnce(native, p, data),
};

/** The file of the lease a run holds open; any file of an instance would do. */
export const LEASE_FILE = 'tracing_on';

/**
 * A new instance gets ring buffers of the default size on every CPU (1410 KB
 * each here: 2.8 MB on 2 CPUs, 360 MB on a 256-CPU CI host). A lease records
 * nothing, so it asks for the smallest (the kernel rounds up to a page or two).
 */
export const LEASE_BUFFER_KB = '1';

/**
 * A cleanup that finds a lease between our mkdir and our open removes it
 * (it looks like a dead run's, with no objects yet): we make it again.
 */
const TAKE_ATTEMPTS = 5;

export class Lease {
  private constructor(
    readonly dir: string,
    private fd: number | undefined,
    private readonly sys: LeaseSys,
  ) {}

  /** The lease directory of a run id under a tracefs root. */
  static dirOf(root: string, runId: string): string {
    return `${root}/instances/${runNames.lease(runId)}`;
  }

  /**
   * Takes the lease of runId: mkdir, then hold a file of it open. Undefined
   * when this kernel has no instances (the caller falls back to the pid test).
   */
  static take(root: string, runId: string, sys: LeaseSys = realLeaseSys): Lease | undefined {
    if (!sys.exists(`${root}/instances`)) return undefined;
    const dir = Lease.dirOf(root, runId);
    let last = '';
    for (let i = 0; i < TAKE_ATTEMPTS; i++) {
      const m = sys.mkdir(dir);
      if (isErr(m) && m.code !== 'EEXIST') {
        last = `mkdir ${dir}: ${m.code}`;
        break;
      }
      const fd = sys.open(`${dir}/${LEASE_FILE}`);
      if (!isErr(fd)) {
        // Best effort: a lease whose buffers could not shrink still proves liveness.
        sys.write(`${dir}/buffer_size_kb`, LEASE_BUFFER_KB);
        return new Lease(dir, fd, sys);
      }
      last = `open ${dir}/${LEASE_FILE}: ${fd.code}`;
      // ENOENT: removed between our mkdir and our open; ENODEV: the same, mid-removal.
      if (fd.code !== 'ENOENT' && fd.code !== 'ENODEV') break;
    }
    throw new EnvironmentError(
      `cannot take this run's lease (${last}): without it another run or cleanup would take this run's objects for a dead run's`,
    );
  }

  get held(): boolean {
    return this.fd !== undefined;
  }

  /**
   * Closes the held file and removes the lease. Called last, after every
   * object of the run is gone. Returns what could not be done.
   */
  release(): string[] {
    const left: string[] = [];
    if (this.fd === undefined) return left;
    const c = this.sys.close(this.fd);
    this.fd = undefined;
    if (isErr(c)) left.push(`lease ${this.dir}: close ${c.code}`);
    const r = this.sys.rmdir(this.dir);
    // ENOENT/ENODEV: a cleanup saw it free (we had just closed it) and removed it: the same result.
    if (isErr(r) && r.code !== 'ENOENT' && r.code !== 'ENODEV') left.push(`lease ${this.dir}: rmdir ${r.code}`);
    return left;
  }
}
