// SPDX-License-Identifier: GPL-2.0-only
import { renderKtap } from '../../../../src/report/ktap.js';
import { describe, expect, it } from 'vitest';
import type { BootOutcome } from '../../../../src/vm/boot/boot.js';
import { combinedExitCode, exitCodeOf, matrixTable, reportOf } from '../../../../src/vm/matrix/matrix.js';
import { parseQemuVersion } from '../../../../src/vm/qemu/version.js';
import type { RunReport, ScenarioResult } from '../../../../src/report/types.js';

const tool = { name: 'tracefs-regress', version: '0.0.0' };
const result = (name: string, status: ScenarioResult['status']): ScenarioResult => ({
  name,
  scenario: name.replace(/\[.*/, ''),
  kind: 'kprobe',
  title: name,
  status,
  evidence: [],
  checks: 1,
  durationMs: 1,
  references: [],
});
const report = (release: string, results: ScenarioResult[]): RunReport => ({
  tool,
  startedAt: '',
  durationMs: 1,
  results,
  env: {
    kernel: { release, version: '', machine: 'x86_64' },
    tracefs: '/sys/kernel/tracing',
    features: [],
    hostname: 'g',
  },
});
const outcome = (o: Partial<BootOutcome>): BootOutcome => ({
  status: 'DONE',
  kernel: '6.12.1',
  accelerator: 'tcg thread=single',
  consoleFailures: [],
  serialLog: '/r/serial.log',
  runDir: '/r',
  timings: { totalMs: 1000 },
  ...o,
});

describe('vm outcomes as reports', () => {
  it('stamps the accelerator on a report that lacks it', () => {
    const r = reportOf(outcome({ guestCode: 0, report: report('6.12.1', [result('a[kprobe]', 'PASS')]) }), tool);
    expect(r.env.accelerator).toBe('tcg thread=single');
    expect(r.results).toHaveLength(1);
  });

  it('turns console oopses into a failing result quoting them, flagged when under multi-threaded TCG', () => {
    const o = outcome({
      status: 'KERNEL_FAILURE',
      accelerator: 'tcg thread=multi',
      guestCode: 0,
      consoleFailures: ['Oops: int3: 0000 [#1] PREEMPT SMP NOPTI', 'RIP: 0010:ttwu_do_activate+0x5/0x1e0'],
      report: report('6.12.1', [result('a[kprobe]', 'PASS')]),
    });
    const r = reportOf(o, tool);
    const c = r.results.find((x) => x.name === 'vm-console')!;
    expect(c.status).toBe('FAIL');
    expect(c.evidence.map((e) => e.got)).toEqual(o.consoleFailures);
    expect(c.notes?.join(' ')).toMatch(/multi-threaded TCG.*Oops: int3.*--tcg single/);
    expect(exitCodeOf(o)).toBe(1);
    // QEMU 7.2 flags any oops under multi; 10.0.2 (measured: int3 in 1 of 5 boots) still flags an int3 ...
    expect(reportOf(o, tool, parseQemuVersion('QEMU emulator version 7.2.22')).results.at(-1)!.notes).toHaveLength(1);
    expect(reportOf(o, tool, parseQemuVersion('QEMU emulator version 10.0.2')).results.at(-1)!.notes).toHaveLength(1);
    // ... but any other oops from 8.1 on is the kernel's to answer for.
    const nullDeref = {
      ...o,
      consoleFailures: [
        'BUG: kernel NULL pointer dereference, address: 0000000000000050',
        'RIP: 0010:eventfs_iterate+0x29c/0x340',
      ],
    };
    const fresh = reportOf(nullDeref, tool, parseQemuVersion('QEMU emulator version 10.0.2'));
    expect(fresh.results.find((x) => x.name === 'vm-console')).toMatchObject({ status: 'FAIL', notes: [] });
  });

  it('a guest ended after an oops keeps the results its journal sent, and the console result says what was running', () => {
    const partial = {
      ...report('6.12.118', [result('removed-files-enoent[uprobe]', 'PASS')]),
      interrupted: 'the guest ended during fd-across-removal[uprobe]',
    };
    const o = outcome({
      status: 'KERNEL_FAILURE',
      partial: true,
      running: 'fd-across-removal[uprobe]',
      report: partial,
      message: 'the guest kernel reported a failure on the console during fd-across-removal[uprobe] at 31.4 s ...',
      consoleFailures: [
        'BUG: kernel NULL pointer dereference, address: 0000000000000010',
        'RIP: 0010:event_enable_write+0x4c/0xf0',
      ],
    });
    const r = reportOf(o, tool);
    expect(r.results.map((x) => `${x.name} ${x.status}`)).toEqual([
      'removed-files-enoent[uprobe] PASS',
      'vm-console FAIL',
    ]);
    expect(r.results[1]!.reason).toMatch(/during fd-across-removal\[uprobe\]/);
    expect(r.interrupted).toMatch(/fd-across-removal/);
    expect(exitCodeOf(o)).toBe(1);
  });

  it('reports a timeout as a TIMEOUT boot carrying the limit, even without a guest report', () => {
    const o = outcome({
      status: 'TIMEOUT',
      timeoutMs: 10_000,
      message: 'TIMEOUT: the guest did not finish within 10 s; qemu killed',
    });
    const r = reportOf(o, tool);
    expect(r.results).toEqual([
      expect.objectContaining({
        name: 'vm-boot',
        status: 'TIMEOUT',
        reason: o.message,
        timeout: { limitMs: 10_000, signals: 0, overrunMs: 0 },
      }),
    ]);
    expect(r.interrupted).toBe('TIMEOUT');
    expect(exitCodeOf(o)).toBe(1);
    // In KTAP: the limit as kselftest's runner words it, on a diagnostic line before a bare not ok.
    expect(renderKtap(r)).toMatch(/^# TIMEOUT 10 seconds\n(# .*\n)*not ok 1 vm-boot\n/m);
  });

  it('a guest run that exits 4 before any report (the guest kernel lacks the feature) is a skipped boot, exit 4', () => {
    const o = outcome({ guestCode: 4 });
    const r = reportOf(o, tool);
    expect(r.results.map((x) => `${x.name} ${x.status}`)).toEqual(['vm-boot UNSUPPORTED']);
    expect(exitCodeOf(o)).toBe(4);
    // planted: a guest that failed (exit 1) without a report stays an unresolved boot
    expect(reportOf(outcome({ guestCode: 1 }), tool).results.map((x) => x.status)).toEqual(['UNRESOLVED']);
  });

  it('exits with the guest code, 2 for a guest setup failure, 130/143/129 on signals', () => {
    expect(exitCodeOf(outcome({ guestCode: 4 }))).toBe(4);
    expect(exitCodeOf(outcome({ status: 'GUEST_SETUP' }))).toBe(2);
    expect(exitCodeOf(outcome({ status: 'INTERRUPTED', interrupted: 'SIGTERM' }))).toBe(143);
    expect(exitCodeOf(outcome({ status: 'INTERRUPTED', interrupted: 'SIGHUP' }))).toBe(129);
    expect(combinedExitCode([0, 4])).toBe(0);
    expect(combinedExitCode([4, 4])).toBe(4);
    expect(combinedExitCode([0, 2, 1])).toBe(1);
    expect(combinedExitCode([0, 2])).toBe(2);
  });

  it('prints a kernel x scenario table', () => {
    const t = matrixTable([
      { ...report('6.1.0-56-amd64', [result('a[kprobe]', 'PASS'), result('b[kprobe]', 'UNSUPPORTED')]) },
      { ...report('6.12.118+deb13-amd64', [result('a[kprobe]', 'FAIL')]) },
    ]);
    const lines = t.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^scenario\s+6\.1\.0-56-amd64\s+6\.12\.118\+deb13-amd64$/);
    expect(lines[2]).toMatch(/^a\[kprobe\]\s+PASS\s+FAIL$/);
    expect(lines[3]).toMatch(/^b\[kprobe\]\s+SKIP\s+-$/);
  });
});
