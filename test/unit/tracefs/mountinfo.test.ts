// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { parseMountinfo, locateTracefs, mountOf } from '../../../src/tracefs/mountinfo.js';

const line = (id: number, mp: string, opts: string, fs: string, src = 'nodev') =>
  `${id} 1 0:${id} / ${mp} ${opts} shared:1 - ${fs} ${src} rw`;

describe('mountinfo', () => {
  it('parses mount points with escapes and fs types', () => {
    const m = parseMountinfo(line(1, '/mnt/with\\040space', 'rw,nosuid', 'ext4', '/dev/vda'));
    expect(m[0]).toEqual({
      mountPoint: '/mnt/with space',
      fsType: 'ext4',
      source: '/dev/vda',
      options: ['rw', 'nosuid'],
    });
  });

  it('prefers /sys/kernel/tracing, else any tracefs, else debugfs/tracing', () => {
    const both = parseMountinfo(
      [line(1, '/mnt/t', 'rw', 'tracefs'), line(2, '/sys/kernel/tracing', 'rw', 'tracefs')].join('\n'),
    );
    expect(locateTracefs(both)?.path).toBe('/sys/kernel/tracing');
    const other = parseMountinfo(line(1, '/mnt/t', 'ro', 'tracefs'));
    expect(locateTracefs(other)?.path).toBe('/mnt/t');
    expect(locateTracefs(other)?.entry.options).toContain('ro');
    const dbg = parseMountinfo(line(1, '/sys/kernel/debug', 'rw', 'debugfs'));
    expect(locateTracefs(dbg)).toMatchObject({ path: '/sys/kernel/debug/tracing', viaDebugfs: true });
    expect(locateTracefs(parseMountinfo(line(1, '/', 'rw', 'ext4')))).toBeUndefined();
  });

  it('finds the mount a path is on', () => {
    const m = parseMountinfo([line(1, '/', 'rw', 'ext4'), line(2, '/sys/kernel/tracing', 'rw', 'tracefs')].join('\n'));
    expect(mountOf(m, '/sys/kernel/tracing')?.fsType).toBe('tracefs');
    expect(mountOf(m, '/sys/kernel/tracing/events')?.fsType).toBe('tracefs');
    expect(mountOf(m, '/sys/kernel/tracingx')?.fsType).toBe('ext4');
  });
});

describe("another run's private tracefs mount", () => {
  it('is never chosen: it goes away when that run ends', () => {
    const line = (id: number, mp: string) => `${id} 1 0:${id} / ${mp} rw,relatime shared:${id} - tracefs nodev rw`;
    const mounts = parseMountinfo([line(1, '/tmp/tfsr-tracefs-4242-AbCdEf'), line(2, '/mnt/t')].join('\n'));
    expect(locateTracefs(mounts)?.path).toBe('/mnt/t');
    expect(locateTracefs(parseMountinfo(line(1, '/tmp/tfsr-tracefs-4242-AbCdEf')))).toBeUndefined();
  });
});
