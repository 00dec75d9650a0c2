// SPDX-License-Identifier: GPL-2.0-only
// --expect under `vm`: the args the guest gets, the host's re-judgement of a
// boot (the console oops an expected failure explains), and the exit code.
import { describe, expect, it } from 'vitest';
import type { BootOutcome } from '../../../src/vm/boot/boot.js';
import { guestExpectArgs, judgeVmReport, loadForVm, nameVmReport } from '../../../src/vm/expectations.js';
import fs from 'node:fs';
import { knownBugLabel, matchKnownBug } from '../../../src/expectations/naming.js';
import { shippedKnownBugs } from '../../../src/expectations/shipped.js';
import { guestArgv } from '../../../src/vm/run-vm.js';
import { planVm, type VmPlan } from '../../../src/vm/plan.js';
import type { VmOpts } from '../../../src/vm/options.js';
import { RUN_GRAMMAR } from './run-grammar.js';
import path from 'node:path';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';
import { packageRoot } from '../../../src/package.js';
import { exitCodeOf, reportOf } from '../../../src/vm/matrix/matrix.js';
import type { ExpectEntry } from '../../../src/expectations/types.js';
import type { RunReport, ScenarioResult } from '../../../src/report/types.js';

const VM_OPTS: VmOpts = { kernel: [], memory: '2G', cpus: '3', timeout: '1200' };

const OOPS = [
  'BUG: kernel NULL pointer dereference, address: 0000000000000050',
  'RIP: 0010:eventfs_iterate+0x29c/0x340',
];
const entry: ExpectEntry = {
  scenario: 'race-getdents',
  kind: '*',
  release: '6.18.*',
  signature: ['eventfs_iterate'],
  action: 'flaky',
  why: 'eventfs_iterate oops',
  source: '/p/kernel/known-bugs.json',
  index: 5,
};
const r = (status: ScenarioResult['status'], kernelLines: string[] = []): ScenarioResult => ({
  name: 'race-getdents[uprobe]',
  scenario: 'race-getdents',
  kind: 'uprobe',
  title: 't',
  status,
  checks: 1,
  durationMs: 3000,
  references: [],
  evidence: kernelLines.length
    ? [
        {
          op: 'kernel health',
          path: '/dev/kmsg',
          expected: 'no oops',
          got: 'oops_count 0->1',
          detail: kernelLines.join('\n'),
        },
      ]
    : [],
  ...(kernelLines.length ? { health: { ok: false, kernelLines } } : {}),
});
const guestReport = (results: ScenarioResult[]): RunReport => ({
  tool: { name: 'tracefs-regress', version: '0' },
  startedAt: '',
  durationMs: 1,
  results,
  env: {
    kernel: { release: '6.18.15+deb13-amd64', version: '', machine: 'x86_64' },
    tracefs: '/sys/kernel/tracing',
    features: [],
    hostname: 'g',
  },
});
const boot = (o: Partial<BootOutcome>): BootOutcome => ({
  status: 'KERNEL_FAILURE',
  kernel: '6.18.15+deb13-amd64',
  accelerator: 'tcg thread=multi',
  consoleFailures: OOPS,
  serialLog: '/r/s',
  runDir: '/r',
  timings: { totalMs: 1 },
  ...o,
});
const tool = { name: 'tracefs-regress', version: '0' };

