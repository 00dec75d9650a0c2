// SPDX-License-Identifier: GPL-2.0-only
// vmChild's onLine through a real child process: lines of both streams come
// as they are written, and the result still holds the whole output (execa
// reads the same streams).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { vmChild } from '../../../src/vm/child.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

it('streams stdout and stderr line by line and keeps them whole', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-vmlines-'));
  dirs.push(root);
  fs.mkdirSync(path.join(root, 'bin'));
  // A stand-in for bin/tracefs-regress.js: writes in pieces, a multi-byte character split across writes.
  fs.writeFileSync(
    path.join(root, 'bin/tracefs-regress.js'),
    `const o = process.stdout, e = process.stderr;
     o.write('one\\ntw'); setTimeout(() => { o.write('o\\n'); e.write('err\\n');
     o.write(Buffer.from([0xc3])); setTimeout(() => { o.write(Buffer.from([0xa9, 0x0a])); o.write('tail'); }, 20); }, 20);`,
  );
  const seen: string[] = [];
  const r = await vmChild(
    { root, mode: { kind: 'exec', program: '/bin/true', args: [] } },
    { onLine: (l, s) => seen.push(`${s}:${l}`) },
  );
  expect(r.exitCode).toBe(0);
  expect(seen.filter((l) => l.startsWith('stdout:'))).toEqual(['stdout:one', 'stdout:two', 'stdout:é', 'stdout:tail']);
  expect(seen).toContain('stderr:err');
  expect(r.stdout).toBe('one\ntwo\né\ntail');
});
