// SPDX-License-Identifier: GPL-2.0-only
// `run --repeat N` / `--until-fail` on this kernel's real tracefs, with
// scenarios that are safe here (uprobes): every iteration reported, the cap
// respected, a failing iteration (an --expect xfail entry over a passing
// scenario: XPASS) stops --until-fail, a SIGINT in iteration 2 cuts that
// iteration's race short and ends the loop, and nothing tfsr_ is left after any of it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, liveSkipReason, tfsrObjects, waitFor } from './live-env.js';

const live = describe.skipIf(!!liveSkipReason);

interface JsonReport {
  summary: { exitCode: number; pass: number; total: number };
  interrupted?: string;
  repeat: {
    line: string;
    planned: number;
    completed: number;
    passed: number;
    failed: number;
    firstFailure?: { iteration: number; names: string[] };
    interrupted?: { by: string; iteration: number };
    iterations: { iteration: number; status: string }[];
  };
  results: { name: string; status: string; iteration: number; notRun?: string; cutShort?: string }[];
}

/** The run's result and what it left in tracefs: only its own objects (tfsr_<pid>_), since others may be testing too. */
async function run(...args: string[]) {
  const child = execa('node', [CLI, 'run', '-p', 'uprobe', ...args], { reject: false });
  const r = await child;
  return Object.assign(r, { left: ownLeftovers(child.pid) });
}

const ownLeftovers = (pid: number | undefined): string[] => tfsrObjects().filter((l) => l.includes(`tfsr_${pid}_`));

live('run --repeat / --until-fail', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-repeat-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--repeat 3 passes, three iterations in the report, nothing left', async () => {
    const r = await run('-s', 'removed-files-enoent', '--repeat', '3', '--format', 'json');
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.results.map((x) => [x.name, x.status, x.iteration])).toEqual([
      ['removed-files-enoent[uprobe]@1', 'PASS', 1],
      ['removed-files-enoent[uprobe]@2', 'PASS', 2],
      ['removed-files-enoent[uprobe]@3', 'PASS', 3],
    ]);
    expect(j.repeat).toMatchObject({ planned: 3, completed: 3, passed: 3, failed: 0 });
    expect(j.repeat.line).toBe('repeat: 3/3 iterations passed; no failure; failure rate 0%');
    // the human recap on stderr ends with the same line
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(j.repeat.line);
    expect(r.left).toEqual([]);
  });

  it('pretty: a line per result and per iteration as they come, the repeat line last', async () => {
    const r = await run('-s', 'removed-files-enoent', '--repeat', '3');
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => /^PASS +removed-files-enoent\[uprobe\]@[123] /.test(l))).toHaveLength(3);
    expect(lines.filter((l) => /^iteration [123]\/3: 1 passed, 0 failed, 0 skipped$/.test(l))).toHaveLength(3);
    expect(lines.at(-2)).toBe('3 passed, 0 failed, 0 skipped');
    expect(lines.at(-1)).toBe('repeat: 3/3 iterations passed; no failure; failure rate 0%');
    expect(r.left).toEqual([]);
  });

  it('--until-fail --repeat 3 on a passing selection stops at the cap', async () => {
    const r = await run(
      '-s',
      'removed-files-enoent',
      '-s',
      'fd-across-removal',
      '--until-fail',
      '--repeat',
      '3',
      '-f',
      'ktap',
    );
    expect(r.exitCode, r.stderr).toBe(0);
    // --until-fail: how many iterations run is not known up front, so the streamed KTAP has no plan line.
    expect(r.stdout).not.toMatch(/^1\.\.\d+$/m);
    expect(r.stdout.match(/^ok \d+ /gm)).toHaveLength(6);
    expect(r.stdout).toMatch(/^ok \d removed-files-enoent\[uprobe\]@3$/m);
    expect(r.stdout).toMatch(/^ok \d fd-across-removal\[uprobe\]@3$/m);
    expect(r.stdout).not.toMatch(/@4/);
    expect(r.stdout).toMatch(
      /^# repeat: 3\/3 iterations passed; no failure; failure rate 0%; no failure within the cap of 3$/m,
    );
    expect(r.left).toEqual([]);
  });

  it('--until-fail stops at the first failing iteration and exits 1 (an xfail entry makes the pass an XPASS)', async () => {
    const expectFile = path.join(dir, 'xfail.json');
    fs.writeFileSync(
      expectFile,
      JSON.stringify({
        schema: 'tracefs-regress/expect@1',
        entries: [
          {
            scenario: 'removed-files-enoent',
            kind: 'uprobe',
            release: '*',
            signature: 'no such line anywhere',
            why: 'planted',
            action: 'xfail',
          },
        ],
      }),
    );
    const r = await run('-s', 'removed-files-enoent', '--until-fail', '--expect', expectFile, '-f', 'json');
    expect(r.exitCode, r.stderr).toBe(1);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.results.map((x) => x.name)).toEqual(['removed-files-enoent[uprobe]@1']);
    expect(j.repeat).toMatchObject({
      planned: 1_000_000,
      completed: 1,
      passed: 0,
      failed: 1,
      firstFailure: { iteration: 1, names: ['removed-files-enoent[uprobe]'] },
    });
    expect(j.repeat.line).toBe(
      'repeat: 0/1 iterations passed; first failure at iteration 1 (removed-files-enoent[uprobe]); failure rate 100%; stopped at the first failure (--until-fail)',
    );
    expect(r.left).toEqual([]);
  });

  it('SIGINT in iteration 2: its race cut short, no iteration 3, the summary counts 1 completed, exit 130', async () => {
    const child = execa(
      'node',
      [
        CLI,
        'run',
        '-s',
        'race-reopen',
        '-s',
        'removed-files-enoent',
        '-p',
        'uprobe',
        '--duration',
        '3s',
        '--repeat',
        '5',
        '-f',
        'json',
      ],
      { reject: false },
    );
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    // Iteration 1 done (its line on stderr), and iteration 2's race under way (our group in tracefs).
    expect(await waitFor(() => /^iteration 1\/5: /m.test(err), 30_000)).toBe(true);
    const ownGroup = () => ownLeftovers(child.pid).length > 0;
    expect(await waitFor(ownGroup, 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(130);
    expect(ownLeftovers(child.pid)).toEqual([]);
    const j = JSON.parse(r.stdout) as JsonReport;
    // Catalogue order: removed-files-enoent, then the race the signal cut short.
    expect(j.results.map((x) => x.name)).toEqual([
      'removed-files-enoent[uprobe]@1',
      'race-reopen[uprobe]@1',
      'removed-files-enoent[uprobe]@2',
      'race-reopen[uprobe]@2',
    ]);
    expect(j.results[3]!.cutShort).toBe('SIGINT');
    expect(j.repeat.iterations.map((i) => i.status)).toEqual(['passed', 'interrupted']);
    expect(j.repeat).toMatchObject({ completed: 1, passed: 1, interrupted: { by: 'SIGINT', iteration: 2 } });
    expect(j.repeat.line).toMatch(/; interrupted by SIGINT in iteration 2, 1 of 5 completed$/);
    expect(j.interrupted).toBe('iteration 2: SIGINT');
  });
});