describe('vm --expect', () => {
  it('takes --expect out of the guest args (repeatable, in = form too) and gives them back absolute', () => {
    const file = path.join(packageRoot, 'kernel', 'known-bugs.json');
    const p = planVm(['-s', 'race-*', '--expect', file, `--expect=${file}`, '--bail'], VM_OPTS, RUN_GRAMMAR);
    expect(p.guestArgs).toEqual(['--scenario=race-*', `--expect=${file}`, `--expect=${file}`, '--bail']);
    expect(() => planVm(['--expect='], VM_OPTS, RUN_GRAMMAR)).toThrow(/--expect needs a file/);
  });

  it('gives the guest absolute paths, and refuses a file under the tmpfs the guest mounts', () => {
    expect(guestExpectArgs(['kernel/known-bugs.json'], '/work/p', '/work/p')).toEqual([
      '--expect',
      '/work/p/kernel/known-bugs.json',
    ]);
    expect(guestExpectArgs(['/tmp/ci/p/known.json'], '/tmp/ci/p')).toEqual(['--expect', '/tmp/ci/p/known.json']);
    expect(() => guestExpectArgs(['/tmp/mine.json'], '/work/p')).toThrow(
      /fresh tmpfs on \/tmp and cannot see \/tmp\/mine\.json: put the file elsewhere/,
    );
    expect(() => guestExpectArgs(['x.json'], '/work/p', '/run/user/0')).toThrow(/tmpfs on \/run/);
    expect(guestExpectArgs(['/tmpfoo/x.json'], '/work/p')).toEqual(['--expect', '/tmpfoo/x.json']);
  });

  it("a console oops explained by the guest's expected failure is XFAIL and the boot exits with the guest's code", () => {
    const o = boot({ guestCode: 0, report: guestReport([{ ...r('XFAIL', OOPS) }]) });
    const rep = judgeVmReport(reportOf(o, tool), [entry]);
    expect(rep.results.map((x) => `${x.name} ${x.status}`)).toEqual([
      'race-getdents[uprobe] XFAIL',
      'vm-console XFAIL',
    ]);
    expect(rep.results[1]!.expectation).toMatchObject({ via: 'race-getdents[uprobe]', matched: OOPS[1] });
    expect(exitCodeOf(o, rep)).toBe(0);
  });

  it('an unexplained console oops still fails the boot, as without --expect', () => {
    const o = boot({ guestCode: 0, report: guestReport([r('PASS')]) });
    const rep = judgeVmReport(reportOf(o, tool), [entry]);
    expect(rep.results.map((x) => x.status)).toEqual(['PASS', 'FAIL']);
    expect(exitCodeOf(o, rep)).toBe(1);
    expect(exitCodeOf(o, reportOf(o, tool))).toBe(1);
    expect(exitCodeOf(o)).toBe(1);
  });

  it('no entries: the report is left as it is', () => {
    const rep = reportOf(boot({ guestCode: 1, report: guestReport([r('FAIL', OOPS)]) }), tool);
    expect(judgeVmReport(rep, [])).toBe(rep);
  });

  it('a guest runs the known crashers (--run-known-crashers) and, without --expect, the shipped ones judge the boot', () => {
    const plan = { guestArgs: ['-s', 'race-getdents'], entry: '/p/bin/tracefs-regress.js' } as VmPlan;
    expect(guestArgv(plan, '/share', { spec: 'debian:6.18' })).toContain('--run-known-crashers');
    // A built tree's release says nothing of the fixes it carries: its guest runs them as plain scenarios.
    const built = guestArgv(plan, '/share', { spec: '/src/linux/arch/x86/boot/bzImage' });
    expect(built).toContain('--ignore-known-crashers');
    expect(built).not.toContain('--run-known-crashers');
    const shipped = loadForVm(
      [],
      CATALOGUE.map((s) => s.id),
    );
    expect(shipped.map((e) => e.crasher?.id)).toEqual(Array(5).fill('CVE-2026-74605'));
    const o = boot({ guestCode: 1, report: guestReport([r('FAIL', OOPS)]) });
    const rep = judgeVmReport(reportOf(o, tool), shipped);
    expect(rep.results.map((x) => `${x.name} ${x.status}`)).toEqual([
      'race-getdents[uprobe] XFAIL',
      'vm-console XFAIL',
    ]);
    expect(rep.results[0]!.expectation).toMatchObject({ crasher: 'CVE-2026-74605', matched: OOPS[1] });
    // The same oops on a kernel outside the ranges is a FAIL.
    const fixed = reportOf(
      boot({
        guestCode: 1,
        kernel: '7.3.4+deb13-amd64',
        report: {
          ...guestReport([r('FAIL', OOPS)]),
          env: { ...guestReport([]).env, kernel: { release: '7.3.4+deb13-amd64', version: '', machine: 'x86_64' } },
        },
      }),
      tool,
    );
    expect(judgeVmReport(fixed, shipped).results.map((x) => x.status)).toEqual(['FAIL', 'FAIL']);
  });

  it('--expect kernel/known-bugs.json from another directory is the package file', () => {
    expect(guestExpectArgs(['kernel/known-bugs.json'], packageRoot, '/')).toEqual([
      '--expect',
      `${packageRoot}/kernel/known-bugs.json`,
    ]);
  });
});

