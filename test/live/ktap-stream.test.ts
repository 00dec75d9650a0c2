// SPDX-License-Identifier: GPL-2.0-only
// `run --format ktap` streams: a run SIGKILLed right after its third result
// line has already written a valid KTAP prefix with those results; a run
// interrupted by SIGINT still closes its document, the variants it never ran
// as `not ok ... # ERROR not run`; and asking for kprobes on a kernel without
// them is kselftest's skip, exit 4. Only single-threaded uprobe scenarios run
// here (the host oopses on some races).
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, leftovers, liveSkipReason, tracefsRoot } from './live-env.js';
import { parseKtap } from '../unit/report/ktap-parser.js';
import { kunit, KUNIT } from '../host/report/kunit.js';

const live = describe.skipIf(!!liveSkipReason);

const SCENARIOS = [
  'removed-files-enoent',
  'held-dirfd-enoent',
  'cwd-inside-removed',
  'fd-across-removal',
  'enabled-removal-ebusy',
  'recreate-fresh',
  'instance-files',
  'perm-chmod-removed',
].flatMap((s) => ['-s', s]);

/** Starts `run` on uprobes, many iterations of the single-threaded scenarios, and sends signal once stdout holds 3 result lines. */
async function killAfterThird(
  signal: NodeJS.Signals,
): Promise<{ stdout: string; code: number | null; sig: string | null }> {
  const child = spawn(
    process.execPath,
    [CLI, 'run', '-p', 'uprobe', ...SCENARIOS, '--repeat', '200', '--format', 'ktap'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let stdout = '';
  let sent = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    stdout += d;
    if (!sent && (stdout.match(/^(ok|not ok) \d+ /gm) ?? []).length >= 3) {
      sent = true;
      child.kill(signal);
    }
  });
  const [code, sig] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  return { stdout, code, sig };
}

live('streamed KTAP', () => {
  it('SIGKILL right after the third result leaves a valid prefix holding those results', async () => {
    const r = await killAfterThird('SIGKILL');
    expect(r.sig).toBe('SIGKILL');
    const doc = parseKtap(r.stdout, { prefix: true });
    expect(doc.plan).toBe(200 * 8);
    // At least the three seen before the kill; the run was far from its end.
    expect(doc.results.length).toBeGreaterThanOrEqual(3);
    expect(doc.results.length).toBeLessThan(doc.plan!);
    expect(doc.results.slice(0, 3).map((x) => [x.ok, x.name])).toEqual([
      [true, 'removed-files-enoent[uprobe]@1'],
      [true, 'held-dirfd-enoent[uprobe]@1'],
      [true, 'cwd-inside-removed[uprobe]@1'],
    ]);
    // planted: the same prefix is not a whole document
    expect(() => parseKtap(r.stdout)).toThrow();
    // A SIGKILLed run leaves its objects for the next run's stale cleanup: one short run takes them.
    await execa(process.execPath, [CLI, 'run', '-p', 'uprobe', '-s', 'removed-files-enoent'], { reject: false });
    expect(leftovers()).toEqual([]);
  });

  it('SIGINT closes the document: every planned variant has a result, the rest # ERROR not run', async () => {
    const r = await killAfterThird('SIGINT');
    expect(r.code).toBe(130);
    const doc = parseKtap(r.stdout);
    expect(doc.results).toHaveLength(200 * 8);
    const notRun = doc.results.filter((x) => x.directive === 'ERROR' && x.data?.startsWith('not run: '));
    expect(notRun.length).toBeGreaterThan(0);
    for (const x of notRun) expect(x.ok).toBe(false);
    // what ran comes first, then only not-run lines
    const first = doc.results.findIndex((x) => x.data?.startsWith('not run: '));
    expect(doc.results.slice(first).every((x) => x.data?.startsWith('not run: '))).toBe(true);
    expect(doc.trailer.some((l) => /^interrupted: /.test(l))).toBe(true);
    expect(doc.trailer.at(-1)).toMatch(new RegExp(`^Totals: .* error:${notRun.length}$`));
    expect(leftovers()).toEqual([]);
    if (KUNIT) {
      const k = kunit(r.stdout);
      expect(k.errors).toBe(0);
      expect(k.failed).toBe(notRun.length);
    }
  });

  it('a whole host run is a valid document: every kprobe variant a bare # SKIP with its reason before', async () => {
    const r = await execa(process.execPath, [CLI, 'run', ...SCENARIOS, '--format', 'ktap'], {
      reject: false,
      stripFinalNewline: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = parseKtap(r.stdout);
    expect(doc.plan).toBe(8 * 2);
    const skips = doc.results.filter((x) => x.directive === 'SKIP');
    expect(skips.map((x) => x.name)).toEqual(doc.results.filter((x) => x.name.endsWith('[kprobe]')).map((x) => x.name));
    for (const s of skips) {
      expect(s.data).toBeUndefined();
      // (the first result also carries the document's own header diagnostics: KTAP cannot tell them apart)
      expect(s.diagnostics.at(-1)).toBe('skipped: kprobe_events not available in this kernel (CONFIG_KPROBE_EVENTS)');
    }
    expect(doc.results.filter((x) => x.name.endsWith('[uprobe]')).every((x) => x.ok && !x.directive)).toBe(true);
    if (KUNIT) expect(kunit(r.stdout)).toMatchObject({ errors: 0, passed: 8, skipped: 8, failed: 0 });
    expect(leftovers()).toEqual([]);
  });

  it.skipIf(hasKprobes())('run -p kprobe on a kernel without kprobe_events exits 4', async () => {
    const r = await execa(process.execPath, [CLI, 'run', '-p', 'kprobe', '--format', 'ktap'], { reject: false });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/no kprobe events/);
    expect(r.stdout).toBe('');
  });
});

/** The kprobe test needs a kernel without kprobe_events (this host's). */
function hasKprobes(): boolean {
  return !liveSkipReason && fs.existsSync(path.join(tracefsRoot(), 'kprobe_events'));
}
