// SPDX-License-Identifier: GPL-2.0-only
// lcov and genhtml for real, on a two-function C file compiled with --coverage
// from an object dir inside its tree (as kbuild's O=out builds): the relative
// source names must resolve, branches must be on, the HTML must exist.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { gcovToolFor, lcovReport, missingLcov } from '../../../src/coverage/lcov.js';
import { parseTracefile, summarise, unreachedFunctions } from '../../../src/coverage/tracefile.js';
import { findInPath } from '../../../src/host/programs.js';

const missing = [...missingLcov(), ...(findInPath('gcc') ? [] : ['gcc'])];
const why = missing.length ? `needs ${missing.join(', ')} (apt-get install lcov gcc)` : '';
if (why) console.warn(`SKIP lcov/genhtml round trip: ${why}`);

const C = `int used(int x) {
  if (x > 1)
    return 2;
  return 1;
}
int unused(void) { return 3; }
int main(int argc, char **argv) { (void)argv; return used(argc) - 1; }
`;

describe.skipIf(!!why)('lcovReport', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lcov-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('captures lines, functions and branches of a file under an instrumented dir, and writes the HTML', async () => {
    const tree = path.join(tmp, 'tree');
    const out = path.join(tree, 'out');
    fs.mkdirSync(path.join(tree, 'fs/tracefs'), { recursive: true });
    fs.mkdirSync(path.join(out, 'fs/tracefs'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'fs/tracefs/x.c'), C);
    await execa('gcc', ['--coverage', '-O0', '-o', 'fs/tracefs/x', '../fs/tracefs/x.c'], { cwd: out });
    await execa(path.join(out, 'fs/tracefs/x'), [], { cwd: out, reject: false });
    const dir = path.join(tmp, 'report');
    fs.mkdirSync(dir);
    const gcc = (await execa('gcc', ['-dumpversion'])).stdout.trim();
    const gcovTool = gcovToolFor(`CONFIG_GCC_VERSION=${Number(gcc.split('.')[0]) * 10000}\n`);
    const r = await lcovReport({ gcovDir: out, objDir: out, tree, gcovTool, dir });
    const t = parseTracefile(fs.readFileSync(r.tracefile, 'utf8'));
    const s = summarise(t, 'fs/tracefs/x.c');
    expect(s.present).toBe(true);
    expect(s.functions).toEqual({ hit: 2, total: 3 });
    expect(s.branches.total).toBe(2);
    expect(s.branches.hit).toBe(1);
    expect(unreachedFunctions(t, 'fs/tracefs/x.c').map((f) => f.name)).toEqual(['unused']);
    expect(fs.existsSync(path.join(r.html, 'index.html'))).toBe(true);
  }, 120_000);
});
