// SPDX-License-Identifier: GPL-2.0-only
// debian:6.12 (eventfs with the 2024 fixes, kprobes built in): the whole
// suite runs inside the guest, and every scenario's kprobe variant must run
// and pass -- none may be skipped for lack of kprobes.
import { expect, it } from 'vitest';
import { CATALOGUE } from '../../src/scenarios/catalogue.js';
import { describeVm } from './helpers.js';

describeVm('vm debian:6.12, full suite', ['--kernel', 'debian:6.12'], [], 1_500_000, (run) => {
  it('boots 6.12 and the guest run passes', () => {
    expect(run().report.env.kernel.release).toMatch(/^6\.12\./);
    const bad = run().report.results.filter((r) => r.status === 'FAIL' || r.status === 'UNRESOLVED');
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    expect(run().exitCode).toBe(0);
  });

  it('names the accelerator and mode it ran under', () => {
    expect(run().report.env.accelerator).toMatch(/^(kvm|tcg thread=(single|multi))$/);
  });

  it('runs every scenario with kprobes, and each passes', () => {
    expect(run().report.env.features).toContain('kprobe_events');
    const kprobe = run().report.results.filter((r) => r.kind === 'kprobe');
    for (const s of CATALOGUE.filter((x) => !x.excludeKinds?.includes('kprobe'))) {
      const r = kprobe.find((x) => x.scenario === s.id);
      expect(r, `no kprobe variant of ${s.id}`).toBeDefined();
      expect(`${r!.name}: ${r!.status}${r!.reason ? ` (${r!.reason})` : ''}`).toBe(`${r!.name}: PASS`);
    }
  });

  it('runs the perm scenarios with both kinds, the remount included (the guest passes --allow-remount)', () => {
    for (const id of ['perm-unprivileged', 'perm-chmod-removed', 'perm-remount-gid']) {
      for (const kind of ['kprobe', 'uprobe']) {
        const r = run().report.results.find((x) => x.scenario === id && x.kind === kind);
        expect(r ? `${r.name}: ${r.status}${r.reason ? ` (${r.reason})` : ''}` : `no ${id}[${kind}]`).toBe(
          `${id}[${kind}]: PASS`,
        );
      }
    }
  });
});
