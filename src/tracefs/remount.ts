// SPDX-License-Identifier: GPL-2.0-only
// Remounting tracefs with another gid= and putting the original options back
// exactly (the perm-remount-gid scenario). tracefs has one superblock: every
// mount of it, and every process using it, sees the new gid until the restore,
// which is why the CLI does this only with --allow-remount.
//
// The pure half (parsing a mountinfo line, building the mount(2) flags and
// data, comparing lines) is separate from the I/O half so each can be tested
// against planted input.
import fs from 'node:fs';
import { native, C, isErr, type Result } from '../native/index.js';
import type { OnTeardown } from '../model.js';

/** One /proc/self/mountinfo line, split where a remount can change it. */
export interface MountLine {
  /** The line as the kernel printed it. */
  raw: string;
  mountId: string;
  /** Field 5, with mountinfo's \ooo escapes undone. */
  mountPoint: string;
  /** Field 6: rw/ro, nosuid, nodev, noexec, relatime ... */
  perMount: string[];
  fsType: string;
  /** The last field: the superblock's options (rw, uid=, gid=, mode=). */
  superOptions: string[];
}

function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMountLine(raw: string): MountLine | undefined {
  const sep = raw.indexOf(' - ');
  if (sep < 0) return undefined;
  const left = raw.slice(0, sep).split(' ');
  const right = raw.slice(sep + 3).split(' ');
  if (left.length < 6 || right.length < 3) return undefined;
  return {
    raw,
    mountId: left[0]!,
    mountPoint: unescape(left[4]!),
    perMount: left[5]!.split(','),
    fsType: right[0]!,
    superOptions: right[2]!.split(','),
  };
}

/** Every tracefs line of a mountinfo text. */
export function tracefsLines(mountinfo: string): MountLine[] {
  return mountinfo
    .split('\n')
    .map(parseMountLine)
    .filter((m): m is MountLine => m?.fsType === 'tracefs');
}

/** The gid= of a superblock's options; undefined when absent (the kernel shows none for gid 0). */
export function gidOption(superOptions: readonly string[]): number | undefined {
  const g = superOptions.find((o) => o.startsWith('gid='));
  return g === undefined ? undefined : Number(g.slice(4));
}

export interface MountFlagBits {
  MS_REMOUNT: number;
  MS_RDONLY: number;
  MS_NOSUID: number;
  MS_NODEV: number;
  MS_NOEXEC: number;
}

/**
 * mount(2) flags for a remount that keeps the per-mount flags: a remount
 * without MS_NOSUID would clear nosuid (do_remount sets the mount's flags to
 * what it is given). The atime flags are left out: a remount without any of
 * them keeps the mount's own.
 */
export function remountFlags(m: Pick<MountLine, 'perMount'>, bits: MountFlagBits): number {
  let f = bits.MS_REMOUNT;
  if (m.perMount.includes('ro')) f |= bits.MS_RDONLY;
  if (m.perMount.includes('nosuid')) f |= bits.MS_NOSUID;
  if (m.perMount.includes('nodev')) f |= bits.MS_NODEV;
  if (m.perMount.includes('noexec')) f |= bits.MS_NOEXEC;
  return f;
}

/**
 * The data string of a remount to `gid` that keeps every other superblock
 * option (uid=, mode=), named again: a remount that leaves one out resets it
 * to the default in the superblock (measured on 6.18.44: mountinfo no longer
 * shows it), and before 6.0 (47311db8e8f3) on the files too. rw/ro are
 * flags, not data.
 */
export function remountData(m: Pick<MountLine, 'superOptions'>, gid: number): string {
  const keep = m.superOptions.filter((o) => o !== 'rw' && o !== 'ro' && !o.startsWith('gid='));
  return [...keep, `gid=${gid}`].join(',');
}

/**
 * The data string that restores the original options. Without gid= in the
 * original the kernel's default is gid 0, and it must be named: a remount
 * that omits gid= shows the default in mountinfo again (the line reads byte
 * for byte as before) but leaves every file with the remount's gid
 * (measured on 6.18.44).
 */
export function restoreData(original: Pick<MountLine, 'superOptions'>): string {
  return remountData(original, gidOption(original.superOptions) ?? 0);
}

export interface LineDiff {
  mountId: string;
  before: string;
  after: string;
}

/**
 * The tracefs lines that differ between two readings, byte for byte, keyed
 * by mount id. A mount that appeared or went between them (another run's
 * private mount) is not ours to judge; a vanished `mustKeep` is.
 */
export function diffLines(before: readonly MountLine[], after: readonly MountLine[], mustKeep?: string): LineDiff[] {
  const now = new Map(after.map((m) => [m.mountId, m.raw]));
  const out: LineDiff[] = [];
  for (const b of before) {
    const a = now.get(b.mountId);
    if (a === undefined) {
      if (b.mountId === mustKeep) out.push({ mountId: b.mountId, before: b.raw, after: '(gone)' });
      continue;
    }
    if (a !== b.raw) out.push({ mountId: b.mountId, before: b.raw, after: a });
  }
  return out;
}

// ---- I/O ----

export function readTracefsLines(): MountLine[] {
  return tracefsLines(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
}

/** The mountinfo line whose mount point is exactly `root` (tracefs.root is a mount point). */
export function mountLineOf(root: string, lines: readonly MountLine[] = readTracefsLines()): MountLine | undefined {
  // The last one: a later mount over the same point is the one a path reaches.
  return lines.filter((m) => m.mountPoint === root).pop();
}

export interface RestoreResult {
  /** The restore remount's own result. */
  mount: Result<number>;
  /** Tracefs lines that are not byte for byte what they were before the remount. */
  diffs: LineDiff[];
}

/** A tracefs remounted with another gid, until restore() (or teardown) puts the original options back. */
export class GidRemount {
  private restored: RestoreResult | undefined;
  private readonly unregister: () => void;

  private constructor(
    readonly root: string,
    readonly gid: number,
    /** Every tracefs line before the remount. */
    readonly before: readonly MountLine[],
    /** Our mount's line before the remount. */
    readonly original: MountLine,
    onTeardown: OnTeardown | undefined,
  ) {
    this.unregister = onTeardown?.(`restore the tracefs mount options of ${root}`, () => this.restore()) ?? (() => {});
  }

  /**
   * Remounts `root` with gid=`gid`, the rest as it was. The restore is
   * registered with onTeardown before the remount, so SIGINT restores too.
   */
  static apply(root: string, gid: number, onTeardown?: OnTeardown): GidRemount | { error: string } {
    const before = readTracefsLines();
    const original = mountLineOf(root, before);
    if (!original) return { error: `${root} is not a tracefs mount point in /proc/self/mountinfo` };
    const r = new GidRemount(root, gid, before, original, onTeardown);
    const m = native.mount('nodev', root, 'tracefs', remountFlags(original, C), remountData(original, gid));
    if (isErr(m)) {
      r.unregister();
      return { error: `mount(MS_REMOUNT, "${remountData(original, gid)}") on ${root}: ${m.code}` };
    }
    return r;
  }

  /** Our mount's line now. */
  current(): MountLine | undefined {
    return mountLineOf(this.root);
  }

  /** Puts the original options back (once) and compares every tracefs line with the one before. */
  restore(): RestoreResult {
    if (this.restored) return this.restored;
    const mount = native.mount(
      'nodev',
      this.root,
      'tracefs',
      remountFlags(this.original, C),
      restoreData(this.original),
    );
    this.restored = { mount, diffs: diffLines(this.before, readTracefsLines(), this.original.mountId) };
    this.unregister();
    return this.restored;
  }
}
