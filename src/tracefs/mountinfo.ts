// SPDX-License-Identifier: GPL-2.0-only
// Finding tracefs in /proc/self/mountinfo (pure parsing; see mount.ts for I/O).

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
  /** Per-mount options (rw/ro, nosuid, ...). */
  options: string[];
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    if (left.length < 6 || right.length < 2) continue;
    out.push({
      mountPoint: unescape(left[4]!),
      options: left[5]!.split(','),
      fsType: right[0]!,
      source: unescape(right[1]!),
    });
  }
  return out;
}

/** The name of a run's private tracefs mount point (see tracefs/mount.ts); another run must not adopt it. */
export const PRIVATE_MOUNT_PREFIX = 'tfsr-tracefs-';

function isPrivateMount(m: MountEntry): boolean {
  return (m.mountPoint.split('/').pop() ?? '').startsWith(PRIVATE_MOUNT_PREFIX);
}

/** Exactly what mountOurs makes: mkdtemp's `tfsr-tracefs-<pid>-XXXXXX`. */
const PRIVATE_MOUNT_NAME = new RegExp(`^${PRIVATE_MOUNT_PREFIX}[1-9][0-9]{0,9}-[A-Za-z0-9]{6}$`);

/**
 * The tracefs mounts some run made for itself (by exact name): candidates for
 * removal when their run is dead. Never the ones whose name merely starts alike.
 */
export function privateMounts(mounts: MountEntry[]): string[] {
  const out = mounts
    .filter((m) => m.fsType === 'tracefs' && PRIVATE_MOUNT_NAME.test(m.mountPoint.split('/').pop() ?? ''))
    .map((m) => m.mountPoint);
  return [...new Set(out)];
}

/**
 * Where tracefs is reachable: a tracefs mount (preferring /sys/kernel/tracing),
 * else tracing/ under a debugfs mount (debugfs automounts tracefs there). A
 * run's private mount is never chosen: it goes away when that run ends.
 */
export function locateTracefs(
  mounts: MountEntry[],
): { path: string; entry: MountEntry; viaDebugfs: boolean } | undefined {
  const tracefs = mounts.filter((m) => m.fsType === 'tracefs' && !isPrivateMount(m));
  const preferred = tracefs.find((m) => m.mountPoint === '/sys/kernel/tracing') ?? tracefs[0];
  if (preferred) return { path: preferred.mountPoint, entry: preferred, viaDebugfs: false };
  const debugfs = mounts.find((m) => m.fsType === 'debugfs');
  if (debugfs) return { path: `${debugfs.mountPoint.replace(/\/$/, '')}/tracing`, entry: debugfs, viaDebugfs: true };
  return undefined;
}

/** The mount whose mount point is the longest prefix of path. */
export function mountOf(mounts: MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const mp = m.mountPoint === '/' ? '/' : m.mountPoint.replace(/\/$/, '');
    const under = path === mp || path.startsWith(mp === '/' ? '/' : `${mp}/`);
    if (under && (!best || mp.length >= best.mountPoint.length)) best = m;
  }
  return best;
}
