// SPDX-License-Identifier: GPL-2.0-only
import { defineConfig } from 'vitest/config';

// Five projects: unit (pure logic: no child process, no addon, no compiler,
// which its setup file enforces, test/layers/purity.ts), host (tests that need
// this machine's programs, the addon or a compiler, but not tracefs), live
// (this machine's real tracefs), vm (real kernels booted in QEMU) and browser
// (pages in headless Chromium). Live and VM tests share one kernel, so their
// files run one after another.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles: ['test/layers/unit-setup.ts'] } },
      // Its tests start processes (node, git, cc); 5 s, vitest's default, is
      // less than a bisect of a throwaway repo takes on a busy machine.
      { test: { name: 'host', include: ['test/host/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'live',
          include: ['test/live/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'vm',
          include: ['test/vm/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 1_800_000,
          hookTimeout: 1_800_000,
        },
      },
      { test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
});
