// --output / --journal are checked by opening them: only a regular file on
// storage is taken, and a write that fails later is one line, exit 2, with the
// report on stdout instead.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputFile, checkOutputWritable } from '../../../src/util/output.js';
import { emit } from '../../../src/cli/commands/run.js';
import { EnvironmentError, UsageError } from '../../../src/errors.js';
import { report, pass } from '../report/fixtures.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-output-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A sink that keeps what was written. */
function sink(): NodeJS.WritableStream & { text: string } {
  const s = { text: '', write: (c: string) => ((s.text += c), true) };
  return s as unknown as NodeJS.WritableStream & { text: string };
}

describe('--output is opened, and refused unless a regular file on storage', () => {
  it('a FIFO (mkfifo) is refused at once, without a reader and with one, never hangs', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => OutputFile.open(fifo)).toThrow(UsageError);
    expect(() => OutputFile.open(fifo)).toThrow(
      `--output ${fifo} is a FIFO: name a regular file (e.g. ./report.json), or leave --output out and redirect stdout`,
    );
    // With a reader the open itself would succeed: the check is by type, not by open's errno.
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      expect(() => OutputFile.open(fifo, '--journal')).toThrow(/^--journal .* is a FIFO/);
    } finally {
      fs.closeSync(reader);
    }
  });

  it('/dev/full (a character device) is refused, also through a symlink', () => {
    expect(() => OutputFile.open('/dev/full')).toThrow('--output /dev/full is a character device: name a regular file');
    const link = path.join(dir, 'full-link');
    fs.symlinkSync('/dev/full', link);
    expect(() => OutputFile.open(link)).toThrow(/is a character device/);
  });

  it('a directory is refused, naming a file inside it', () => {
    expect(() => OutputFile.open(dir)).toThrow(
      `--output ${dir} is a directory: name a file such as ${path.join(dir, 'report.json')}`,
    );
  });

  it('/proc/self/mem (a regular file of proc) is refused, and /sys files too', () => {
    expect(() => OutputFile.open('/proc/self/mem')).toThrow(
      /^--output \/proc\/self\/mem is a file of proc, a kernel interface, not storage: name a file on a disk or tmpfs$/,
    );
    expect(() => OutputFile.open('/sys/kernel/notes')).toThrow(UsageError);
  });

  it('a path in a missing directory is not writable (ENOENT)', () => {
    expect(() => OutputFile.open(path.join(dir, 'missing', 'r.json'))).toThrow(
      /is not writable \(ENOENT\): pick a writable path/,
    );
  });

  it('a regular file: truncated at open, written through the fd, closed', () => {
    const f = path.join(dir, 'old.json');
    fs.writeFileSync(f, "an older run's report, longer than the new one");
    const out = OutputFile.open(f);
    expect(fs.readFileSync(f, 'utf8')).toBe('');
    out.writeAndClose('{"new":1}\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('{"new":1}\n');
  });

  it('discard() removes a file the open created and nothing was written to, and leaves an existing one', () => {
    const made = path.join(dir, 'made.xml');
    OutputFile.open(made).discard();
    expect(fs.existsSync(made)).toBe(false);
    const kept = path.join(dir, 'kept.xml');
    fs.writeFileSync(kept, 'x');
    OutputFile.open(kept, '--output', { truncate: false }).discard();
    expect(fs.readFileSync(kept, 'utf8')).toBe('x');
  });

  it('checkOutputWritable (vm) applies the same checks and leaves the path as it was', () => {
    expect(() => checkOutputWritable('/dev/full')).toThrow(/character device/);
    expect(() => checkOutputWritable('/proc/self/mem')).toThrow(/file of proc/);
    const f = path.join(dir, 'vm.json');
    checkOutputWritable(f);
    expect(fs.existsSync(f)).toBe(false);
  });
});

describe('a write that fails after the run', () => {
  it('is an EnvironmentError naming file and errno; emit() puts the report on stdout first', () => {
    const f = path.join(dir, 'lost.ktap');
    const out = OutputFile.open(f);
    fs.closeSync(out.fd); // planted: the fd fails under it (EBADF)
    const stdout = sink();
    const stderr = sink();
    const rep = report([pass]);
    let err: unknown;
    try {
      emit(rep, 'ktap', out, { stdout, stderr });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toBe(`--output ${f}: write failed (EBADF); the report went to stdout instead`);
    expect(stdout.text).toMatch(/^KTAP version 1\n1\.\.1\n/);
  });

  it('a file that hits RLIMIT_FSIZE mid-report (EFBIG, after a partial write) gives the one-line error (child process under prlimit)', () => {
    // output.ts and errors.ts compiled on the fly: the child runs the sources under test.
    const lib = path.join(dir, 'lib');
    for (const f of ['util/output.ts', 'errors.ts']) {
      const src = fs.readFileSync(path.resolve(__dirname, '../../../src', f), 'utf8');
      const js = ts.transpileModule(src, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      fs.mkdirSync(path.dirname(path.join(lib, f)), { recursive: true });
      fs.writeFileSync(path.join(lib, f.replace(/\.ts$/, '.js')), js);
    }
    fs.writeFileSync(path.join(lib, 'package.json'), '{"type":"module"}');
    const target = path.join(dir, 'big.json');
    const script = `import { OutputFile } from ${JSON.stringify(path.join(lib, 'util/output.js'))};
      const out = OutputFile.open(${JSON.stringify(target)});
      try { out.writeAndClose('x'.repeat(100000)); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const r = spawnSync('prlimit', ['--fsize=4096', process.execPath, '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stdout.trim()).toBe(`EnvironmentError: --output ${target}: write failed (EFBIG)`);
    // The 4096 bytes that did fit are cut again: no half report is left to pass for a whole one.
    expect(fs.statSync(target).size).toBe(0);
  });
});
