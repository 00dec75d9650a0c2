// SPDX-License-Identifier: GPL-2.0-only
// The reproducer step's rules, on planted output: every way a reproducer can
// let the self-test down must come out as a problem.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  judgeClean,
  judgeOwn,
  parseDriverOutput,
  parseExecBoot,
  pickRaces,
  reproDriverScript,
  reproName,
  reproProblems,
  type ExecBoot,
  type ReproRow,
} from '../../../../src/kernel/selftest/repro-verdict.js';
import { renderReproTable } from '../../../../src/kernel/selftest/repro-table.js';

const DONE: ExecBoot = { vmExit: 0, kernelFailure: false, console: [] };
const OOPS: ExecBoot = {
  vmExit: 1,
  kernelFailure: true,
  console: ['BUG: kernel NULL pointer dereference, address: 0000000000000050'],
  status: 'KERNEL_FAILURE',
};
const HIT = 'REPRODUCED: open events/kprobes/x/enable: expected ENOENT, got fd';

describe('the driver', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-driver-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const prog = (name: string, body: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return f;
  };

  it('runs each program with its own words, keeps stdout+stderr apart per program, and reports each exit status', () => {
    const driver = prog('run-repros.sh', reproDriverScript().replace(/^#!.*\n/, ''));
    const a = prog('k--a[kprobe]', `echo "${HIT}"; exit 1`);
    const b = prog('k--b[uprobe]', 'echo "args: $*"; echo "not reproduced" >&2; exit 0');
    const out = execFileSync('/bin/sh', [driver, a, '', b, '-d 20'], { encoding: 'utf8' });
    const runs = parseDriverOutput(out);
    expect(runs.get('k--a[kprobe]')).toEqual({ lines: [HIT], exit: 1 });
    expect(runs.get('k--b[uprobe]')).toEqual({ lines: ['args: -d 20', 'not reproduced'], exit: 0 });
  });

  it('a guest that died mid-program leaves it without an exit status, and the rest unrun', () => {
    const runs = parseDriverOutput('@@tfsr-repro start a\nworking\n');
    expect(runs.get('a')).toEqual({ lines: ['working'] });
    expect(runs.get('b')).toBeUndefined();
  });

  it("reads vm's stderr: its status and the console lines it quoted", () => {
    const err =
      'vm: 6.12.117: KERNEL_FAILURE (kernel failure on the console); guest command started 3.1 s\n' +
      'vm:   console: BUG: kernel NULL pointer dereference, address: 0000000000000050\n' +
      'vm:   console: RIP: 0010:eventfs_iterate+0x29c/0x340\n';
    expect(parseExecBoot(1, err)).toEqual({
      vmExit: 1,
      kernelFailure: true,
      status: 'KERNEL_FAILURE',
      console: ['BUG: kernel NULL pointer dereference, address: 0000000000000050', 'RIP: 0010:eventfs_iterate+0x29c/0x340'],
    });
    expect(parseExecBoot(1, 'vm: 6.12.117: TIMEOUT (the guest did not finish within 300 s)\n')).toMatchObject({
      kernelFailure: false,
      status: 'TIMEOUT',
    });
    expect(parseExecBoot(0, '')).toEqual(DONE);
    expect(reproName('/x/fd-across-removal[kprobe].c')).toEqual({
      name: 'fd-across-removal[kprobe]',
      scenario: 'fd-across-removal',
    });
  });
});

describe('on its own kernel', () => {
  it('REPRODUCED: and exit 1 is reproduced', () => {
    expect(judgeOwn({ lines: ['step 1', HIT], exit: 1 }, false, DONE)).toEqual({ cell: 'reproduced', line: HIT });
  });

  it('planted: exit 0 on its mutant fails', () => {
    expect(judgeOwn({ lines: ['not reproduced'], exit: 0 }, false, DONE)).toMatchObject({
      cell: 'NOT',
      problem: 'exit 0 on its own kernel: not reproduced',
    });
  });

  it('planted: exit 1 without a REPRODUCED line fails', () => {
    expect(judgeOwn({ lines: ['open: EPERM'], exit: 1 }, false, DONE)).toMatchObject({
      cell: 'NOT',
      problem: 'exit 1 without a REPRODUCED: line',
    });
  });

  it('planted: exit 4 (no such probe kind) and other statuses fail', () => {
    expect(judgeOwn({ lines: [], exit: 4 }, false, DONE).problem).toMatch(/exit 4: says its own kernel lacks/);
    expect(judgeOwn({ lines: ['Segmentation fault'], exit: 139 }, false, DONE).problem).toBe(
      'exit 139: Segmentation fault',
    );
  });

  it('an oops that ended the guest counts for a race reproducer only, and says so', () => {
    expect(judgeOwn({ lines: ['racing'] }, true, OOPS)).toEqual({ cell: 'reproduced (oops)', line: OOPS.console[0] });
    expect(judgeOwn({ lines: ['step 1'] }, false, OOPS)).toMatchObject({ cell: 'NOT' });
    expect(judgeOwn({ lines: ['step 1'] }, false, OOPS).problem).toMatch(/no exit status: the guest's kernel failed/);
    // A race whose guest timed out without an oops reproduced nothing.
    expect(judgeOwn({ lines: [] }, true, { vmExit: 1, kernelFailure: false, console: [], status: 'TIMEOUT' }).problem).toMatch(
      /no exit status: the guest ended before it finished \(vm exit 1, TIMEOUT\)/,
    );
  });

  it('a reproducer the guest never reached fails', () => {
    expect(judgeOwn(undefined, true, OOPS).problem).toMatch(/^did not run: the guest's kernel failed/);
  });
});

describe('on the clean kernel', () => {
  it("'not reproduced' and exit 0 is clean", () => {
    expect(judgeClean({ lines: ['not reproduced'], exit: 0 }, DONE)).toEqual({ cell: 'clean', line: 'not reproduced' });
  });

  it('planted: exit 1 on clean fails, quoting its REPRODUCED line', () => {
    expect(judgeClean({ lines: [HIT], exit: 1 }, DONE)).toEqual({ cell: 'NOT', problem: `exit 1 on clean: ${HIT}` });
  });

  it('planted: exit 0 without the verdict line, or with a REPRODUCED line, fails', () => {
    expect(judgeClean({ lines: [], exit: 0 }, DONE).problem).toMatch(/without a 'not reproduced' line/);
    expect(judgeClean({ lines: [HIT, 'not reproduced'], exit: 0 }, DONE).cell).toBe('NOT');
  });

  it('an oops on clean fails, race or not', () => {
    expect(judgeClean({ lines: [] }, OOPS).problem).toMatch(/no exit status on clean: the guest's kernel failed/);
  });
});

describe('the problems the step reports', () => {
  const ok = (kernel: string, name: string, race = false): ReproRow => ({
    kernel,
    name,
    race,
    source: `/o/repro/${kernel}/${name}.c`,
    binary: `/o/repro/bin/${kernel}--${name}`,
    own: { cell: 'reproduced', line: HIT },
    clean: { cell: 'clean', line: 'not reproduced' },
  });

  it('a good run has none', () => {
    expect(reproProblems([ok('m1', 'a[kprobe]'), ok('debian-6.1', 'fd[kprobe]')], ['m1', 'debian-6.1'])).toEqual([]);
  });

  it('planted: a compile failure, a miss on its kernel, a hit on clean, and a kernel that generated nothing each fail', () => {
    const broken: ReproRow = { kernel: 'm1', name: 'b[uprobe]', race: false, source: '/o/b.c', buildLog: '/o/b.log' };
    const miss = { ...ok('m1', 'c[kprobe]'), own: judgeOwn({ lines: ['not reproduced'], exit: 0 }, false, DONE) };
    const noisy = { ...ok('m1', 'd[kprobe]'), clean: judgeClean({ lines: [HIT], exit: 1 }, DONE) };
    const p = reproProblems([ok('m1', 'a[kprobe]'), broken, miss, noisy], ['m1', 'm2']);
    expect(p).toEqual([
      'm2: no reproducer generated (repro/m2/ is empty)',
      'm1: reproducer b[uprobe]: does not build with cc -O2 -static -pthread (/o/b.log)',
      'm1: reproducer c[kprobe] on m1: exit 0 on its own kernel: not reproduced',
      `m1: reproducer d[kprobe]: exit 1 on clean: ${HIT}`,
    ]);
  });

  it('planted: a kernel whose reproducers were all skipped, and one that ran but never on clean, fail', () => {
    const skipped: ReproRow = { ...ok('m1', 'r[uprobe]', true), own: undefined, clean: undefined, skipped: 'cap' };
    const noClean: ReproRow = { ...ok('m2', 'a[kprobe]'), clean: undefined };
    expect(reproProblems([skipped, noClean], ['m1', 'm2'])).toEqual([
      'm1: no reproducer was run on its own kernel',
      'm2: reproducer a[kprobe]: not run on the clean kernel',
    ]);
  });

  it('a race reproducer that ran its time without a violation is a miss only when another race of its kernel reproduced', () => {
    const miss = { ...ok('m5', 'race-getdents[uprobe]', true), own: judgeOwn({ lines: ['not reproduced'], exit: 0 }, true, DONE) };
    const hit = { ...ok('m5', 'race-getdents-sibling[uprobe]', true), own: judgeOwn({ lines: [] }, true, OOPS) };
    expect(reproProblems([miss, hit], ['m5'])).toEqual([]);
    expect(renderReproTable([miss, hit], [])).toContain('| m5 | race-getdents[uprobe] | race | yes | yes | missed (race) | clean |');
    // planted: alone, the miss fails; a single-threaded miss fails whatever else reproduced; so does a race exit 1 without a line.
    expect(reproProblems([miss], ['m5'])).toEqual(['m5: reproducer race-getdents[uprobe] on m5: exit 0 on its own kernel: not reproduced']);
    const single = { ...ok('m5', 'x[kprobe]'), own: judgeOwn({ lines: ['not reproduced'], exit: 0 }, false, DONE) };
    expect(reproProblems([single, hit], ['m5'])).toHaveLength(1);
    const mute = { ...ok('m5', 'race-x[uprobe]', true), own: judgeOwn({ lines: [] }, true, { ...DONE, vmExit: 1 }) };
    expect(judgeOwn({ lines: [], exit: 1 }, true, DONE).problem).toBe('exit 1 without a REPRODUCED: line');
    expect(reproProblems([{ ...mute, own: judgeOwn({ lines: [], exit: 1 }, true, DONE) }, hit], ['m5'])).toHaveLength(1);
  });

  it('renders the table, oops-reproduced race reproducers named, and the time per kernel', () => {
    const race = { ...ok('m5', 'race-getdents[uprobe]', true), own: judgeOwn({ lines: [] }, true, OOPS) };
    const t = renderReproTable(
      [ok('m1', 'a[kprobe]'), race],
      [
        { kernel: 'm1', buildMs: 900, runMs: 30_000, boots: 1 },
        { kernel: 'm5', buildMs: 800, runMs: 80_000, boots: 1 },
        { kernel: 'm6', buildMs: 0, runMs: 0, boots: 0 },
        { kernel: 'debian-6.1', generateMs: 40_000, buildMs: 500, runMs: 25_000, boots: 2 },
      ],
    );
    expect(t).toContain('| m1 | a[kprobe] | single | yes | yes | reproduced | clean |');
    expect(t).toContain('| m5 | race-getdents[uprobe] | race | yes | yes | reproduced (oops) | clean |');
    expect(t).toContain('| m6 | (none) | | no | | | |');
    expect(t).toContain('- m5 / race-getdents[uprobe]: reproduced by a kernel failure that ended the guest (race reproducer)');
    expect(t).toContain('| debian-6.1 | 40 s | 1 s | 2 in 25 s | 66 s |');
  });
});

describe('which race reproducers run', () => {
  const row = (name: string): ReproRow => ({ kernel: 'm', name, race: true, source: `/o/${name}.c`, binary: `/o/${name}` });
  it("one per scenario in the header's order, uprobe first; the rest marked not run", () => {
    const rows = ['race-drop-caches[kprobe]', 'race-drop-caches[uprobe]', 'race-getdents[kprobe]', 'race-zzz[uprobe]'].map(row);
    const picked = pickRaces(rows, ['race-getdents', 'race-drop-caches'], 2);
    expect(picked.map((r) => r.name)).toEqual(['race-getdents[kprobe]', 'race-drop-caches[uprobe]']);
    expect(rows.filter((r) => r.skipped).map((r) => r.name)).toEqual(['race-drop-caches[kprobe]', 'race-zzz[uprobe]']);
    expect(pickRaces([row('a[kprobe]'), row('a[uprobe]')], [], 3).map((r) => r.name)).toEqual(['a[uprobe]', 'a[kprobe]']);
  });
});
