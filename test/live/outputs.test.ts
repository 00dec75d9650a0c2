// SPDX-License-Identifier: GPL-2.0-only
// Outputs that cannot destroy (issue 19, items 2, 3, 6, 9): `run` never
// opens a report target itself. A tracefs file (an instance's trace, made
// here), a symlink to a 0600 file, an mqueue file, the same file for two
// outputs are refused with exit 2 and left as they were; a refused run keeps
// the old report; a report write that fails (EPIPE, ENOSPC, EFBIG) is one
// line and exit 2 after the whole run, with the old file kept. Only
// single-threaded uprobe scenarios run (the host oopses on some races).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, leftovers, liveSkipReason, tracefsRoot } from './live-env.js';
import { parseKtap } from '../unit/report/ktap-parser.js';
import { parseJournal } from '../../src/report/journal.js';

const live = describe.skipIf(!!liveSkipReason);
const SEL = ['-p', 'uprobe', '-s', 'removed-files-enoent', '-s', 'held-dirfd-enoent'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-outputs-live-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], opts: { timeout?: number } = {}) =>
  execa(process.execPath, [CLI, 'run', ...args], { reject: false, timeout: opts.timeout ?? 120_000 });

/** What is in d besides names: a temporary file left behind shows here. */
const others = (d: string, ...names: string[]) => fs.readdirSync(d).filter((n) => !names.includes(n));

/** A fresh directory holding FILE with TEXT. */
function withFile(name: string, text: string): { d: string; f: string } {
  const d = fs.mkdtempSync(path.join(dir, 'd-'));
  const f = path.join(d, name);
  fs.writeFileSync(f, text);
  return { d, f };
}

/** The stderr lines that are not the live result lines. */
const errLines = (stderr: string) => stderr.split('\n').filter((l) => l && !/^(PASS|FAIL|SKIP) /.test(l));

live('run -o / --journal: refused targets are left as they were', () => {
  it('-o <an instance trace of tracefs>: exit 2, the ring buffer keeps its line (old code emptied it)', async () => {
    const inst = path.join(tracefsRoot(), 'instances', `tfsr_outputs_${process.pid}`);
    fs.mkdirSync(inst);
    try {
      fs.appendFileSync(path.join(inst, 'trace_marker'), 'tfsr-outputs-marker\n');
      expect(fs.readFileSync(path.join(inst, 'trace'), 'utf8')).toContain('tfsr-outputs-marker');
      for (const flag of ['-o', '--journal']) {
        const r = await run([...SEL, flag, path.join(inst, 'trace')]);
        expect(r.exitCode, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/is a file of tracefs, a kernel interface, not storage/);
        expect(fs.readFileSync(path.join(inst, 'trace'), 'utf8')).toContain('tfsr-outputs-marker');
      }
      // A directory of tracefs as --repro-dir: refused before any mkdir (old code made a foreign instance).
      const r = await run([...SEL, '--repro-dir', path.join(inst, '..', `tfsr_outputs_${process.pid}_x`, 'c')]);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/is on tracefs, a kernel interface, not storage/);
      expect(fs.existsSync(path.join(inst, '..', `tfsr_outputs_${process.pid}_x`))).toBe(false);
    } finally {
      fs.rmdirSync(inst);
      fs.rmSync(path.join(inst, '..', `tfsr_outputs_${process.pid}_x`), { recursive: true, force: true });
    }
    expect(leftovers()).toEqual([]);
  });

  it('-o <symlink to a 0600 file>: exit 2, the file and the link untouched (old code truncated the victim)', async () => {
    const { d, f: victim } = withFile('victim', 'root secret\n');
    fs.chmodSync(victim, 0o600);
    const link = path.join(d, 'tfsr-report.json');
    fs.symlinkSync(victim, link);
    const r = await run([...SEL, '-o', link]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--output ${link} is a symlink: name the file itself`);
    expect(fs.readFileSync(victim, 'utf8')).toBe('root secret\n');
    expect(fs.statSync(victim).mode & 0o777).toBe(0o600);
    expect(fs.readlinkSync(link)).toBe(victim);
    expect(others(d, 'victim', 'tfsr-report.json')).toEqual([]);
  });

  it('a refused run (-o old.json --tracefs /nonexistent) leaves the old report as it was (old code emptied it)', async () => {
    const { d, f } = withFile('old.json', '{"old":true}\n');
    const r = await run(['-o', f, '--journal', path.join(d, 'j.jsonl'), '--tracefs', '/nonexistent']);
    expect(r.exitCode).toBe(2);
    expect(fs.readFileSync(f, 'utf8')).toBe('{"old":true}\n');
    expect(others(d, 'old.json')).toEqual([]);
  });

  it('-o X --journal X: exit 2 before the run, X untouched (old code wrote a corrupt file, exit 0)', async () => {
    const { d, f } = withFile('x.json', 'old\n');
    const r = await run([...SEL, '-o', f, '--journal', `${d}/./x.json`]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/are the same file: give each its own file/);
    expect(fs.readFileSync(f, 'utf8')).toBe('old\n');
    expect(others(d, 'x.json')).toEqual([]);
  });

  it('-o <a file of an mqueue mount> is refused (private mount namespace; old code took it)', () => {
    const mq = fs.mkdtempSync(path.join(dir, 'mq-'));
    const script = `mount -t mqueue none "$1" && : > "$1/q" && exec "$2" "$3" run -s removed-files-enoent -p uprobe -o "$1/q" --tracefs /nonexistent`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', mq, process.execPath, CLI], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--output ${mq}/q is a file of mqueue, a kernel interface, not storage`);
  });

  it('-o - is stdout: the report there, no file named -', async () => {
    const r = await execa(process.execPath, [CLI, 'run', ...SEL, '-f', 'json', '-o', '-'], { reject: false, cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).results).toHaveLength(2);
    expect(fs.existsSync(path.join(dir, '-'))).toBe(false);
  });

  it('--repro-dir under /proc is refused at once (old code spun in a recursive mkdir forever)', async () => {
    const r = await run([...SEL, '--repro-dir', '/proc/tfsr-outputs/repro'], { timeout: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/\/proc is on proc, a kernel interface, not storage/);
  });
});

