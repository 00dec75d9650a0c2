// SPDX-License-Identifier: GPL-2.0-only
// The pure half of tracefs/remount.ts: what a remount is asked to do and how
// a restore is judged, against mountinfo lines as the kernel prints them.
import { describe, expect, it } from 'vitest';
import {
  diffLines,
  gidOption,
  parseMountLine,
  remountData,
  remountFlags,
  restoreData,
  tracefsLines,
  type MountLine,
} from '../../../src/tracefs/remount.js';

const BITS = { MS_REMOUNT: 32, MS_RDONLY: 1, MS_NOSUID: 2, MS_NODEV: 4, MS_NOEXEC: 8 };
const line = (id: number, mp: string, perMount: string, superOpts: string) =>
  `${id} 22 0:13 / ${mp} ${perMount} shared:7 - tracefs nodev ${superOpts}`;
const parse = (s: string) => parseMountLine(s)!;

/**
 * What tracefs does with a remount, as measured on 6.18.44: the superblock's
 * uid/gid/mode become what the data names, defaults for the rest (so
 * mountinfo shows only what was named), while the files' gid changes only when
 * gid= is named (baa23a8d4360). show_options prints non-defaults only.
 */
function kernelRemount(m: MountLine, data: string, filesGid = gidOption(m.superOptions) ?? 0) {
  const named = new Map(
    data
      .split(',')
      .filter(Boolean)
      .map((o) => o.split('=') as [string, string]),
  );
  const shown = [m.superOptions.includes('ro') ? 'ro' : 'rw'];
  for (const k of ['uid', 'gid', 'mode']) {
    const v = named.get(k);
    if (v !== undefined && v !== (k === 'mode' ? '700' : '0')) shown.push(`${k}=${v}`);
  }
  const line = parse(m.raw.replace(/ \S+$/, ` ${shown.join(',')}`));
  return Object.assign(line, { filesGid: named.has('gid') ? Number(named.get('gid')) : filesGid });
}

describe('remount: mountinfo lines', () => {
  it('splits per-mount and superblock options, past optional fields and escapes', () => {
    const m = parse(line(44, '/mnt/my\\040tracefs', 'rw,nosuid,relatime', 'rw,gid=5,mode=750'));
    expect(m).toMatchObject({
      mountId: '44',
      mountPoint: '/mnt/my tracefs',
      perMount: ['rw', 'nosuid', 'relatime'],
      fsType: 'tracefs',
      superOptions: ['rw', 'gid=5', 'mode=750'],
    });
    expect(gidOption(m.superOptions)).toBe(5);
    expect(gidOption(['rw'])).toBeUndefined();
    const text = [line(1, '/sys/kernel/tracing', 'rw', 'rw'), '2 1 8:1 / / rw - ext4 /dev/vda rw', 'garbage'].join(
      '\n',
    );
    expect(tracefsLines(text).map((x) => x.mountId)).toEqual(['1']);
  });
});

describe('remount: what mount(2) is asked', () => {
  it('keeps the per-mount flags (a bare MS_REMOUNT would clear nosuid, nodev, noexec)', () => {
    const m = parse(line(1, '/t', 'rw,nosuid,nodev,noexec,relatime', 'rw'));
    expect(remountFlags(m, BITS)).toBe(32 | 2 | 4 | 8);
    expect(remountFlags(parse(line(1, '/t', 'ro,relatime', 'ro')), BITS)).toBe(32 | 1);
    expect(remountFlags(parse(line(1, '/t', 'rw,relatime', 'rw')), BITS)).toBe(32);
  });

  it('names every other superblock option again and only replaces gid', () => {
    const m = parse(line(1, '/t', 'rw', 'rw,uid=7,gid=5,mode=750'));
    expect(remountData(m, 4242)).toBe('uid=7,mode=750,gid=4242');
    expect(restoreData(m)).toBe('uid=7,mode=750,gid=5');
  });

  it('restores a mount without gid= by naming gid=0 (omitting it would keep the remount gid)', () => {
    expect(restoreData(parse(line(1, '/t', 'rw', 'rw')))).toBe('gid=0');
  });

  it('round-trips through the kernel model byte for byte, for several original option sets', () => {
    for (const opts of ['rw', 'rw,gid=5', 'rw,uid=7,mode=755', 'rw,uid=1,gid=2,mode=750']) {
      const before = parse(line(44, '/sys/kernel/tracing', 'rw,nosuid,nodev,noexec,relatime', opts));
      const during = kernelRemount(before, remountData(before, 4242));
      expect(gidOption(during.superOptions)).toBe(4242);
      const after = kernelRemount(during, restoreData(before), during.filesGid);
      expect(diffLines([before], [after], '44'), opts).toEqual([]);
      expect(after.filesGid, opts).toBe(gidOption(before.superOptions) ?? 0);
      // the planted restore that keeps the remount's data for gid only: uid/mode would be lost
      if (/uid|mode/.test(opts))
        expect(diffLines([before], [kernelRemount(during, 'gid=0')], '44'), opts).toHaveLength(1);
    }
  });
});

describe('remount: judging the restore', () => {
  const before = [line(44, '/sys/kernel/tracing', 'rw,relatime', 'rw'), line(50, '/mnt/t', 'rw', 'rw')].map(parse);

  it('a planted restore without gid= fools mountinfo but not the files: the restore must name gid=0', () => {
    const during = kernelRemount(before[0]!, remountData(before[0]!, 4242));
    expect(during.filesGid).toBe(4242);
    const planted = kernelRemount(during, '', during.filesGid); // a "restore" that names nothing
    expect(diffLines(before, [planted, before[1]!], '44')).toEqual([]);
    expect(planted.filesGid).toBe(4242); // what perm-remount-gid's gid check of the files sees
    const real = kernelRemount(during, restoreData(before[0]!), during.filesGid);
    expect(diffLines(before, [real, before[1]!], '44')).toEqual([]);
    expect(real.filesGid).toBe(0);
  });

  it('catches a planted restore to the wrong gid, quoting both lines', () => {
    const during = kernelRemount(before[0]!, remountData(before[0]!, 4242));
    const wrong = kernelRemount(during, 'gid=4243');
    expect(diffLines(before, [wrong, before[1]!], '44')).toEqual([
      { mountId: '44', before: before[0]!.raw, after: wrong.raw },
    ]);
  });

  it('catches a planted restore that drops an option (mode=) of the original', () => {
    const orig = parse(line(44, '/t', 'rw', 'rw,mode=755'));
    const during = kernelRemount(orig, remountData(orig, 4242));
    const dropped = kernelRemount(during, 'gid=0,mode=700');
    expect(diffLines([orig], [dropped], '44')).toHaveLength(1);
    expect(diffLines([orig], [kernelRemount(during, restoreData(orig))], '44')).toEqual([]);
  });

  it('catches a per-mount flag lost on the way (one byte is enough)', () => {
    const lost = parse(before[0]!.raw.replace('rw,relatime', 'rw,nosuid,relatime'));
    expect(diffLines(before, [lost], '44')).toHaveLength(1);
  });

  it("ignores another run's mount coming or going, but not our own vanishing", () => {
    const other = parse(line(60, '/tmp/tfsr-tracefs-1', 'rw', 'rw'));
    expect(diffLines(before, [before[0]!, other], '44')).toEqual([]);
    expect(diffLines(before, [before[1]!], '44')).toEqual([{ mountId: '44', before: before[0]!.raw, after: '(gone)' }]);
  });
});
