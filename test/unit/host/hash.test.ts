// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256File, sha256Of } from '../../../src/host/hash.js';

const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('sha256', () => {
  it('hashes text and bytes alike', () => {
    expect(sha256Of('abc')).toBe(ABC);
    expect(sha256Of(Buffer.from('abc'))).toBe(ABC);
  });

  it("hashes a file's contents, and a changed file hashes differently", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-hash-'));
    try {
      const f = path.join(dir, 'x');
      fs.writeFileSync(f, 'abc');
      expect(sha256File(f)).toBe(ABC);
      fs.writeFileSync(f, 'abd');
      expect(sha256File(f)).not.toBe(ABC);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
