// SPDX-License-Identifier: GPL-2.0-only
// `vm --format ktap` streams the guest's results as they arrive: the whole
// suite on debian:6.12 is one valid KTAP document whose first result reached
// stdout long before vm ended, with bare `# SKIP`s; and a guest whose kernel
// panics mid-suite (TEST HOOK: TRACEFS_REGRESS_TEST_PANIC_AFTER=3 makes the
// guest's `run` write `c` to /proc/sysrq-trigger after its third result)
// leaves exactly the three results it had sent, its other variants as
// `# ERROR not run`, and the host's `not ok ... vm-console` for the panic.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDist, REQUIRED, ROOT, unavailable } from './helpers.js';
import { parseKtap, type KtapDocument } from '../unit/report/ktap-parser.js';
import { kunit, KUNIT } from '../host/report/kunit.js';

interface Streamed {
  code: number | null;
  stdout: string;
  /** When each stdout line arrived, in ms after the start. */
  lineMs: number[];
  endMs: number;
}

function vmKtap(runArgs: string[], env: Record<string, string> = {}): Promise<Streamed> {
  const cli = path.join(ROOT, 'bin', 'tracefs-regress.js');
  const t0 = Date.now();
  const child = spawn(process.execPath, [cli, 'vm', '--kernel', 'debian:6.12', '--', ...runArgs, '--format', 'ktap'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  const lineMs: number[] = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    stdout += d;
    for (const _ of d.match(/\n/g) ?? []) lineMs.push(Date.now() - t0);
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      process.stderr.write(stderr.slice(-4000) + '\n');
      resolve({ code, stdout, lineMs, endMs: Date.now() - t0 });
    }),
  );
}

const why = unavailable();
if (why && !REQUIRED) console.warn(`SKIP vm --format ktap: ${why}`);

describe.skipIf(why !== undefined && !REQUIRED)('vm --format ktap on debian:6.12', () => {
  let full: Streamed;
  let panicked: Streamed;
  beforeAll(async () => {
    if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
    await buildDist();
    full = await vmKtap([]);
    panicked = await vmKtap(
      ['-s', 'removed-files-enoent', '-s', 'held-dirfd-enoent', '-s', 'cwd-inside-removed', '-p', 'uprobe,kprobe'],
      { TRACEFS_REGRESS_TEST_PANIC_AFTER: '3' },
    );
  });

  it('the whole suite is one valid KTAP document, streamed as the guest went', () => {
    const d: KtapDocument = parseKtap(full.stdout);
    expect(full.code, full.stdout.slice(-3000)).toBe(0);
    expect(d.results.at(-2)).toMatchObject({ ok: true, name: 'vm-console' });
    expect(d.results.at(-1)).toMatchObject({ ok: true, name: 'vm-boot' });
    // every planned variant ran or skipped on this kernel, none not run
    expect(d.results.filter((r) => r.data?.startsWith('not run'))).toEqual([]);
    for (const r of d.results.filter((x) => x.directive === 'SKIP')) {
      expect(r.data).toBeUndefined();
      expect(r.diagnostics.at(-1)).toMatch(/^skipped: /);
    }
    // The first result line reached stdout well before vm ended (the suite's races alone take longer).
    const lines = full.stdout.split('\n');
    const first = lines.findIndex((l) => /^ok 1 /.test(l));
    expect(first).toBeGreaterThan(0);
    process.stderr.write(
      `vm ktap: ${d.results.length} results, first at ${full.lineMs[first]} ms, vm ended at ${full.endMs} ms\n`,
    );
    expect(full.endMs - full.lineMs[first]!).toBeGreaterThan(10_000);
    if (KUNIT) expect(kunit(full.stdout)).toMatchObject({ errors: 0, failed: 0 });
  });

  it('a guest that panics after its third result leaves those three, the rest not run, and vm-console not ok', () => {
    expect(panicked.code).toBe(1);
    const d = parseKtap(panicked.stdout);
    expect(d.plan).toBe(3 * 2 + 2);
    expect(d.results.slice(0, 3).every((r) => r.ok && !r.directive)).toBe(true);
    expect(d.results.slice(3, 6).map((r) => [r.ok, r.directive, r.data?.slice(0, 9)])).toEqual(
      Array(3).fill([false, 'ERROR', 'not run: ']),
    );
    const console = d.results[6]!;
    expect(console).toMatchObject({ ok: false, name: 'vm-console' });
    expect(console.diagnostics.join('\n')).toMatch(/Kernel panic - not syncing: sysrq triggered crash/);
    if (KUNIT) expect(kunit(panicked.stdout)).toMatchObject({ errors: 0, passed: 3 + 1, failed: 3 + 1 });
  });
});
