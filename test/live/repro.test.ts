// SPDX-License-Identifier: GPL-2.0-only
// run --repro-dir on this host's kernel: a planted violation (a scenario check
// inverted by the test hook invertCheck, passed in by fixtures/run-hooked.mjs, so the kernel's own
// correct result is the "violation") gives a C file that builds statically,
// prints REPRODUCED, exits 1, keeps fewer steps than were recorded and leaves
// nothing tfsr_ behind; SIGINT mid-reproducer leaves nothing either; a kprobe
// reproducer exits 4 on this kprobe-less host. uprobe only (never a race here).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, leftovers, liveSkipReason, ROOT, tfsrObjects, waitFor } from './live-env.js';

/** `run` with the test hook that inverts a check (op, or `#N`): an option, not the environment. */
const HOOKED = path.join(ROOT, 'test', 'live', 'fixtures', 'run-hooked.mjs');
const hooked = (invertCheck: string) => [HOOKED, JSON.stringify({ invertCheck })];

const live = describe.skipIf(!!liveSkipReason);

interface Report {
  reproDir?: string;
  results: {
    name: string;
    status: string;
    notes?: string[];
    reproducer?: { file: string; mode: string; steps?: { kept: number; total: number } };
  }[];
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-repro-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** run -s scenario -p uprobe --repro-dir out, the N-th check (or the named one) inverted. */
async function runInverted(scenario: string, invert: string, out: string) {
  const r = await execa('node', [...hooked(invert), '-s', scenario, '-p', 'uprobe', '--repro-dir', out, '-f', 'json'], {
    reject: false,
  });
  return { exitCode: r.exitCode, stderr: r.stderr, report: JSON.parse(r.stdout) as Report };
}

function build(cFile: string): string {
  const bin = cFile.replace(/\.c$/, '');
  execFileSync('cc', ['-O2', '-static', '-pthread', '-Wall', '-Werror', '-o', bin, cFile], { stdio: 'pipe' });
  return bin;
}

live('run --repro-dir', () => {
  let bin: string;

  it('writes a minimised reproducer for a planted violation; built static, it prints REPRODUCED and exits 1', async () => {
    expect(leftovers()).toEqual([]);
    const out = path.join(dir, 'planted', 'deeper'); // made with its parents
    const { exitCode, report, stderr } = await runInverted(
      'removed-files-enoent',
      'stat (group with a sibling left)',
      out,
    );
    expect(exitCode, stderr).toBe(1);
    expect(report.reproDir).toBe(out);
    const r = report.results.find((x) => x.name === 'removed-files-enoent[uprobe]')!;
    expect(r.status).toBe('FAIL');
    expect(r.reproducer).toMatchObject({ file: 'removed-files-enoent[uprobe].c', mode: 'sequence' });
    const { kept, total } = r.reproducer!.steps!;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(total); // the warm-up and the other checks were dropped
    expect(r.notes).toContain(`reproducer: ${path.join(out, r.reproducer!.file)} (steps kept ${kept} of ${total})`);
    const c = fs.readFileSync(path.join(out, r.reproducer!.file), 'utf8');
    expect(c).toContain(`Steps kept ${kept} of ${total} recorded.`);
    expect(c).toContain('8dce06e98c70'); // the upstream fix it guards
    expect(c).toContain(os.release());
    bin = build(path.join(out, r.reproducer!.file));
    const child = execa(bin, [], { reject: false });
    const run = await child;
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stdout).toMatch(
      /^REPRODUCED: stat \(group with a sibling left\) \/\S+\/events\/tfsr_\d+_[0-9a-f]{6}_g\d+: expected an error, got success$/,
    );
    expect(run.stdout).toContain(`tfsr_${child.pid}_`); // its own names, not the run's
    expect(leftovers()).toEqual([]);
  });

  it('SIGINT while the reproducer waits before its last step: exit 130 and nothing tfsr_ left', async () => {
    const child = execa(bin, ['-w', '20000'], { reject: false });
    const own = () => tfsrObjects().some((l) => l.includes(`tfsr_${child.pid}_`));
    expect(await waitFor(own, 10_000)).toBe(true);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toContain('interrupted (signal 2), cleaned up');
    expect(own()).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('the same program asked for a kprobe exits 4 on this host (no kprobe_events), creating nothing', async () => {
    const src = fs
      .readFileSync(`${bin}.c`, 'utf8')
      .replace('tr_init(argc, argv, "uprobe", NULL);', 'tr_init(argc, argv, "kprobe", "do_sys_openat2");');
    const k = path.join(dir, 'kprobe.c');
    fs.writeFileSync(k, src);
    const kbin = build(k);
    const hasKprobes = fs.existsSync('/sys/kernel/tracing/kprobe_events');
    const r = await execa(kbin, [], { reject: false });
    if (hasKprobes) return; // another host: nothing to show here
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toBe('kernel lacks kprobe_events');
    expect(leftovers()).toEqual([]);
  });

  it.each([
    ['cwd-inside-removed', '#4'],
    ['held-dirfd-enoent', '#4'],
    ['instance-files', '#4'],
    ['fd-across-removal', '#4'],
  ])('%s (check %s inverted): the file compiles with -Wall -Werror and reproduces', async (scenario, n) => {
    const out = path.join(dir, scenario);
    const { report, stderr } = await runInverted(scenario, n, out);
    const r = report.results[0]!;
    expect(r.status, stderr).toBe('FAIL');
    expect(r.reproducer?.mode).toBe('sequence');
    const run = await execa(build(path.join(out, r.reproducer!.file)), ['-q'], { reject: false });
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^REPRODUCED: /);
    expect(leftovers()).toEqual([]);
  });

  it('--repeat 2: each failing iteration keeps its own file, named by the result it belongs to', async () => {
    const out = path.join(dir, 'repeat');
    const r = await execa(
      'node',
      [
        ...hooked('stat (group with a sibling left)'),
        ...['-s', 'removed-files-enoent', '-p', 'uprobe', '--repeat', '2', '--repro-dir', out, '-f', 'json'],
      ],
      { reject: false },
    );
    expect(r.exitCode, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const files = report.results.map((x) => x.reproducer?.file);
    expect(files).toEqual(['removed-files-enoent[uprobe]@1.c', 'removed-files-enoent[uprobe]@2.c']);
    expect(fs.readdirSync(out).sort()).toEqual(files);
    expect(fs.readFileSync(path.join(out, files[1]!), 'utf8')).toContain("-o repro 'removed-files-enoent[uprobe]@2.c'");
    expect(leftovers()).toEqual([]);
  });

  it('writes nothing for a passing run', async () => {
    const out = path.join(dir, 'passing');
    const r = await execa('node', [CLI, 'run', '-s', 'removed-files-enoent', '-p', 'uprobe', '--repro-dir', out], {
      reject: false,
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('refuses a --repro-dir that is not a writable directory: exit 2 before tracefs is touched', async () => {
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    const r = await execa('node', [CLI, 'run', '-s', 'removed-files-enoent', '-p', 'uprobe', '--repro-dir', file], {
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`--repro-dir ${file}: ${file} is (or lies under) a file, not a directory`);
    expect(leftovers()).toEqual([]);
  });
});
