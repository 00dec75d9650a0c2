// SPDX-License-Identifier: GPL-2.0-only
// registerRoot turns the addon's refusal into an error a user can act on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerRoot, WRITABLE_OUTSIDE } from '../../../src/tracefs/open.js';
import { EnvironmentError } from '../../../src/errors.js';
import { native } from '../../../src/native/index.js';

describe('registerRoot', () => {
  it('refuses a plain directory, naming it', () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-rootfd-open-')));
    try {
      expect(() => registerRoot(dir)).toThrow(EnvironmentError);
      expect(() => registerRoot(dir)).toThrow(`cannot hold tracefs at ${dir} open (it is not tracefs)`);
      expect(native.rootPath()).toBeUndefined();
    } finally {
      fs.rmdirSync(dir);
    }
  });

  it('lets a run write outside tracefs only to drop_caches', () => {
    expect(WRITABLE_OUTSIDE).toEqual(['/proc/sys/vm/drop_caches']);
  });
});
