// SPDX-License-Identifier: GPL-2.0-only
// --tracefs is resolved and its filesystem checked: a plain directory that
// looks like tracefs, reached through '..', is refused and nothing is written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, liveSkipReason, tracefsRoot } from './live-env.js';

describe.skipIf(!!liveSkipReason)('--tracefs through .. to a plain directory', () => {
  it('exits 2 naming the problem and leaves the fake control file untouched', async () => {
    const fake = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-fake-tracefs-'));
    try {
      for (const f of ['README', 'uprobe_events', 'kprobe_events', 'dynamic_events'])
        fs.writeFileSync(path.join(fake, f), '');
      fs.mkdirSync(path.join(fake, 'events'));
      // A string, not path.join (which would normalise the '..' away before the tool sees it).
      const sneaky = `${tracefsRoot()}/../../..${fake}`;
      const r = await execa(
        process.execPath,
        [CLI, 'run', '-s', 'removed-files-enoent', '-p', 'uprobe', '--tracefs', sneaky],
        {
          reject: false,
        },
      );
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain('is not on tracefs');
      expect(fs.readFileSync(path.join(fake, 'uprobe_events'), 'utf8')).toBe('');
    } finally {
      fs.rmSync(fake, { recursive: true, force: true });
    }
  });
});
