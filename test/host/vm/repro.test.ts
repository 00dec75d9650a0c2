// SPDX-License-Identifier: GPL-2.0-only
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { RUN_GRAMMAR } from '../../unit/vm/run-grammar.js';
import type { VmOpts } from '../../../src/vm/options.js';
import { planExecVm, planVm } from '../../../src/vm/plan.js';
import { checkReproDir, collectRepro, hostReproDir, mapReproPaths } from '../../../src/vm/repro.js';

const OPTS: VmOpts = { kernel: [], memory: '2G', cpus: '3', timeout: '1200' };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-repro-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('vm --repro-dir: input', () => {
  it('plans the host directory (absolute, created) and keeps it out of the guest run args', () => {
    const want = path.join(dir, 'new', 'repro');
    const p = planVm(['-s', 'fd-across-removal'], { ...OPTS, reproDir: want }, RUN_GRAMMAR);
    expect(p.reproDir).toBe(want);
    expect(fs.statSync(want).isDirectory()).toBe(true);
    const q = planVm(['-s', 'fd-across-removal', '--repro-dir', want], OPTS, RUN_GRAMMAR);
    expect(q.reproDir).toBe(want);
    expect(q.guestArgs).toEqual(['--scenario=fd-across-removal']);
    expect(() => planVm(['--repro-dir='], OPTS, RUN_GRAMMAR)).toThrow(/--repro-dir needs a directory/);
    expect(planVm([], OPTS, RUN_GRAMMAR).reproDir).toBeUndefined();
  });

  it('refuses an unusable directory (planted) with exit 2 and the fix, before anything boots', () => {
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, '');
    const ro = path.join(dir, 'ro');
    fs.mkdirSync(ro, { mode: 0o555 });
    const bad: [() => unknown, RegExp][] = [
      [() => checkReproDir(file), /is \(or lies under\) a file, not a directory/],
      [() => checkReproDir(path.join(file, 'sub')), /is \(or lies under\) a file/],
      [() => checkReproDir('/proc/1'), /\/proc\/1 is on proc, a kernel interface, not storage/],
      [() => checkReproDir('/proc/self'), /is a symlink: name the directory itself/],
      [() => planVm([], { ...OPTS, reproDir: file }, RUN_GRAMMAR), /--repro-dir/],
      [() => planVm(['--repro-dir', 'b'], { ...OPTS, reproDir: path.join(dir, 'a') }, RUN_GRAMMAR), /given twice/],
      [
        () => planVm([], { ...OPTS, reproDir: dir, fetchOnly: true }, RUN_GRAMMAR),
        /--fetch-only boots nothing: drop --repro-dir/,
      ],
      [
        () => planExecVm([], { ...OPTS, exec: '/bin/true', reproDir: dir }, { cwd: '/' }),
        /--repro-dir goes with the suite, not --exec/,
      ],
    ];
    // root ignores mode bits: a read-only directory only refuses non-root users.
    if (process.getuid?.() !== 0) bad.push([() => checkReproDir(path.join(ro, 'x')), /cannot be created|not writable/]);
    for (const [f, why] of bad) {
      expect(f, why.source).toThrow(UsageError);
      expect(f).toThrow(why);
    }
  });

  it('puts each kernel of several in its own subdirectory, with a safe name', () => {
    expect(hostReproDir('/r', '6.1.0-57-amd64', false)).toBe('/r');
    expect(hostReproDir('/r', '6.1.0-57-amd64', true)).toBe('/r/6.1.0-57-amd64');
    expect(hostReproDir('/r', '../x/y', true)).toBe('/r/__x_y');
    expect(hostReproDir('/r', '', true)).toBe('/r/kernel');
  });
});

