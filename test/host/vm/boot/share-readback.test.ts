// SPDX-License-Identifier: GPL-2.0-only
// What the host reads back from the guest's results share, against files a
// hostile guest plants there: the exit status must be a number 0-255 in a
// regular file, and anything else is refused with a reason the run reports.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readExitCode } from '../../../../src/vm/boot/boot.js';
import { guestFileProblem, parseExitCode } from '../../../../src/vm/guest/file.js';
import { classifyBoot, type BootFacts } from '../../../../src/vm/boot/outcome.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-share-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the exit-code file', () => {
  it('parses exactly one number 0-255 and an optional newline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        (n, nl) => parseExitCode(`${n}${nl ? '\n' : ''}`) === n,
      ),
    );
  });

  it('refuses planted text: empty (a truncated file, or a FIFO stored as a regular file), out of range, not decimal', () => {
    for (const t of ['', '\n', ' ', '256', '-1', '1e2', '0x10', '12abc', '+1', '1.0', '1\n2', '/etc/shadow', '0\n\n'])
      expect(parseExitCode(t), JSON.stringify(t)).toBeUndefined();
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^([0-9]{1,2}|1[0-9]{2}|2[0-4][0-9]|25[0-5]|0[0-9]{2})\n?$/.test(s)),
        (s) => parseExitCode(s) === undefined,
      ),
    );
  });

  it('an empty exit-code (what a guest FIFO is on a mapped-xattr host) is no status, not 0', () => {
    const f = path.join(dir, 'exit-code');
    fs.writeFileSync(f, '');
    expect(readExitCode(f)).toEqual({ problem: 'holds "", not an exit status 0-255' });
    fs.writeFileSync(f, '42\n');
    expect(readExitCode(f)).toEqual({ code: 42 });
    expect(readExitCode(path.join(dir, 'absent'))).toEqual({});
  });

  it('a symlink to a host file holding 0 is refused, not followed', () => {
    const bait = path.join(dir, 'zero');
    fs.writeFileSync(bait, '0\n');
    const f = path.join(dir, 'exit-code');
    fs.symlinkSync(bait, f);
    expect(readExitCode(f)).toEqual({ problem: 'a symbolic link, not a regular file' });
  });

  it('a FIFO is refused without blocking', () => {
    const f = path.join(dir, 'exit-code');
    execFileSync('mkfifo', [f]);
    expect(readExitCode(f)).toEqual({ problem: 'a FIFO, not a regular file' });
  });
});

describe('files the host refuses', () => {
  it('names what each is, and passes a regular file or an absent one', () => {
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    fs.symlinkSync('/etc/shadow', path.join(dir, 'link'));
    fs.mkdirSync(path.join(dir, 'dir'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    expect(guestFileProblem(path.join(dir, 'file'))).toBeUndefined();
    expect(guestFileProblem(path.join(dir, 'absent'))).toBeUndefined();
    expect(guestFileProblem(path.join(dir, 'link'))).toBe('a symbolic link, not a regular file');
    expect(guestFileProblem(path.join(dir, 'dir'))).toBe('a directory, not a regular file');
    expect(guestFileProblem(path.join(dir, 'fifo'))).toBe('a FIFO, not a regular file');
    expect(guestFileProblem('/dev/null')).toBe('a character device, not a regular file');
  });

  it("a guest that ended without a usable status says what was refused in the run's message", () => {
    const f: BootFacts = {
      accelerator: 'tcg thread=multi',
      timeoutMs: 1000,
      memoryMiB: 2048,
      timedOut: false,
      consoleFailures: [],
      outOfMemory: false,
      qemuExit: 0,
      qemuStderr: '',
      shareProblems: ['exit-code in the results share: a FIFO, not a regular file'],
    };
    expect(classifyBoot(f)).toEqual({
      status: 'NO_RESULT',
      message:
        'the guest ended without reporting back (qemu exit 0); refused exit-code in the results share: a FIFO, not a regular file',
    });
    expect(classifyBoot({ ...f, shareProblems: undefined }).message).toBe(
      'the guest ended without reporting back (qemu exit 0)',
    );
  });
});
