// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { reportedConfig, reportedConfigFromText, reportedConfigLines } from '../../../src/report/config.js';
import { parseKconfig } from '../../../src/util/kconfig.js';

const TEXT = [
  '# CONFIG_KASAN_VMALLOC is not set',
  'CONFIG_DEBUG_INFO=y',
  'CONFIG_KASAN=y',
  'CONFIG_KASAN_GENERIC=y',
  'CONFIG_UPROBE_EVENTS=y',
  'CONFIG_KPROBE_EVENTS=y',
  '# CONFIG_DEBUG_LIST is not set',
  'CONFIG_DEBUG_FS=y',
  'CONFIG_DYNAMIC_EVENTS=y',
].join('\n');

describe('the config lines a report quotes', () => {
  it('keeps the tracing options and the bug-catching ones, in a fixed order, as kconfig writes them', () => {
    expect(reportedConfigLines(parseKconfig(TEXT))).toEqual([
      'CONFIG_KPROBE_EVENTS=y',
      'CONFIG_UPROBE_EVENTS=y',
      'CONFIG_DYNAMIC_EVENTS=y',
      'CONFIG_KASAN=y',
      'CONFIG_KASAN_GENERIC=y',
      '# CONFIG_KASAN_VMALLOC is not set',
      '# CONFIG_DEBUG_LIST is not set',
    ]);
  });

  it('takes a config keyed CONFIG_X (src/tracefs/kernel.ts) or X alike; none without one', () => {
    const full = new Map([...parseKconfig(TEXT)].map(([k, v]) => [`CONFIG_${k}`, v]));
    expect(reportedConfig('/proc/config.gz', full)).toEqual(reportedConfigFromText('/proc/config.gz', TEXT));
    expect(reportedConfig(undefined, full)).toBeUndefined();
    expect(reportedConfig('/proc/config.gz', undefined)).toBeUndefined();
  });
});