describe('vm --repro-dir: bringing the files back', () => {
  it('copies the regular files with plain names, refuses links, FIFOs, directories and odd names', () => {
    const share = path.join(dir, 'share');
    fs.mkdirSync(share);
    fs.writeFileSync(path.join(share, 'fd-across-removal[kprobe].c'), 'int main(void){return 0;}\n');
    fs.writeFileSync(path.join(share, 'race-getdents[uprobe]@2.c'), '/* race */\n');
    fs.symlinkSync('/etc/hostname', path.join(share, 'link.c'));
    execFileSync('mkfifo', [path.join(share, 'fifo.c')]);
    fs.mkdirSync(path.join(share, 'sub'));
    fs.writeFileSync(path.join(share, '.hidden.c'), '');
    fs.writeFileSync(path.join(share, 'with space.c'), '');
    const to = path.join(dir, 'host', 'k');
    const c = collectRepro(share, to);
    expect(c.copied.map((f) => path.basename(f))).toEqual(['fd-across-removal[kprobe].c', 'race-getdents[uprobe]@2.c']);
    expect(fs.readFileSync(path.join(to, 'fd-across-removal[kprobe].c'), 'utf8')).toMatch(/int main/);
    expect(fs.lstatSync(path.join(to, 'fd-across-removal[kprobe].c')).isFile()).toBe(true);
    expect(c.refused.join('\n')).toMatch(/link\.c: not a regular file/);
    expect(c.refused.join('\n')).toMatch(/fifo\.c: not a regular file/);
    expect(c.refused.join('\n')).toMatch(/sub: not a regular file/);
    expect(c.refused.join('\n')).toMatch(/"\.hidden\.c": not a plain file name/);
    expect(c.refused.join('\n')).toMatch(/"with space\.c": not a plain file name/);
    expect(fs.readdirSync(to).sort()).toEqual(['fd-across-removal[kprobe].c', 'race-getdents[uprobe]@2.c']);
  });

  it('replaces a host file of the same name, even a symlink planted there, without writing through it', () => {
    const share = path.join(dir, 'share');
    fs.mkdirSync(share);
    fs.writeFileSync(path.join(share, 'a.c'), 'new\n');
    const to = path.join(dir, 'host');
    fs.mkdirSync(to);
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'keep\n');
    fs.symlinkSync(victim, path.join(to, 'a.c'));
    collectRepro(share, to);
    expect(fs.readFileSync(victim, 'utf8')).toBe('keep\n');
    expect(fs.readFileSync(path.join(to, 'a.c'), 'utf8')).toBe('new\n');
  });

  it('a guest that wrote nothing copies nothing and fails nothing', () => {
    expect(collectRepro(path.join(dir, 'missing'), path.join(dir, 'to'))).toEqual({ copied: [], refused: [] });
    expect(fs.existsSync(path.join(dir, 'to'))).toBe(false);
  });

  it("points reproDir at the host directory, keeps basenames, maps the guest's absolute paths, leaves others alone", () => {
    const report = {
      reproDir: '/g/share/repro',
      results: [
        {
          name: 'a',
          reproducer: { file: '/g/share/repro/a[kprobe].c', mode: 'single' },
          notes: ['reproducer: /g/share/repro/a[kprobe].c (steps kept 3 of 9)', 'other /g/share/reproX'],
        },
        { name: 'b', reproducer: { file: 'b[uprobe].c' } },
        { name: 'c', reproducer: { file: '/elsewhere/c.c' } },
        { name: 'd', reproducer: { file: '/g/share/repro/../escape.c' } },
        { name: 'e' },
      ],
    };
    const m = mapReproPaths(report, '/g/share/repro', '/host/out');
    expect(m.reproDir).toBe('/host/out');
    expect(m.results.map((r) => (r as { reproducer?: { file: string } }).reproducer?.file)).toEqual([
      '/host/out/a[kprobe].c',
      'b[uprobe].c',
      '/elsewhere/c.c',
      '/g/share/repro/../escape.c',
      undefined,
    ]);
    expect(m.results[0]!.notes).toEqual([
      'reproducer: /host/out/a[kprobe].c (steps kept 3 of 9)',
      'other /g/share/reproX',
    ]);
    expect(report.results[0]!.reproducer!.file).toBe('/g/share/repro/a[kprobe].c'); // a copy, not in place
    expect(mapReproPaths({ results: [] }, '/g', '/h')).toEqual({ results: [], reproDir: '/h' });
  });
});
