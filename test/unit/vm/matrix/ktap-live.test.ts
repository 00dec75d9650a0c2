// SPDX-License-Identifier: GPL-2.0-only
// `vm --format ktap` on the host: the guest's journal records become KTAP as
// they arrive; the boot's end closes the document with the host's checks and
// the variants the guest never reached. Every prefix and every whole document
// must pass the strict parser.
import { describe, expect, it } from 'vitest';
import { VmKtap } from '../../../../src/vm/matrix/ktap-live.js';
import { reportOf } from '../../../../src/vm/matrix/matrix.js';
import type { BootOutcome } from '../../../../src/vm/boot/boot.js';
import { partialRun } from '../../../../src/vm/boot/partial.js';
import type { JournalRecord } from '../../../../src/report/journal.js';
import { parseKtap } from '../../report/ktap-parser.js';
import { pass, report, skip } from '../../report/fixtures.js';

const tool = { name: 'tracefs-regress', version: '0.1.0' };
const env = report([]).env;
const PLAN = [pass.name, skip.name, 'held-dirfd-enoent[uprobe]'];

function capture() {
  let out = '';
  const prefixes: string[] = [];
  return {
    sink: (t: string) => {
      out += t;
      prefixes.push(out);
    },
    get out() {
      return out;
    },
    prefixes,
  };
}

const start: JournalRecord = { type: 'start', tool, startedAt: '2026-12-02T00:00:00.000Z', env, plan: PLAN };
const sent: JournalRecord[] = [
  start,
  { type: 'running', name: pass.name, at: '2026-12-02T00:00:01.000Z' },
  { type: 'result', result: pass },
  { type: 'result', result: skip },
  { type: 'running', name: 'held-dirfd-enoent[uprobe]', at: '2026-12-02T00:00:02.000Z' },
];

function outcome(over: Partial<BootOutcome>): BootOutcome {
  return {
    status: 'DONE',
    kernel: '6.12.118+deb13-amd64',
    accelerator: 'tcg thread=multi',
    consoleFailures: [],
    serialLog: '',
    runDir: '/nonexistent',
    timings: { totalMs: 1000 },
    ...over,
  };
}

describe('vm --format ktap', () => {
  it('a guest that panics mid-suite: the results it sent, the rest not run, vm-console not ok', () => {
    const c = capture();
    const k = new VmKtap(c.sink, 1);
    for (const r of sent) k.onJournal(r);
    // What was out before the boot ended: a valid prefix with both results.
    expect(parseKtap(c.out, { prefix: true }).results.map((r) => r.name)).toEqual([pass.name, skip.name]);
    const partial = partialRun(sent, { endedMs: Date.parse('2026-12-02T00:00:03.000Z') });
    const o = outcome({
      status: 'KERNEL_FAILURE',
      report: partial.report!,
      partial: true,
      running: partial.running!,
      consoleFailures: ['Kernel panic - not syncing: sysrq triggered crash'],
      message: 'the guest kernel reported a failure on the console during held-dirfd-enoent[uprobe]',
    });
    k.bootEnded(reportOf(o, tool), o.message);
    for (const p of c.prefixes) expect(() => parseKtap(p, { prefix: true })).not.toThrow();
    const d = parseKtap(c.out);
    expect(d.plan).toBe(5);
    expect(
      d.results.map((r) => `${r.ok ? 'ok' : 'not ok'} ${r.name}${r.directive ? ` # ${r.directive}` : ''}`),
    ).toEqual([
      `ok ${pass.name}`,
      `ok ${skip.name} # SKIP`,
      'not ok held-dirfd-enoent[uprobe] # ERROR',
      'not ok vm-console',
      'ok vm-boot',
    ]);
    expect(d.results[2]!.data).toMatch(/^not run: the guest kernel reported a failure/);
    expect(d.results[3]!.diagnostics.join('\n')).toContain('Kernel panic - not syncing');
  });

  it('a guest killed at --timeout: vm-boot not ok after # TIMEOUT <s> seconds', () => {
    const c = capture();
    const k = new VmKtap(c.sink, 1);
    for (const r of sent.slice(0, 3)) k.onJournal(r);
    const partial = partialRun(sent.slice(0, 3), { endedMs: Date.parse('2026-12-02T00:00:03.000Z') });
    const o = outcome({
      status: 'TIMEOUT',
      timeoutMs: 1_200_000,
      report: partial.report!,
      message: 'TIMEOUT: the guest did not finish within 1200 s; qemu killed',
    });
    k.bootEnded(reportOf(o, tool), o.message);
    const d = parseKtap(c.out);
    const boot = d.results.find((r) => r.name === 'vm-boot')!;
    expect(boot.ok).toBe(false);
    expect(boot.directive).toBeUndefined();
    expect(boot.diagnostics).toContain('TIMEOUT 1200 seconds');
    expect(d.results.filter((r) => r.data?.startsWith('not run: TIMEOUT')).map((r) => r.name)).toEqual([
      skip.name,
      'held-dirfd-enoent[uprobe]',
    ]);
  });

  it('a matrix: one subtest per kernel, a kernel never booted is not run', () => {
    const c = capture();
    const k = new VmKtap(c.sink, 2);
    for (const r of [start, ...PLAN.map((n) => ({ type: 'result', result: { ...pass, name: n } }) as const)])
      k.onJournal(r);
    k.bootEnded(reportOf(outcome({ report: report(PLAN.map((n) => ({ ...pass, name: n }))) }), tool), undefined);
    k.end(['debian:6.18'], 'stopped by SIGINT; qemu killed');
    const d = parseKtap(c.out);
    expect(d.plan).toBe(2);
    expect(d.results[0]!.ok).toBe(true);
    expect(d.results[0]!.subtest!.results).toHaveLength(5);
    expect(d.results[1]).toMatchObject({ ok: false, directive: 'ERROR', name: 'debian:6.18' });
  });

  it('planted: a boot that never ends leaves a document the whole-document parser refuses', () => {
    const c = capture();
    const k = new VmKtap(c.sink, 1);
    for (const r of sent) k.onJournal(r);
    expect(() => parseKtap(c.out)).toThrow(/1\.\.5 but there are 2/);
  });
});
