// SPDX-License-Identifier: GPL-2.0-only
// The FEATURES table and what derives from it: the SKIP reasons, the options
// a report quotes and doctor checks, and kselftest/config, which must be the
// table's rendering byte for byte (`npm run gen:kselftest` rewrites it).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Feature } from '../../../src/model.js';
import {
  DETECTED,
  FEATURE_TABLE,
  KSELFTEST_CONFIG,
  REPORTED_TRACING_OPTIONS,
  TRACING_OPTIONS,
  renderKselftestConfig,
  unavailableReason,
} from '../../../src/tracefs/feature-table.js';

const root = path.resolve(import.meta.dirname, '../../..');
const onDisk = () => fs.readFileSync(path.join(root, KSELFTEST_CONFIG), 'utf8');

describe('FEATURES table', () => {
  it('gives every Feature a detector and the SKIP reason the runner has always printed', () => {
    const reasons: Record<Feature, string> = {
      kprobe_events: 'kprobe_events not available in this kernel (CONFIG_KPROBE_EVENTS)',
      uprobe_events: 'uprobe_events not available in this kernel (CONFIG_UPROBE_EVENTS)',
      dynamic_events: 'dynamic_events not available in this kernel (CONFIG_DYNAMIC_EVENTS)',
      synthetic_events: 'synthetic_events not available in this kernel (CONFIG_SYNTH_EVENTS)',
      fprobe_events: 'fprobe events not available in this kernel (CONFIG_FPROBE_EVENTS)',
      eprobe_events: 'eprobe events not available in this kernel (CONFIG_EPROBE_EVENTS)',
      instances: 'tracefs has no instances/ directory',
      drop_caches: '/proc/sys/vm/drop_caches is not writable',
    };
    expect(DETECTED.map((r) => r.name).sort()).toEqual(Object.keys(reasons).sort());
    for (const [f, text] of Object.entries(reasons)) expect(unavailableReason(f as Feature)).toBe(text);
  });

  it('names each option once, a row once', () => {
    const names = FEATURE_TABLE.flatMap((r) => r.config.map((c) => c.name));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(FEATURE_TABLE.map((r) => r.name)).size).toBe(FEATURE_TABLE.length);
  });

  it('quotes the tracing options in a report in the order reports always had', () => {
    expect(REPORTED_TRACING_OPTIONS.join(' ')).toBe(
      'FTRACE TRACING KPROBES KPROBE_EVENTS UPROBES UPROBE_EVENTS DYNAMIC_EVENTS FPROBE_EVENTS EPROBE_EVENTS SYNTH_EVENTS USER_EVENTS HIST_TRIGGERS',
    );
  });

  it("gives doctor the fragment's tracing section as host options, not the guest's support (symbols, ikconfig)", () => {
    const fragment = fs.readFileSync(path.join(root, 'kernel/tracefs-regress.config'), 'utf8');
    const tracingSection = fragment.slice(fragment.indexOf('# tracefs and every dynamic-event kind'));
    const inSection = [...tracingSection.matchAll(/^CONFIG_(\w+)=y$/gm)].map((m) => m[1]!);
    expect(inSection.filter((o) => !TRACING_OPTIONS.has(o))).toEqual([]);
    expect(TRACING_OPTIONS.has('KALLSYMS')).toBe(false);
    expect(TRACING_OPTIONS.has('IKCONFIG_PROC')).toBe(false);
  });
});

describe('kselftest/config', () => {
  it('is current: the table rendered (run `npm run gen:kselftest` after changing the table)', () => {
    expect(onDisk()).toBe(renderKselftestConfig());
  });

  it('a table with an extra feature renders a config that differs from the file (planted)', () => {
    const extra = [
      ...FEATURE_TABLE,
      { name: 'symbols' as const, tracing: false, config: [{ name: 'PLANTED_OPTION' }] },
    ];
    const planted = renderKselftestConfig(extra);
    expect(planted).not.toBe(onDisk());
    const added = planted.split('\n').filter((l) => !onDisk().split('\n').includes(l));
    expect(added).toEqual(['CONFIG_PLANTED_OPTION=y']);
  });

  it('leaves out the options the suite can run without', () => {
    expect(renderKselftestConfig()).not.toMatch(/CONFIG_(DEBUG_FS|USER_EVENTS)=/);
  });
});
