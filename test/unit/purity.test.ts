// SPDX-License-Identifier: GPL-2.0-only
// The unit project stays pure (test/layers/purity.ts): its sources name no
// child process, addon or compiler, and the guard its setup file installs
// refuses them at run time.
import cp from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanImpure, takeViolations } from '../layers/purity.js';

const require = createRequire(import.meta.url);

describe('the unit project is pure', () => {
  it('no source under test/unit/ names a child process, the addon or a compiler', () => {
    // This file names every marker on purpose, to plant them.
    expect(scanImpure(__dirname).filter((line) => !line.startsWith('purity.test.ts:'))).toEqual([]);
  });

  it('the scan names each marker in a planted impure tree, and passes native/ imports and plain words', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-purity-'));
    try {
      const plant = (name: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      };
      plant('a/spawn.test.ts', "import { spawnSync } from 'node:child_process';\n");
      plant('a/execa.test.ts', "import { execa } from 'execa';\n");
      plant('b/addon.test.ts', "const b = require('node-gyp-build');\n");
      plant('b/binary.test.ts', "const a = require('../../build/Release/tracefs_regress.node');\n");
      plant('c/cc.test.ts', "run('cc', ['-O2', 'x.c']);\n");
      plant(
        'c/pure.test.ts',
        "import type { Result } from '../../../src/native/index.js';\n// we spawn nothing; cc: nobody\n",
      );
      expect(scanImpure(dir)).toEqual([
        'a/execa.test.ts: child processes (execa)',
        'a/spawn.test.ts: child processes (node:child_process)',
        'b/addon.test.ts: the native addon (node-gyp-build)',
        'b/binary.test.ts: the native addon (a .node binary)',
        'c/cc.test.ts: a C compiler',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('the guard refuses at run time what no marker names', () => {
    // The refusals below are planted: forget them so the setup file's check passes.
    afterEach(() => void takeViolations());

    it('child processes, through node:child_process and execa alike', async () => {
      expect(() => cp.spawnSync('true')).toThrow(/unit tests are pure: child_process.spawnSync\(true\)/);
      expect(() => cp.execFileSync('cc', ['--version'])).toThrow(/move the test file to test\/host\//);
      const { execa } = await import('execa');
      await expect(execa('true')).rejects.toThrow(/unit tests are pure/);
      expect(takeViolations().length).toBeGreaterThanOrEqual(3);
    });

    it('the addon: node-gyp-build, a .node file, dlopen', () => {
      expect(() => require('node-gyp-build')).toThrow(/require\(node-gyp-build\)/);
      expect(() => require(path.resolve(__dirname, '../../build/Release/tracefs_regress.node'))).toThrow(
        /unit tests are pure/,
      );
      expect(() => process.dlopen({ exports: {} }, '/nonexistent.node')).toThrow(/loading \/nonexistent.node/);
    });

    it('a refusal the code caught is still recorded for the setup file to fail on', () => {
      try {
        cp.execSync('cc x.c');
      } catch {
        // a src/ module that turns a failed spawn into a result would land here
      }
      expect(takeViolations()).toEqual([
        'unit tests are pure: child_process.execSync(cc x.c) is not allowed here; move the test file to test/host/',
      ]);
    });
  });
});
