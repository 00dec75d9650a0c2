// SPDX-License-Identifier: GPL-2.0-only
// The unit project's setup file (vitest.config.ts): see purity.ts.
import { afterAll, expect } from 'vitest';
import { installGuard, takeViolations } from './purity.js';

installGuard();

// A refusal the code under test caught and turned into a result still fails the file.
afterAll(() => {
  expect(takeViolations(), 'child processes, the addon or a compiler in a unit test').toEqual([]);
});
