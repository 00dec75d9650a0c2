// SPDX-License-Identifier: GPL-2.0-only
// `run --scenario-timeout`: parsed like --duration and refused (exit 2)
// before tracefs is touched; shown in --help with its default.
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../bin/tracefs-regress.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('run --scenario-timeout', () => {
  it('is in --help with its default', () => {
    const r = cli('run', '--help');
    expect(r.stdout).toMatch(/--scenario-timeout <time>[\s\S]*\(default: "60s"\)/);
  });
  it('a bad value is a usage error, exit 2, naming the option', () => {
    for (const [bad, why] of [
      ['0s', /--scenario-timeout '0s' must be more than zero/],
      ['soon', /--scenario-timeout 'soon' is not a length of time: use 500ms, 3s, 20m or 1h/],
      ['25h', /--scenario-timeout '25h' is too long: use 24h or less/],
    ] as const) {
      const r = cli('run', '--scenario-timeout', bad, '-s', 'no-such-scenario-anyway');
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(why);
    }
  });
});
