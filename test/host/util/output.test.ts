// SPDX-License-Identifier: GPL-2.0-only
// Every output goes through util/output: checked before anything is opened
// for writing, never written through a link, never on a kernel filesystem,
// renamed into place from a temporary file (the old file survives a refused
// or failed run); two outputs naming one file are refused.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import {
  OutputFile,
  SPECIAL_FS,
  checkOutputWritable,
  checkTarget,
  prepareOutputDir,
  refuseSharedTargets,
  specialFs,
  writeFileInDir,
} from '../../../src/util/output.js';
import { sweepDeadSiblings } from '../../../src/util/output/file.js';
import { emit } from '../../../src/cli/commands/run.js';
import { EnvironmentError, UsageError } from '../../../src/errors.js';
import { report, pass } from '../../unit/report/fixtures.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-output-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A sink that keeps what was written. */
function sink(): NodeJS.WritableStream & { text: string } {
  const s = { text: '', write: (c: string) => ((s.text += c), true) };
  return s as unknown as NodeJS.WritableStream & { text: string };
}

/** What is in a directory besides the given names (a temporary file left behind would show here). */
const others = (d: string, ...names: string[]) => fs.readdirSync(d).filter((n) => !names.includes(n));

/** A root-owned 0600 file standing for what a planted link points at. */
function victim(name: string): string {
  const v = path.join(dir, name);
  fs.writeFileSync(v, 'secret\n', { mode: 0o600 });
  fs.chmodSync(v, 0o600);
  return v;
}

describe('--output is checked, and refused unless a regular file on storage', () => {
  it('a FIFO (mkfifo) is refused at once, without a reader and with one, never hangs', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => OutputFile.open(fifo)).toThrow(UsageError);
    expect(() => OutputFile.open(fifo)).toThrow(
      `--output ${fifo} is a FIFO: name a regular file (e.g. ./report.json), or -o - for stdout`,
    );
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      expect(() => OutputFile.open(fifo, '--journal')).toThrow(/^--journal .* is a FIFO/);
    } finally {
      fs.closeSync(reader);
    }
  });

  it('/dev/full (a character device) is refused; a symlink to it is refused as a symlink', () => {
    expect(() => OutputFile.open('/dev/full')).toThrow('--output /dev/full is a character device: name a regular file');
    const link = path.join(dir, 'full-link');
    fs.symlinkSync('/dev/full', link);
    expect(() => OutputFile.open(link)).toThrow(/is a symlink: name the file itself/);
  });

  it('a directory is refused, naming a file inside it', () => {
    expect(() => OutputFile.open(dir)).toThrow(
      `--output ${dir} is a directory: name a file such as ${path.join(dir, 'report.json')}`,
    );
    expect(() => OutputFile.open(`${dir}/`)).toThrow(/is a directory/);
  });

  it('/proc/self/mem, a new file in /proc and /sys files are refused as kernel interfaces', () => {
    expect(() => OutputFile.open('/proc/self/mem')).toThrow(
      /^--output \/proc\/self\/mem is a file of proc, a kernel interface, not storage: name a file on a disk or tmpfs$/,
    );
    expect(() => OutputFile.open('/proc/tfsr-new.json')).toThrow(/is in a directory of proc, a kernel interface/);
    expect(() => OutputFile.open('/sys/kernel/notes')).toThrow(UsageError);
  });

  it('knows the special filesystems by statfs type, mqueue and cgroup among them, and storage as none', () => {
    expect(specialFs(0x19800202)).toBe('mqueue');
    expect(specialFs(0x27e0eb)).toBe('cgroup');
    expect(specialFs(0x63677270)).toBe('cgroup2');
    expect(specialFs(0x74726163)).toBe('tracefs');
    for (const name of ['proc', 'sysfs', 'debugfs', 'devpts', 'securityfs', 'configfs', 'bpf', 'pstore', 'efivarfs'])
      expect([...SPECIAL_FS.values()]).toContain(name);
    expect(specialFs(fs.statfsSync(dir).type)).toBeUndefined(); // tmpfs or a disk
  });

  it('a path in a missing directory is not writable (ENOENT)', () => {
    expect(() => OutputFile.open(path.join(dir, 'missing', 'r.json'))).toThrow(
      /is not writable \(ENOENT\): pick a writable path/,
    );
  });
});

