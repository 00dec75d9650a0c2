// SPDX-License-Identifier: GPL-2.0-only
// A --source git tree: the builder copies it again when its HEAD moves (the
// bisect step builds one directory at many commits), and always when it is dirty.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMeta } from '../../../src/kernel/build.js';
import { userSource } from '../../../src/kernel/source.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-ktree-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { encoding: 'utf8', env }).trim();
const input = { name: 'b', base: 'tiny' as const, kasan: false, patchFiles: [] };

describe('a git --source tree', () => {
  it('is keyed by its HEAD: a new commit or local changes give another tree key', () => {
    fs.mkdirSync(path.join(dir, 'arch/x86'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'arch/x86/Kconfig'), '');
    fs.writeFileSync(path.join(dir, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 1\n');
    // A plain directory has no revision: its key is its path, as before.
    const plain = userSource(dir);
    expect(plain.revision).toBeUndefined();
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    const one = userSource(dir);
    expect(one.revision).toBe(git('rev-parse', 'HEAD'));
    expect(one.label).toBe(`${dir} ${one.revision!.slice(0, 12)}`);
    const key = (s: typeof one) => buildMeta(input, s, [], 'ck').treeKey;
    expect(key(one)).not.toBe(key(plain));
    expect(key(userSource(dir))).toBe(key(one));

    fs.writeFileSync(path.join(dir, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 2\n');
    const dirty = userSource(dir);
    expect(dirty.revision).toMatch(new RegExp(`^${one.revision}\\+dirty@\\d+$`));
    expect(key(dirty)).not.toBe(key(one));

    git('commit', '-q', '-am', 'two');
    const two = userSource(dir);
    expect(two.revision).toBe(git('rev-parse', 'HEAD'));
    expect(key(two)).not.toBe(key(one));
    expect(buildMeta(input, two, [], 'ck').sourceRevision).toBe(two.revision);
  });
});
