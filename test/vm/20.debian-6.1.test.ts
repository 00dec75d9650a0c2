// debian:6.1 (tracefs before eventfs): the removal scenarios pass, or skip
// with a reason that is true of this kernel.
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../src/scenarios/catalogue.js';
import { buildDist, REQUIRED, runVm, unavailable, type VmRun } from './helpers.js';

const why = unavailable();
const removal = CATALOGUE.filter((s) => !s.race).map((s) => s.id);

describe.skipIf(why !== undefined && !REQUIRED)('vm debian:6.1, removal scenarios', () => {
  let run: VmRun;
  beforeAll(async () => {
    if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
    await buildDist();
    run = await runVm(['--kernel', 'debian:6.1'], removal.flatMap((id) => ['--scenario', id]), 900_000);
  });

  it('boots 6.1 and runs each removal scenario with kprobes', () => {
    expect(run.report.env.kernel.release).toMatch(/^6\.1\./);
    for (const id of removal) expect(run.report.results.some((r) => r.scenario === id && r.kind === 'kprobe'), id).toBe(true);
  });

  it('passes, or skips with a reason', () => {
    const bad = run.report.results.filter((r) => r.status === 'FAIL' || r.status === 'UNRESOLVED');
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    for (const r of run.report.results.filter((x) => x.status === 'UNSUPPORTED')) expect(r.reason, r.name).toBeTruthy();
    // kprobes exist on 6.1: a kprobe variant skipped for lack of them would be a false reason
    for (const r of run.report.results.filter((x) => x.kind === 'kprobe')) expect(r.reason ?? '', r.name).not.toMatch(/kprobe_events not available/);
    expect([0, 4]).toContain(run.exitCode);
  });
});
