// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { resolveTracefsDir, TRACEFS_MAGIC, type DirProbe } from '../../../src/tracefs/mount.js';

const EXT4 = 0xef53;

/** A planted machine: what each path resolves to and the filesystem under it. */
function machine(links: Record<string, string>, types: Record<string, number>, files: string[]): DirProbe {
  return {
    realpath: (p) => {
      const r = links[p] ?? p;
      if (!(r in types)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return r;
    },
    fsType: (p) => types[p]!,
    exists: (p) => files.includes(p),
  };
}

describe('--tracefs', () => {
  const dirs = machine(
    { '/sys/kernel/tracing/../../../tmp/fake': '/tmp/fake', '/mnt/link': '/sys/kernel/tracing' },
    { '/sys/kernel/tracing': TRACEFS_MAGIC, '/sys/kernel/tracing/events': TRACEFS_MAGIC, '/tmp/fake': EXT4 },
    ['/sys/kernel/tracing/README', '/tmp/fake/README'],
  );

  it('is the real path of a tracefs root', () => {
    expect(resolveTracefsDir('/sys/kernel/tracing', dirs)).toBe('/sys/kernel/tracing');
    expect(resolveTracefsDir('/mnt/link', dirs)).toBe('/sys/kernel/tracing');
  });

  it('refuses a plain directory reached through .. even with a README and control files in it', () => {
    expect(() => resolveTracefsDir('/sys/kernel/tracing/../../../tmp/fake', dirs)).toThrow(
      /resolves to \/tmp\/fake\): its filesystem type is 0xef53, not 0x74726163/,
    );
  });

  it('refuses a directory inside tracefs that is not its root, and one that does not exist', () => {
    expect(() => resolveTracefsDir('/sys/kernel/tracing/events', dirs)).toThrow(/not its root/);
    expect(() => resolveTracefsDir('/nowhere', dirs)).toThrow(UsageError);
  });
});