/** Spawns `run ARGS`, closes its stdout after the first line, and waits for its end. */
async function closedAfterFirstLine(args: string[]): Promise<{ code: number | null; stderr: string; first: string }> {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let out = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.includes('\n')) child.stdout.destroy(); // `| head -1`
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { code, stderr, first: out.split('\n')[0]! };
}

live('report writes that fail: one line, exit 2, every scenario run, the old file kept', () => {
  for (const format of ['ktap', 'pretty']) {
    it(`run -f ${format} | head -1 (EPIPE): the rest runs, exit 2, no internal error or unhandled 'error' event`, async () => {
      const { d } = withFile('.keep', '');
      const journal = path.join(d, 'j.jsonl');
      const r = await closedAfterFirstLine([...SEL, '-f', format, '--journal', journal]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).not.toMatch(/internal error|Unhandled/);
      expect(errLines(r.stderr)).toEqual([
        'tracefs-regress: stdout: write failed (EPIPE): the output did not reach its reader in full; the run went on to its end (write the report with -o FILE)',
      ]);
      const results = parseJournal(fs.readFileSync(journal, 'utf8')).filter((x) => x.type === 'result');
      expect(results).toHaveLength(2);
      expect(leftovers()).toEqual([]);
    });
  }

  it('stdout on /dev/full (ENOSPC), ktap streamed: exit 2 with the one line', () => {
    const fd = fs.openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'run', ...SEL, '-f', 'ktap'], {
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(2);
      expect(errLines(r.stderr)).toEqual([expect.stringMatching(/^tracefs-regress: stdout: write failed \(ENOSPC\)/)]);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('-f ktap -o FILE under prlimit --fsize (EFBIG mid-stream): the old file is back, the report on stdout', () => {
    const { d, f } = withFile('r.ktap', 'the previous report\n');
    const r = spawnSync('prlimit', ['--fsize=150', process.execPath, CLI, 'run', ...SEL, '-f', 'ktap', '-o', f], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr).toContain(
      `--output ${f}: write failed (EFBIG); the previous file is back in place; the report went to stdout instead`,
    );
    expect(fs.readFileSync(f, 'utf8')).toBe('the previous report\n');
    expect(others(d, 'r.ktap')).toEqual([]);
    expect(parseKtap(r.stdout).results).toHaveLength(2);
  });

  it('-f json -o FILE on a full tmpfs (ENOSPC, private mount namespace): the old file kept, exit 2', () => {
    const mnt = fs.mkdtempSync(path.join(dir, 'tiny-'));
    const script = `mount -t tmpfs -o size=8k tmpfs "$1" && printf old > "$1/r.json" && head -c 4000 /dev/zero > "$1/fill" && "$2" "$3" run ${SEL.join(' ')} -f json -o "$1/r.json"; echo "exit $?"; cat "$1/r.json"; echo; ls -a "$1"`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', mnt, process.execPath, CLI], { encoding: 'utf8' });
    expect(r.stderr).toContain(`--output ${mnt}/r.json: write failed (ENOSPC); the previous file is kept`);
    // stdout: the report (it went there instead), then what the shell printed after the run.
    const lines = r.stdout.split('\n');
    const tail = lines.slice(lines.lastIndexOf('exit 2'));
    expect(tail.slice(0, 2)).toEqual(['exit 2', 'old']);
    expect(tail.slice(2).filter(Boolean).sort()).toEqual(['.', '..', 'fill', 'r.json']);
  });
});
