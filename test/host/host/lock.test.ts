// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, lockFile, withLock } from '../../../src/host/lock.js';

const repo = path.resolve(__dirname, '../../..');
/** lock.ts and what it imports, transpiled for child processes (Node 20 runs no .ts). */
let js: string;
beforeAll(() => {
  js = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-lock-js-'));
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(js, 'node_modules'));
  fs.writeFileSync(path.join(js, 'package.json'), '{"type":"module"}');
  for (const f of ['host/lock.ts', 'host/paths.ts', 'errors.ts']) {
    const out = ts.transpileModule(fs.readFileSync(path.join(repo, 'src', f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    fs.mkdirSync(path.join(js, 'src', path.dirname(f)), { recursive: true });
    fs.writeFileSync(path.join(js, 'src', f.replace(/\.ts$/, '.js')), out);
  }
});
afterAll(() => fs.rmSync(js, { recursive: true, force: true }));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Locker = <T>(file: string, fn: () => Promise<T>) => Promise<T>;
const noLock: Locker = (_file, fn) => fn();

/** Three holders at once, each 150 ms inside; returns their [enter, leave] times. */
async function contend(lock: Locker, file: string): Promise<[number, number][]> {
  const spans: [number, number][] = [];
  await Promise.all(
    [0, 1, 2].map(() =>
      lock(file, async () => {
        const t = performance.now();
        await sleep(150);
        spans.push([t, performance.now()]);
      }),
    ),
  );
  return spans.sort((a, b) => a[0] - b[0]);
}

const overlaps = (spans: [number, number][]) => spans.some((s, i) => i > 0 && s[0] < spans[i - 1]![1]);

/** A child node process that takes the lock, prints "held", then sleeps holdMs. */
function childHolder(file: string, holdMs: number) {
  const src = path.join(js, 'src', 'host', 'lock.js');
  const code =
    `const { acquireLock } = await import(${JSON.stringify(src)});` +
    `await acquireLock(${JSON.stringify(file)}); console.log('held'); setTimeout(() => {}, ${holdMs});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const held = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => b.toString().includes('held') && resolve());
    child.on('exit', (c) => reject(new Error(`holder exited ${c} before holding`)));
  });
  return { child, held };
}

describe('withLock', () => {
  it('serializes concurrent holders of one lock file', async () => {
    const spans = await contend(withLock, path.join(dir, 'a.lock'));
    expect(spans).toHaveLength(3);
    expect(overlaps(spans)).toBe(false);
  });

  it('the same harness sees overlap without the lock (so the test above can fail)', async () => {
    expect(overlaps(await contend(noLock, path.join(dir, 'a.lock')))).toBe(true);
  });

  it('does not serialize different lock files', async () => {
    const a = await acquireLock(path.join(dir, 'a.lock'));
    const waits: string[] = [];
    const b = await acquireLock(path.join(dir, 'b.lock'), { onWait: (f) => waits.push(f), timeoutMs: 5000 });
    expect(waits).toEqual([]);
    a.release();
    b.release();
  });

  it('releases when fn throws', async () => {
    const f = path.join(dir, 'a.lock');
    await expect(withLock(f, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const l = await acquireLock(f, { timeoutMs: 1000 });
    l.release();
  });

  it('lets shared holders in together, and keeps an exclusive one out', async () => {
    const f = path.join(dir, 's.lock');
    const a = await acquireLock(f, { shared: true });
    const b = await acquireLock(f, { shared: true, timeoutMs: 500 });
    await expect(acquireLock(f, { timeoutMs: 300 })).rejects.toThrow(/timed out/);
    a.release();
    b.release();
    (await acquireLock(f, { timeoutMs: 500 })).release();
  });
});

describe('across processes', () => {
  it('waits for another process that holds the lock, saying so once', async () => {
    const f = path.join(dir, 'p.lock');
    const { child, held } = childHolder(f, 1500);
    await held;
    const waits: string[] = [];
    const t0 = performance.now();
    await withLock(f, async () => {}, { onWait: (x) => waits.push(x) });
    expect(performance.now() - t0).toBeGreaterThan(300);
    expect(waits).toEqual([f]);
    child.kill();
  });

  it('a SIGKILLed holder leaves no lock behind', async () => {
    const f = path.join(dir, 'k.lock');
    const { child, held } = childHolder(f, 60_000);
    await held;
    await expect(acquireLock(f, { timeoutMs: 200 })).rejects.toThrow(/timed out/);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const t0 = performance.now();
    (await acquireLock(f, { timeoutMs: 5000 })).release();
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('lockFile', () => {
  it('lives under the cache root and refuses names that would leave it', () => {
    const old = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = dir;
    try {
      expect(lockFile('apt')).toBe(path.join(dir, 'tracefs-regress', 'locks', 'apt.lock'));
      expect(() => lockFile('../x')).toThrow(/bad lock name/);
      expect(() => lockFile('')).toThrow(/bad lock name/);
    } finally {
      if (old === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = old;
    }
  });
});
