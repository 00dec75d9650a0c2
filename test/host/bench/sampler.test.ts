// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isRunFd, parseVmRss, readProc, runningScenario, Sampler } from '../../../src/bench/sampler.js';

describe('parseVmRss', () => {
  it('reads VmRSS in kB, undefined when the line is missing (zombie)', () => {
    expect(parseVmRss('Name:\tnode\nVmPeak:\t  100 kB\nVmRSS:\t   64284 kB\nThreads:\t66\n')).toBe(64284);
    expect(parseVmRss('Name:\tnode\nState:\tZ (zombie)\n')).toBeUndefined();
  });
});

describe('readProc', () => {
  it('counts the fds of a process: opening 20 more files shows up', () => {
    const before = readProc(process.pid)!;
    const fds = Array.from({ length: 20 }, () => fs.openSync('/dev/null', 'r'));
    const after = readProc(process.pid)!;
    for (const fd of fds) fs.closeSync(fd);
    expect(after.fds - before.fds).toBe(20);
    expect(after.rssKb).toBeGreaterThan(1000);
  });

  it("counts fds on the suite's run objects (a tfsr_ path component) apart", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr_1_abcdef-'));
    const before = readProc(process.pid)!;
    const fds = [
      ...Array.from({ length: 5 }, () => fs.openSync(dir, 'r')),
      ...Array.from({ length: 3 }, () => fs.openSync('/dev/null', 'r')),
    ];
    const after = readProc(process.pid)!;
    for (const fd of fds) fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true });
    expect(after.fds - before.fds).toBe(8);
    expect(after.runFds - before.runFds).toBe(5);
    expect(isRunFd('/sys/kernel/tracing/events/tfsr_119_47fc67_g1/e2/enable')).toBe(true);
    expect(isRunFd('/sys/kernel/tracing/events/kprobes/tfsr')).toBe(false);
  });

  it('is undefined for a process that is gone', () => {
    expect(readProc(2 ** 22 + 12345)).toBeUndefined();
  });
});

describe('runningScenario', () => {
  const line = (x: object) => JSON.stringify(x) + '\n';
  it('is the last started variant without its result, and skips a cut last line', () => {
    const j =
      line({ type: 'start' }) +
      line({ type: 'running', name: 'race-reopen[uprobe]' }) +
      line({ type: 'result', result: { name: 'race-reopen[uprobe]' } });
    expect(runningScenario(j)).toBeUndefined();
    expect(runningScenario(j + line({ type: 'running', name: 'race-stale-dirfd[uprobe]' }) + '{"type":"res')).toBe(
      'race-stale-dirfd[uprobe]',
    );
    expect(runningScenario('')).toBeUndefined();
  });
});

describe('Sampler', () => {
  it('samples a child every interval, tagged with the journal scenario, until it exits', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-sampler-'));
    const journal = path.join(dir, 'j.jsonl');
    fs.writeFileSync(journal, JSON.stringify({ type: 'running', name: 'x[uprobe]' }) + '\n');
    // The child opens one more fd every 50 ms: the series must rise.
    const child = spawn(process.execPath, [
      '-e',
      "const fs=require('fs');let n=0;const t=setInterval(()=>{fs.openSync('/dev/null','r');if(++n===8){clearInterval(t)}},50);setTimeout(()=>{},600)",
    ]);
    const s = new Sampler(child.pid!, journal, 40);
    await new Promise((r) => child.on('exit', r));
    s.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(s.samples.length).toBeGreaterThanOrEqual(5);
    expect(s.samples.every((x) => x.scenario === 'x[uprobe]')).toBe(true);
    const fds = s.samples.map((x) => x.fds);
    expect(Math.max(...fds) - Math.min(...fds)).toBeGreaterThanOrEqual(4);
  });
});
