// SPDX-License-Identifier: GPL-2.0-only
// Several kernels, one after another: every boot becomes a RunReport (a boot
// that produced none becomes a report with one UNRESOLVED result saying why),
// console failures become a FAIL, and the runs print as a kernel x scenario
// table. KTAP/JUnit/JSON nesting per kernel is the report module's job.
import { EXIT, exitForSignal } from '../../errors.js';
import os from 'node:os';
import type { RunReport, ScenarioResult } from '../../report/types.js';
import { exitCodeFor } from '../../report/exit-code.js';
import type { BootOutcome } from '../boot/boot.js';
import { mttcgSafe, type QemuVersion } from '../qemu/version.js';
import { INT3_OOPS } from '../../health/splat.js';
import { caughtText, cellAt, matrixVerdicts, SHORT } from '../../report/verdicts.js';

export const CONSOLE_RESULT = 'vm-console';
export const BOOT_RESULT = 'vm-boot';

const MULTI_TCG_NOTE =
  'seen under multi-threaded TCG, where QEMU (7.2, and rarely 10.0.2 too) can raise `Oops: int3` while the kernel patches ' +
  'its own text (an emulator artefact, not necessarily a kernel regression): re-run with --tcg single to confirm';

/** A result the host adds itself (vm-console, vm-boot); a clean one has no reason, evidence or notes. */
export function hostCheck(
  name: string,
  status: ScenarioResult['status'],
  reason?: string,
  lines: string[] = [],
  notes?: string[],
): ScenarioResult {
  return {
    name,
    scenario: name,
    kind: 'vm',
    title:
      name === CONSOLE_RESULT
        ? 'the guest console shows no panic, oops, BUG or KASAN report'
        : 'the guest booted and reported back',
    status,
    ...(reason !== undefined ? { reason } : {}),
    evidence: lines.map((l) => ({ op: 'console', path: 'serial', expected: 'no kernel failure report', got: l })),
    checks: 1,
    durationMs: 0,
    references: [],
    ...(notes ? { notes } : {}),
  };
}

/**
 * The report of one boot, with what the host saw (console failures, timeouts)
 * added as results. qemu: the version that ran it; an `Oops: int3` under
 * multi-threaded TCG is flagged as a possible emulator artefact (on a QEMU
 * older than 8.1, any console oops is).
 */
export function reportOf(o: BootOutcome, tool: { name: string; version: string }, qemu?: QemuVersion): RunReport {
  const report: RunReport = o.report
    ? structuredClone(o.report)
    : {
        tool,
        startedAt: new Date().toISOString(),
        durationMs: o.timings.totalMs,
        env: {
          kernel: { release: o.kernel, version: '', machine: 'x86_64' },
          tracefs: '/sys/kernel/tracing',
          features: [],
          accelerator: o.accelerator,
          hostname: os.hostname(),
        },
        results: [],
      };
  report.env.accelerator ??= o.accelerator;
  const multi =
    o.accelerator === 'tcg thread=multi' && (!mttcgSafe(qemu) || o.consoleFailures.some((l) => INT3_OOPS.test(l)));
  if (o.consoleFailures.length) {
    report.results.push(
      hostCheck(
        CONSOLE_RESULT,
        'FAIL',
        o.message ?? 'kernel failure on the console',
        o.consoleFailures,
        multi ? [MULTI_TCG_NOTE] : [],
      ),
    );
  }
  if (!o.report && o.status === 'DONE' && o.guestCode === EXIT.skip) {
    // `run` found nothing it could run on this kernel (no tracefs, none of the --probe kinds): a skip, as its exit 4 says.
    const boot = hostCheck(
      BOOT_RESULT,
      'UNSUPPORTED',
      'the guest kernel lacks what the run asked for (exit 4; its reason is on the console)',
      [],
      [],
    );
    report.results.push(boot);
  } else if (!o.report || (o.status !== 'DONE' && o.status !== 'KERNEL_FAILURE')) {
    const boot = hostCheck(
      BOOT_RESULT,
      o.status === 'TIMEOUT' ? 'TIMEOUT' : 'UNRESOLVED',
      o.message ?? o.status,
      o.serialLog ? [`console log: ${o.serialLog}`] : [],
      [],
    );
    // A guest killed at --timeout carries the limit, as a scenario's TIMEOUT does (KTAP: `# TIMEOUT <s> seconds`).
    if (o.status === 'TIMEOUT' && o.timeoutMs) boot.timeout = { limitMs: o.timeoutMs, signals: 0, overrunMs: 0 };
    report.results.push(boot);
    if (o.status === 'TIMEOUT') report.interrupted = 'TIMEOUT';
  }
  return report;
}

/**
 * The exit code of one boot: the guest's own, unless the host saw something
 * worse. A console failure fails the boot unless `report` (the host's final
 * report of it, expectations applied) no longer counts it as a failure: an
 * oops an --expect entry expects (XFAIL) leaves the guest's verdict standing.
 */
export function exitCodeOf(o: BootOutcome, report?: RunReport): number {
  if (o.status === 'INTERRUPTED') return exitForSignal(o.interrupted);
  if (o.status === 'GUEST_SETUP') return EXIT.usage;
  if (o.status === 'KERNEL_FAILURE' && o.report && report)
    return combinedExitCode([o.guestCode ?? EXIT.failed, exitCodeFor(report)]);
  if (o.status !== 'DONE') return EXIT.failed;
  return o.guestCode ?? EXIT.failed;
}

/** Several boots: any failure fails, then any environment error; 4 only when nothing ran anywhere. */
export function combinedExitCode(codes: number[]): number {
  for (const c of [EXIT.sigint, EXIT.sigterm, EXIT.sighup, EXIT.failed, EXIT.usage]) if (codes.includes(c)) return c;
  if (codes.some((c) => c !== EXIT.ok && c !== EXIT.skip)) return EXIT.failed;
  return codes.length && codes.every((c) => c === EXIT.skip) ? EXIT.skip : EXIT.ok;
}

/**
 * Rows: result names, the host's checks last; columns: kernels (several boots
 * of one kernel are one column). A cell is the worst status over the boots and,
 * with several boots, how many caught a failure: "XFAIL 1/2" (src/report/verdicts.ts).
 */
export function matrixTable(reports: readonly RunReport[]): string {
  const v = matrixVerdicts(reports);
  const cols = v.kernels.map((k) => `${k.kernel}${k.accelerators.length ? ` (${k.accelerators.join(', ')})` : ''}`);
  const cell = (k: number, s: number) => {
    const c = cellAt(v, k, s);
    return [SHORT[c.status], caughtText(c)].filter(Boolean).join(' ');
  };
  const w0 = Math.max('scenario'.length, ...v.scenarios.map((r) => r.length));
  const widths = cols.map((c) => Math.max(c.length, 5));
  const line = (first: string, cells: string[]) =>
    [first.padEnd(w0), ...cells.map((c, i) => c.padEnd(widths[i]!))].join('  ').trimEnd();
  return (
    [
      line('scenario', cols),
      line(
        '-'.repeat(w0),
        widths.map((w) => '-'.repeat(w)),
      ),
      ...v.scenarios.map((name, s) =>
        line(
          name,
          cols.map((_, k) => cell(k, s)),
        ),
      ),
    ].join('\n') + '\n'
  );
}
