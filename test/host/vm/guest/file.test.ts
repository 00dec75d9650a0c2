// SPDX-License-Identifier: GPL-2.0-only
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openGuestFile, readGuestFile } from '../../../../src/vm/guest/file.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-guest-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('files the guest left in the share', () => {
  it('reads a regular file', () => {
    fs.writeFileSync(path.join(dir, 'exit-code'), '1\n');
    expect(readGuestFile(path.join(dir, 'exit-code'))).toBe('1\n');
  });

  it('does not follow a symlink (a guest could point it at any host file)', () => {
    fs.symlinkSync('/etc/hostname', path.join(dir, 'report.json'));
    expect(readGuestFile(path.join(dir, 'report.json'))).toBeUndefined();
    expect(openGuestFile(path.join(dir, 'report.json'))).toBeUndefined();
  });

  it('does not block on a FIFO or read a device', () => {
    execFileSync('mkfifo', [path.join(dir, 'journal.jsonl')]);
    expect(readGuestFile(path.join(dir, 'journal.jsonl'))).toBeUndefined();
    expect(readGuestFile('/dev/zero')).toBeUndefined();
  });

  it('refuses a file over the limit and answers undefined for a missing one', () => {
    fs.writeFileSync(path.join(dir, 'big'), 'x'.repeat(100));
    expect(readGuestFile(path.join(dir, 'big'), 99)).toBeUndefined();
    expect(readGuestFile(path.join(dir, 'big'), 100)).toHaveLength(100);
    expect(readGuestFile(path.join(dir, 'missing'))).toBeUndefined();
  });
});
