// SPDX-License-Identifier: GPL-2.0-only
// A guest whose kernel oopses with a lock held ends promptly, with its
// results. The kernel is the tinyconfig 6.12 test kernel with a planted oops
// (test/vm/fixtures/oops-enable-write-locked.patch: a NULL dereference in
// event_enable_write() under event_mutex), built here with the same
// buildKernel as `npm run test:mutants`: seeded from the `clean` build when
// one exists (about 1-2 min), otherwise a full build through ccache.
import path from 'node:path';
import { expect, it } from 'vitest';
import { buildKernel, BUILD_DEPS_HINT, missingBuildDeps } from '../../src/kernel/build.js';
import { OOPS_GRACE_MS } from '../../src/vm/boot/watch.js';
import { describeVm, ROOT } from './helpers.js';

const FIXTURE = path.join(ROOT, 'test/vm/fixtures/oops-enable-write-locked.patch');
/** Far above the grace: a guest ended by --timeout instead fails the time assertion below. */
const TIMEOUT_S = 300;

function noBuild(): string | undefined {
  const m = missingBuildDeps();
  return m.length
    ? `the planted-oops kernel cannot be built here (missing ${m.join(', ')}): ${BUILD_DEPS_HINT}`
    : undefined;
}

async function plantedKernel(): Promise<string[]> {
  const log = (m: string) => process.stderr.write(`oops-locked kernel: ${m}\n`);
  const b = await buildKernel({ name: 'oops-enable-write-locked', patches: [FIXTURE], log });
  log(`${b.bzImage} in ${b.seconds} s (${b.how})`);
  return ['--kernel', b.bzImage];
}

describeVm(
  'vm: a guest that oopses with a lock held',
  ['--timeout', String(TIMEOUT_S)],
  ['-p', 'uprobe', '-s', 'removed-files-enoent', '-s', 'fd-across-removal', '-s', 'enabled-removal-ebusy'],
  (TIMEOUT_S + 120) * 1000,
  (run) => {
    it('ends with exit 1, the results from before the oops, and nothing after it', () => {
      const r = run();
      expect(r.exitCode).toBe(1);
      const got = r.report.results.map((x) => `${x.name} ${x.status}`);
      expect(got).toEqual(['removed-files-enoent[uprobe] PASS', 'vm-console FAIL']);
      expect(r.report.interrupted).toMatch(/during fd-across-removal\[uprobe\]/);
    });

    it('reports KERNEL_FAILURE naming the running scenario, quoting BUG, RIP and the call trace', () => {
      const c = run().report.results.find((x) => x.name === 'vm-console')!;
      expect(c.reason).toMatch(
        /during fd-across-removal\[uprobe\] at [\d.]+ s and the guest made no progress for 20 s: qemu ended/,
      );
      const lines = c.evidence.map((e) => e.got);
      expect(lines).toContainEqual(expect.stringMatching(/^BUG: kernel NULL pointer dereference/));
      expect(lines).toContainEqual(expect.stringMatching(/^RIP: 0010:event_enable_write\+/));
      // tinyconfig has no ORC unwinder: the frames are the guess unwinder's, marked '?'.
      expect(lines).toContainEqual(expect.stringMatching(/^Call Trace: (\? )?vfs_write\+/));
      expect(run().stderr).toMatch(/KERNEL_FAILURE/);
    });

    it('ends within 60 s of the oops, not at --timeout', () => {
      const c = run().report.results.find((x) => x.name === 'vm-console')!;
      const m = /at ([\d.]+) s and .* qemu ended at ([\d.]+) s/.exec(c.reason ?? '');
      expect(m, c.reason).not.toBeNull();
      const afterOops = Number(m![2]) - Number(m![1]);
      // Both times are printed to 0.1 s, so their difference may be 0.1 s short (and 20.0 - 0.0 can be 19.999...).
      expect(afterOops).toBeGreaterThanOrEqual(OOPS_GRACE_MS / 1000 - 0.1);
      expect(afterOops).toBeLessThan(60);
      expect(run().wallMs).toBeLessThan(TIMEOUT_S * 1000);
    });
  },
  { unavailable: noBuild, prepare: plantedKernel },
);