describe('the old file is never opened: a temporary file is renamed into place', () => {
  it('open() and discard() (a refused run) leave the old report as it was, and no temporary file', () => {
    const d = fs.mkdtempSync(path.join(dir, 'keep-'));
    const f = path.join(d, 'old.json');
    fs.writeFileSync(f, "an older run's report");
    const out = OutputFile.open(f);
    expect(fs.readFileSync(f, 'utf8')).toBe("an older run's report");
    out.discard();
    expect(fs.readFileSync(f, 'utf8')).toBe("an older run's report");
    expect(others(d, 'old.json')).toEqual([]);
  });

  it('writeAndClose() replaces the file whole (a new inode), keeping its mode', () => {
    const d = fs.mkdtempSync(path.join(dir, 'replace-'));
    const f = path.join(d, 'r.json');
    fs.writeFileSync(f, "an older run's report, longer than the new one", { mode: 0o640 });
    fs.chmodSync(f, 0o640);
    const before = fs.statSync(f).ino;
    OutputFile.open(f).writeAndClose('{"new":1}\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('{"new":1}\n');
    expect(fs.statSync(f).ino).not.toBe(before);
    expect(fs.statSync(f).mode & 0o777).toBe(0o640);
    expect(others(d, 'r.json')).toEqual([]);
    const fresh = path.join(d, 'fresh.json');
    OutputFile.open(fresh).writeAndClose('x');
    expect(fs.statSync(fresh).mode & 0o133).toBe(0); // 0644 (less the umask) for a new file
  });

  it('a symlink at the name is refused and its target untouched (a root 0600 file)', () => {
    const v = victim('victim-out');
    const link = path.join(dir, 'tfsr-report.json');
    fs.symlinkSync(v, link);
    expect(() => OutputFile.open(link)).toThrow(
      `--output ${link} is a symlink: name the file itself: an output is never written through a link`,
    );
    expect(fs.readFileSync(v, 'utf8')).toBe('secret\n');
    expect(fs.statSync(v).mode & 0o777).toBe(0o600);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a symlink planted after the check is replaced by the rename, never written through', () => {
    const d = fs.mkdtempSync(path.join(dir, 'race-'));
    const v = victim('victim-race');
    const f = path.join(d, 'r.json');
    const out = OutputFile.open(f);
    fs.symlinkSync(v, f); // planted between the check and the end of the run
    out.writeAndClose('report\n');
    expect(fs.readFileSync(v, 'utf8')).toBe('secret\n');
    expect(fs.lstatSync(f).isFile()).toBe(true);
    expect(fs.readFileSync(f, 'utf8')).toBe('report\n');
  });

  it('checkOutputWritable (vm) applies the same checks and leaves the path as it was', () => {
    expect(() => checkOutputWritable('/dev/full')).toThrow(/character device/);
    expect(() => checkOutputWritable('/proc/self/mem')).toThrow(/file of proc/);
    const d = fs.mkdtempSync(path.join(dir, 'vm-'));
    const f = path.join(d, 'vm.json');
    checkOutputWritable(f);
    expect(fs.readdirSync(d)).toEqual([]);
  });
});

describe('what a killed writer left beside its target', () => {
  it("the next writer of that name removes the dead pids' hidden files, nothing else", () => {
    const d = fs.mkdtempSync(path.join(dir, 'sweep-'));
    const plant = (n: string) => (fs.writeFileSync(path.join(d, n), 'x'), n);
    const dead = [plant('.r.json.tfsr-999991-deadbeef.tmp'), plant('.r.json.tfsr-999992-0badf00d.old')];
    const kept = [
      plant('.r.json.tfsr-42-deadbeef.tmp'), // a live writer's
      plant('.other.json.tfsr-999991-deadbeef.tmp'), // another target's
      plant('.r.json.tfsr-999991-deadbeef.tmp.bak'), // not our pattern
      plant('r.json'),
    ];
    fs.symlinkSync('/etc/passwd', path.join(d, '.r.json.tfsr-999993-cafecafe.tmp'));
    kept.push('.r.json.tfsr-999993-cafecafe.tmp'); // a link is never ours
    const removed = sweepDeadSiblings(d, 'r.json', (pid) => pid === 42);
    expect(removed.map((f) => path.basename(f)).sort()).toEqual([...dead].sort());
    expect(fs.readdirSync(d).sort()).toEqual([...kept].sort());
  });

  it('OutputFile.open sweeps before it makes its own temporary file', () => {
    const d = fs.mkdtempSync(path.join(dir, 'sweep-open-'));
    // pid 2^22 + 1 is above pid_max's ceiling: never a live process
    const left = path.join(d, `.r.json.tfsr-${(1 << 22) + 1}-deadbeef.tmp`);
    fs.writeFileSync(left, 'half a report');
    OutputFile.open(path.join(d, 'r.json')).writeAndClose('{}\n');
    expect(fs.readdirSync(d)).toEqual(['r.json']);
  });
});

describe('a stream (--journal, -f ktap -o) takes its name when the run starts', () => {
  it('publish({ keepOld }) puts it in place; fail() puts the old file back, finish() drops it; nothing left beside', () => {
    const d = fs.mkdtempSync(path.join(dir, 'stream-'));
    const f = path.join(d, 'r.ktap');
    fs.writeFileSync(f, 'the previous report\n');
    const failing = OutputFile.open(f);
    failing.publish({ keepOld: true });
    fs.writeSync(failing.fd, 'KTAP version 1\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('KTAP version 1\n');
    expect(failing.fail()).toBe('the previous file is back in place');
    expect(fs.readFileSync(f, 'utf8')).toBe('the previous report\n');
    expect(others(d, 'r.ktap')).toEqual([]);
    const ok = OutputFile.open(f);
    ok.publish({ keepOld: true });
    fs.writeSync(ok.fd, 'KTAP version 1\n1..0\n');
    ok.finish();
    expect(fs.readFileSync(f, 'utf8')).toBe('KTAP version 1\n1..0\n');
    expect(others(d, 'r.ktap')).toEqual([]);
  });
});

describe('two outputs naming one file', () => {
  it('are refused by resolved path, by dev/ino (a hard link) and through a linked directory', () => {
    const d = fs.mkdtempSync(path.join(dir, 'same-'));
    const f = path.join(d, 'x.json');
    expect(() =>
      refuseSharedTargets([checkTarget(f, '--output'), checkTarget(path.join(d, '.', 'x.json'), '--journal')]),
    ).toThrow(`--output ${f} and --journal ${path.join(d, 'x.json')} are the same file: give each its own file`);
    fs.writeFileSync(f, 'old');
    fs.linkSync(f, path.join(d, 'hard.json'));
    expect(() =>
      refuseSharedTargets([checkTarget(f, '--output'), checkTarget(path.join(d, 'hard.json'), '--journal')]),
    ).toThrow(/are the same file/);
    fs.symlinkSync(d, path.join(dir, 'same-link'));
    expect(() =>
      refuseSharedTargets([
        checkTarget(f, '--output'),
        checkTarget(path.join(dir, 'same-link', 'x.json'), '--journal'),
      ]),
    ).toThrow(/are the same file/);
    expect(() =>
      refuseSharedTargets([checkTarget(f, '--output'), checkTarget(path.join(d, 'y.json'), '--journal'), undefined]),
    ).not.toThrow();
  });
});

describe('a directory the tool writes files into (--repro-dir)', () => {
  it('is checked at its nearest existing ancestor before any mkdir: /proc and cgroup refused, nothing made', () => {
    const t0 = Date.now();
    expect(() => prepareOutputDir('/proc/tfsr-no-such/repro')).toThrow(
      '--repro-dir /proc/tfsr-no-such/repro: /proc is on proc, a kernel interface, not storage; name a directory on a disk or tmpfs',
    );
    expect(Date.now() - t0).toBeLessThan(1000);
    const cgroup = /^\S+ \S+ \S+ \S+ (\S+) .* - cgroup2? /m.exec(fs.readFileSync('/proc/self/mountinfo', 'utf8'))?.[1];
    if (cgroup) {
      const name = `tfsr_outdir_${process.pid}`;
      expect(() => prepareOutputDir(path.join(cgroup, name, 'repro'))).toThrow(/is on cgroup2?, a kernel interface/);
      expect(fs.existsSync(path.join(cgroup, name))).toBe(false);
    }
  });

  it('is made one level at a time; a symlink as its last component is refused', () => {
    const made = prepareOutputDir(path.join(dir, 'a', 'b', 'c'));
    expect(made).toBe(path.join(fs.realpathSync(dir), 'a', 'b', 'c'));
    expect(fs.statSync(made).isDirectory()).toBe(true);
    fs.symlinkSync(made, path.join(dir, 'dir-link'));
    expect(() => prepareOutputDir(path.join(dir, 'dir-link'))).toThrow(/is a symlink: name the directory itself/);
  });

  it('writes DIR/<name> through a rename: a planted DIR/<name>.c link is replaced, its target untouched', () => {
    const d = prepareOutputDir(path.join(dir, 'repro'));
    const v = victim('victim-repro');
    fs.symlinkSync(v, path.join(d, 'x[uprobe].c'));
    expect(writeFileInDir(d, 'x[uprobe].c', 'int main(void) { return 0; }\n')).toBe(path.join(d, 'x[uprobe].c'));
    expect(fs.readFileSync(v, 'utf8')).toBe('secret\n');
    expect(fs.lstatSync(path.join(d, 'x[uprobe].c')).isFile()).toBe(true);
    expect(others(d, 'x[uprobe].c')).toEqual([]);
  });
});

describe('a write that fails after the run', () => {
  it('is an EnvironmentError naming file and errno; emit() puts the report on stdout first', () => {
    const f = path.join(dir, 'lost.ktap');
    const out = OutputFile.open(f);
    fs.closeSync(out.fd); // planted: the fd fails under it (EBADF)
    const stdout = sink();
    const stderr = sink();
    let err: unknown;
    try {
      emit(report([pass]), 'ktap', out, { stdout, stderr });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toBe(`--output ${f}: write failed (EBADF); the report went to stdout instead`);
    expect(stdout.text).toMatch(/^KTAP version 1\n1\.\.1\n/);
    expect(fs.existsSync(f)).toBe(false);
  });

  it('a file that hits RLIMIT_FSIZE mid-report (EFBIG) keeps the old report and leaves no partial file (child under prlimit)', () => {
    // util/output and errors.ts compiled on the fly: the child runs the sources under test.
    const lib = path.join(dir, 'lib');
    const files = [
      'util/output.ts',
      'util/pid.ts',
      'errors.ts',
      ...fs.readdirSync(path.resolve(__dirname, '../../../src/util/output')).map((f) => `util/output/${f}`),
    ];
    for (const f of files) {
      const src = fs.readFileSync(path.resolve(__dirname, '../../../src', f), 'utf8');
      const js = ts.transpileModule(src, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      fs.mkdirSync(path.dirname(path.join(lib, f)), { recursive: true });
      fs.writeFileSync(path.join(lib, f.replace(/\.ts$/, '.js')), js);
    }
    fs.writeFileSync(path.join(lib, 'package.json'), '{"type":"module"}');
    const d = fs.mkdtempSync(path.join(dir, 'efbig-'));
    const target = path.join(d, 'big.json');
    fs.writeFileSync(target, 'the previous report\n');
    const script = `import { OutputFile } from ${JSON.stringify(path.join(lib, 'util/output.js'))};
      const out = OutputFile.open(${JSON.stringify(target)});
      try { out.writeAndClose('x'.repeat(100000)); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const r = spawnSync('prlimit', ['--fsize=4096', process.execPath, '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stdout.trim()).toBe(
      `EnvironmentError: --output ${target}: write failed (EFBIG); the previous file is kept`,
    );
    expect(fs.readFileSync(target, 'utf8')).toBe('the previous report\n');
    expect(others(d, 'big.json')).toEqual([]);
  });
});
