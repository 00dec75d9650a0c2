// SPDX-License-Identifier: GPL-2.0-only
// The engine's own failures: a config getter that throws, a worker out of
// fds mid-run, a run whose fds cannot fit. Each runs in a child process (its
// own fd limit; an abort there is an exit code here, not a dead test worker)
// against plain directories, through the build in dist/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';

const DIST =
  process.env.TFSR_RESOURCE_DIST ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr_resource_'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `body` (an async module body with `dist`, `dir` and `out(x)`) under `prlimit args`. */
async function child(prlimit: string[], body: string) {
  const script = `
const [dist, dir] = process.argv.slice(1);
const out = (x) => process.stdout.write(JSON.stringify(x) + '\\n');
${body}`;
  const r = await execa('prlimit', [...prlimit, process.execPath, '--input-type=module', '-e', script, DIST, dir], {
    reject: false,
  });
  const last = r.stdout.trim().split('\n').at(-1);
  return {
    exitCode: r.exitCode,
    stderr: r.stderr,
    out: last ? (JSON.parse(last) as Record<string, unknown>) : undefined,
  };
}

// A dir holding another, made and removed each cycle (the controller needs no
// fd for that, so only workers meet the limit); workers hold dirfds on it.
const RACE = `
const held = dir + '/d';
const config = (threads, heldDirfds) => ({
  threads, durationMs: 2000, progressMs: 0, heldDirfds, dwellPresentUs: 300, dwellAbsentUs: 300,
  create: [{ kind: 'mkdir', path: held }, { kind: 'mkdir', path: held + '/y' }],
  remove: [{ kind: 'rmdir', path: held + '/y' }, { kind: 'rmdir', path: held }],
  dirs: [{ path: held, names: ['y'] }],
  weights: { openat: 2, fstatat: 1, stat: 1 },
});
const { runRace } = await import(dist + '/race/engine.js');
const fs = await import('node:fs');
`;

describe('the race engine never aborts on a config, and never judges its own failures', () => {
  it("a config getter that throws gives the getter's error, not an abort", async () => {
    const r = await child(
      [],
      `
const { native } = await import(dist + '/native/index.js');
const base = { create: [{ kind: 'mkdir', path: dir + '/x' }], remove: [{ kind: 'rmdir', path: dir + '/x' }] };
const got = [];
for (const cfg of [
  { ...base, get threads() { throw new Error('threads getter'); } },
  { ...base, files: [dir + '/f', { toString() { return 'x'; } }] },
  { create: [{ kind: 'mkdir', get path() { throw new RangeError('path getter'); } }], remove: base.remove },
  { ...base, dirs: Object.defineProperty([], '0', { get() { throw new Error('element getter'); }, enumerable: true }) },
]) {
  try { native.raceStart(cfg); got.push('started'); } catch (e) { got.push(e.name + ': ' + e.message); }
}
// setRoot's list of writable paths is read the same way.
const writable = Object.defineProperty([], '0', { get() { throw new Error('setRoot getter'); }, enumerable: true });
try { native.setRoot('/tmp', writable); got.push('set'); } catch (e) { got.push(e.name + ': ' + e.message); }
out(got);`,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.out).toEqual([
      'Error: threads getter',
      'TypeError: raceStart(config): files must be an array of strings',
      'RangeError: path getter',
      'Error: element getter',
      'Error: setRoot getter',
    ]);
  });

  it('a worker out of fds mid-run stops and says so: EMFILE is never a violation', async () => {
    const r = await child(
      ['--nofile=400'],
      `${RACE}
let started;
const cycling = new Promise((r) => (started = r));
const run = runRace({ ...config(2, 4), durationMs: 5000, progressMs: 50 }, { onProgress: (p) => p.cycles > 5 && started() });
await Promise.race([cycling, new Promise((r) => setTimeout(r, 4000))]);
// Take every fd left until the run ends: the workers' next opens get EMFILE (the controller's mkdir/rmdir need none).
const fds = [];
try { for (;;) fds.push(fs.openSync('/dev/null', 'r')); } catch {}
await run.catch(() => {});
for (const fd of fds) fs.closeSync(fd);
const s = await run;
out({ resourceError: s.resourceError, violations: s.violationCount, cycles: s.cycles, left: fs.existsSync(held) });`,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ violations: 0, left: false, resourceError: { code: 'EMFILE' } });
    expect((r.out!.resourceError as { thread: number }).thread).toBeGreaterThanOrEqual(-1);
    expect(r.out!.cycles).toBeGreaterThan(0);
    // Up to 4 s waiting for cycles plus a child's start: over the default 5 s on a loaded machine.
  }, 20_000);

  it('a run whose fds cannot fit the limit starts nothing: EMFILE from the budget, with the numbers', async () => {
    const r = await child(
      ['--nofile=64'],
      `${RACE}
const s = await runRace(config(8, 64));
out({ resourceError: s.resourceError, fdBudget: s.fdBudget, cycles: s.cycles, ops: s.totalOps, made: fs.existsSync(held) });`,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.out).toMatchObject({
      resourceError: { code: 'EMFILE', op: 'fd budget', thread: -2 },
      // 8 workers x (one ring of 64 + an op's fd), the controller's 2; no kept file, no drop_caches thread.
      fdBudget: { needed: 8 * 65 + 2, limit: 64 },
      cycles: 0,
      ops: 0,
      made: false,
    });
  });
});
