// SPDX-License-Identifier: GPL-2.0-only
// The self-contained guest (docs/vm-boot.md), the way 6.19.x, 7.0.x and 7.1.x
// boot (the archive keeps only their vmlinuz): no modules, no 9p; node and
// the suite ride in the initramfs payload, the results come back over a
// virtio console. Forced here (the hidden --self-contained) on debian:6.12,
// which test/vm/10 has in the cache already: CI downloads nothing extra.
import path from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { describeVm, ROOT } from './helpers.js';

describeVm(
  'vm --self-contained: a guest without 9p',
  ['--kernel', 'debian:6.12', '--self-contained'],
  ['--scenario', 'removed-files-enoent', '--probe', 'uprobe'],
  600_000,
  (run) => {
    it('says which path the boot takes', () => {
      expect(run().stderr).toMatch(/booting 6\.12\.\S+ \(.*self-contained guest: node and the suite in the initramfs/);
    });

    it('runs the suite and brings the report and exit code back without 9p', () => {
      expect(run().report.env.kernel.release).toMatch(/^6\.12\./);
      expect(run().report.results.map((r) => `${r.name}: ${r.status}`)).toEqual(['removed-files-enoent[uprobe]: PASS']);
      expect(run().stderr).not.toMatch(/frame from the results relay/);
      expect(run().exitCode).toBe(0);
    });

    it('vm --exec refuses a self-contained guest at once (exit 2): it cannot see the host program', async () => {
      const r = await execa(
        process.execPath,
        [
          path.join(ROOT, 'bin', 'tracefs-regress.js'),
          'vm',
          '--kernel',
          'debian:6.12',
          '--self-contained',
          '--exec',
          '/bin/true',
        ],
        { cwd: ROOT, reject: false, stdin: 'ignore', timeout: 60_000 },
      );
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(
        /vm --exec: --self-contained boots a self-contained guest, .*cannot run a host program; drop --self-contained/,
      );
    });
  },
);
