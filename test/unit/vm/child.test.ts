// SPDX-License-Identifier: GPL-2.0-only
// vmChild()'s policy with planted child ends (an injected spawner, no
// process): the command line, how an end is classified, and the report read
// back, missing, not JSON, or stale from an earlier boot.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  classifyEnd,
  lineSplitter,
  parseReport,
  vmArgv,
  vmChild,
  type SpawnEnd,
  type VmSpawner,
} from '../../../src/vm/child.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-vmchild-'));
  dirs.push(d);
  return d;
};

const ended = (e: Partial<SpawnEnd>): SpawnEnd => ({
  timedOut: false,
  isCanceled: false,
  stdout: '',
  stderr: '',
  all: '',
  ...e,
});

/** A spawner that records its call and, like vm, writes `report` (when given) to the --output path. */
function planted(e: Partial<SpawnEnd>, report?: string) {
  const calls: { file: string; args: readonly string[]; cwd: string; signal?: AbortSignal; timeoutMs?: number }[] = [];
  const spawn: VmSpawner = async (file, args, o) => {
    calls.push({ file, args, cwd: o.cwd, signal: o.signal, timeoutMs: o.timeoutMs });
    const out = args.indexOf('--output');
    if (report !== undefined && out >= 0) fs.writeFileSync(args[out + 1]!, report);
    return ended(e);
  };
  return { spawn, calls };
}

describe('vmArgv', () => {
  it('run mode: the options in a fixed order, run args after --, then the JSON report', () => {
    expect(
      vmArgv({
        root: '/pkg',
        kernel: 'debian:6.12',
        append: 'x=1',
        timeout: '600',
        consoleLog: '/o/c.log',
        vmArgs: ['--repro-dir', '/o/r'],
        mode: { kind: 'run', args: ['--scenario', 'race-*'], report: '/o/r.json' },
      }),
    ).toEqual([
      '/pkg/bin/tracefs-regress.js',
      'vm',
      '--kernel',
      'debian:6.12',
      '--append',
      'x=1',
      '--timeout',
      '600',
      '--keep-log',
      '/o/c.log',
      '--repro-dir',
      '/o/r',
      '--',
      '--scenario',
      'race-*',
      '--format',
      'json',
      '--output',
      '/o/r.json',
    ]);
  });

  it('exec mode, and what is not given is left out', () => {
    expect(
      vmArgv({ root: '/pkg', vmArgs: ['--kernel', 'k'], mode: { kind: 'exec', program: '/p', args: ['a', ''] } }),
    ).toEqual(['/pkg/bin/tracefs-regress.js', 'vm', '--kernel', 'k', '--exec', '/p', '--', 'a', '']);
  });
});

describe('classifyEnd', () => {
  it.each([
    [{ exitCode: 0 }, 'exited'],
    [{ exitCode: 143 }, 'exited'],
    [{ signal: 'SIGKILL' }, 'signalled'],
    [{ timedOut: true, signal: 'SIGTERM' }, 'timed-out'],
    [{ isCanceled: true, exitCode: 143 }, 'aborted'],
    [{ spawnError: 'spawn ENOENT' }, 'not-started'],
  ] as const)('%o -> %s', (e, want) => {
    expect(classifyEnd(ended(e))).toBe(want);
  });
});

describe('parseReport', () => {
  it('parses JSON', () => {
    expect(parseReport('{"results":[]}', '/r.json')).toEqual({ report: { results: [] } });
  });
  it('no file: a problem that says so', () => {
    expect(parseReport(undefined, '/r.json')).toEqual({ problem: 'vm wrote no report to /r.json' });
  });
  it('not JSON (a report cut short): a problem, not a throw', () => {
    const r = parseReport('{"results":[', '/r.json');
    expect('report' in r).toBe(false);
    expect((r as { problem: string }).problem).toMatch(/^vm's report \/r\.json is not JSON: /);
  });
});

describe('vmChild', () => {
  it('runs node with the argv in the package root, passes signal and timeout, keeps the output', async () => {
    const d = tmp();
    const report = path.join(d, 'r.json');
    const { spawn, calls } = planted(
      { exitCode: 1, stdout: 'o', stderr: 'e', all: 'o\ne' },
      '{"results":[{"status":"FAIL"}]}',
    );
    const ctrl = new AbortController();
    const r = await vmChild(
      { root: '/pkg', kernel: 'k', mode: { kind: 'run', args: [], report } },
      { spawn, signal: ctrl.signal, timeoutMs: 5, vmLog: path.join(d, 'vm.log') },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]!.file).toBe(process.execPath);
    expect(calls[0]!.cwd).toBe('/pkg');
    expect(calls[0]!.signal).toBe(ctrl.signal);
    expect(calls[0]!.timeoutMs).toBe(5);
    expect(r).toMatchObject({ end: 'exited', exitCode: 1, stdout: 'o', stderr: 'e', all: 'o\ne' });
    expect(r.report).toEqual({ results: [{ status: 'FAIL' }] });
    expect(r.problem).toBeUndefined();
    expect(fs.readFileSync(path.join(d, 'vm.log'), 'utf8')).toBe('o\ne');
  });

  it('a report left by an earlier boot is never read as this one', async () => {
    const report = path.join(tmp(), 'r.json');
    fs.writeFileSync(report, '{"results":[]}');
    const r = await vmChild(
      { root: '/pkg', mode: { kind: 'run', args: [], report } },
      { spawn: planted({ exitCode: 2 }).spawn },
    );
    expect(r.report).toBeUndefined();
    expect(r.problem).toBe(`vm wrote no report to ${report}`);
    expect(r.exitCode).toBe(2);
  });

  it('a report that is not JSON: no report, a problem', async () => {
    const report = path.join(tmp(), 'r.json');
    const r = await vmChild(
      { root: '/pkg', mode: { kind: 'run', args: [], report } },
      { spawn: planted({ exitCode: 1 }, '{"res').spawn },
    );
    expect(r.report).toBeUndefined();
    expect(r.problem).toMatch(/is not JSON/);
  });

  it('a child that did not start: not-started, no exit code, the reason', async () => {
    const report = path.join(tmp(), 'r.json');
    const r = await vmChild(
      { root: '/pkg', mode: { kind: 'run', args: [], report } },
      { spawn: planted({ spawnError: 'spawn /usr/bin/node ENOENT' }).spawn },
    );
    expect(r).toMatchObject({
      end: 'not-started',
      exitCode: undefined,
      problem: 'vm did not start: spawn /usr/bin/node ENOENT',
    });
  });

  it('exec mode reads no report', async () => {
    const r = await vmChild(
      { root: '/pkg', mode: { kind: 'exec', program: '/p', args: [] } },
      { spawn: planted({ exitCode: 0, stdout: 'REPRODUCED: x' }).spawn },
    );
    expect(r).toMatchObject({ end: 'exited', exitCode: 0, stdout: 'REPRODUCED: x' });
    expect(r.report).toBeUndefined();
    expect(r.problem).toBeUndefined();
  });
});

describe('lineSplitter', () => {
  it('gives whole lines only, across chunk borders, and the unterminated tail at the end', () => {
    const got: string[] = [];
    const s = lineSplitter((l) => got.push(l));
    s.push('ab');
    s.push('c\nde');
    expect(got).toEqual(['abc']);
    s.push('f\n\ng');
    expect(got).toEqual(['abc', 'def', '']);
    s.end();
    expect(got).toEqual(['abc', 'def', '', 'g']);
    s.end();
    expect(got).toHaveLength(4);
  });
});