describe('vm: failures named by the known bug they match', () => {
  // A console as scanConsole keeps it from a real 6.18.15 oops (test/unit/report/lkml-fixtures.ts).
  const CONSOLE = [
    'BUG: kernel NULL pointer dereference, address: 0000000000000050',
    'RIP: 0010:eventfs_iterate+0x29c/0x340',
    'Call Trace: iterate_dir+0x8e/0x1a0 <- __x64_sys_getdents64+0x84/0x130',
    'Oops: 0000 [#1] PREEMPT SMP NOPTI',
  ];
  const named = (kernel: string) =>
    nameVmReport(
      reportOf(
        boot({
          guestCode: 1,
          kernel,
          consoleFailures: CONSOLE,
          report: {
            ...guestReport([r('FAIL', CONSOLE), { ...r('FAIL'), name: 'removed-files-enoent[uprobe]' }]),
            env: { ...guestReport([]).env, kernel: { release: kernel, version: '', machine: 'x86_64' } },
          },
        }),
        tool,
      ),
    );

  it("names the console's result and the guest's by the shipped catalogue, the unmatched one NEW, statuses unchanged", () => {
    const rep = named('6.18.15+deb13-amd64');
    expect(rep.results.map((x) => `${x.name} ${x.status} ${knownBugLabel(x)}`)).toEqual([
      'race-getdents[uprobe] FAIL CVE-2026-74605: predates the fix',
      'removed-files-enoent[uprobe] FAIL NEW',
      'vm-console FAIL CVE-2026-74605: predates the fix',
    ]);
    expect(rep.results[2]!.knownBug!.matched).toBe(CONSOLE[1]);
  });

  it('the same console on a release with the fix: should contain it', () => {
    expect(named('7.3.4+deb13-amd64').results.map((x) => knownBugLabel(x))).toEqual([
      'CVE-2026-74605: fix missing: regression or backport',
      'NEW',
      'CVE-2026-74605: fix missing: regression or backport',
    ]);
  });

  it('after the --expect judging, an XFAIL is named too and stays XFAIL', () => {
    const o = boot({ guestCode: 1, report: guestReport([r('FAIL', OOPS)]) });
    const rep = nameVmReport(judgeVmReport(reportOf(o, tool), [entry]));
    expect(rep.results.map((x) => `${x.status} ${knownBugLabel(x)}`)).toEqual([
      'XFAIL CVE-2026-74605: predates the fix',
      'XFAIL CVE-2026-74605: predates the fix',
    ]);
  });
});

describe('vm naming over recorded consoles (fixtures/named-consoles.json: real guest reports of a selftest run)', () => {
  const recorded = JSON.parse(fs.readFileSync(new URL('./fixtures/named-consoles.json', import.meta.url), 'utf8')) as {
    from: string;
    release: string;
    version: string;
    lines: string[];
  }[];
  const bugs = shippedKnownBugs(CATALOGUE.map((s) => s.id))!;

  it('the list-del mutant is CVE-2024-46785 (the mutant undoes its fix), the SRCU one CVE-2026-74605, Debian 6.1 the trigger-fd WARN', () => {
    expect(
      recorded.map((x) => [
        x.release,
        matchKnownBug(x.lines, bugs, x.release, x.version)?.id,
        matchKnownBug(x.lines, bugs, x.release, x.version)?.verdict,
      ]),
    ).toEqual([
      ['6.12.118', 'CVE-2024-46785', 'should-contain-fix'],
      ['6.12.118', 'CVE-2026-74605', 'predates-fix'],
      ['6.1.0-57-amd64', 'tfsr-6.1-trigger-fd-warn', 'predates-fix'],
      ['6.1.0-57-amd64', 'tfsr-6.1-trigger-fd-warn', 'predates-fix'],
    ]);
    // Debian 6.1's release hides its version; the build string gives it.
    expect(matchKnownBug(recorded[2]!.lines, bugs, recorded[2]!.release, recorded[2]!.version)!.text).toContain(
      '6.1.0-57-amd64 (6.1.192) predates the fix',
    );
  });
});
