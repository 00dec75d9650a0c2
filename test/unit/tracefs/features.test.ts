// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { detectFeatures, refineWithConfig, supportedKinds } from '../../../src/tracefs/features.js';
import { parseKernelConfig, parseRelease } from '../../../src/tracefs/kernel.js';

describe('feature detection', () => {
  it('reads kinds from the control files present and the README', () => {
    const f = detectFeatures({
      entries: new Set(['uprobe_events', 'dynamic_events', 'instances', 'README']),
      readme: '\t  e[:[<group>/][<event>]] <attached-group>.<attached-event> [<args>]\n',
      dropCachesWritable: true,
    });
    expect([...f].sort()).toEqual(['drop_caches', 'dynamic_events', 'eprobe_events', 'instances', 'uprobe_events']);
    expect(supportedKinds(f)).toEqual(['uprobe', 'eprobe']);
  });

  it('kprobe first when present; fprobe only with dynamic_events', () => {
    const readme = '\t  f[:[<group>/][<event>]] <func-name>[%return] [<args>]\n';
    expect(
      supportedKinds(
        detectFeatures({
          entries: new Set(['kprobe_events', 'uprobe_events', 'dynamic_events']),
          readme,
          dropCachesWritable: false,
        }),
      ),
    ).toEqual(['kprobe', 'uprobe', 'fprobe']);
    expect(
      supportedKinds(detectFeatures({ entries: new Set(['kprobe_events']), readme, dropCachesWritable: false })),
    ).toEqual(['kprobe']);
  });
});

describe('config refinement', () => {
  it('a README that advertises eprobes loses to CONFIG_EPROBE_EVENTS=n; unknown config changes nothing', () => {
    const f = new Set(['uprobe_events', 'eprobe_events', 'fprobe_events'] as const);
    expect(
      [
        ...refineWithConfig(
          f,
          new Map([
            ['CONFIG_EPROBE_EVENTS', 'n'],
            ['CONFIG_FPROBE_EVENTS', 'y'],
          ]),
        ),
      ].sort(),
    ).toEqual(['fprobe_events', 'uprobe_events']);
    expect([...refineWithConfig(f, new Map())].sort()).toEqual(['uprobe_events']);
    expect(refineWithConfig(f, undefined)).toBe(f);
  });
});

describe('kernel info', () => {
  it('parses releases', () => {
    expect(parseRelease('6.12.48+deb12-amd64')).toEqual([6, 12, 48]);
    expect(parseRelease('7.3-rc1')).toEqual([7, 3, 0]);
    expect(parseRelease('garbage')).toEqual([0, 0, 0]);
  });
  it('parses configs including unset options', () => {
    const c = parseKernelConfig('CONFIG_KPROBE_EVENTS=y\n# CONFIG_KASAN is not set\nCONFIG_NAME="x y"\n');
    expect(c.get('CONFIG_KPROBE_EVENTS')).toBe('y');
    expect(c.get('CONFIG_KASAN')).toBe('n');
    expect(c.get('CONFIG_NAME')).toBe('"x y"');
  });
});
