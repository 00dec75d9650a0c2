// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishDir } from '../../../src/host/publish.js';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-publish-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function entry(name: string, content: string): string {
  const d = path.join(root, name);
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, 'manifest.json'), content);
  return d;
}
const content = (d: string) => fs.readFileSync(path.join(d, 'manifest.json'), 'utf8');
const left = () => fs.readdirSync(root).sort();

describe('publishing a cache entry', () => {
  it('renames the staged dir into place', () => {
    publishDir(entry('k.tmp1', 'new'), path.join(root, 'k'), () => true);
    expect(content(path.join(root, 'k'))).toBe('new');
    expect(left()).toEqual(['k']);
  });

  it('keeps a valid entry a concurrent fetch published first, and drops its own', () => {
    const dir = entry('k', 'theirs');
    publishDir(entry('k.tmp2', 'mine'), dir, () => true);
    expect(content(dir)).toBe('theirs');
    expect(left()).toEqual(['k']);
  });

  it('replaces a broken entry', () => {
    const dir = entry('k', 'corrupt');
    publishDir(entry('k.tmp3', 'good'), dir, (d) => content(d) !== 'corrupt');
    expect(content(dir)).toBe('good');
    expect(left()).toEqual(['k']);
  });

  it('leaves no staged dir behind when publishing fails', () => {
    const tmp = entry('k.tmp4', 'x');
    expect(() => publishDir(tmp, path.join(root, 'missing-parent', 'k'), () => true)).toThrow(/ENOENT/);
    expect(left()).toEqual([]);
  });
});
