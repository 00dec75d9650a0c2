// SPDX-License-Identifier: GPL-2.0-only
// Two runs on a box where tracefs is not mounted: the first mounts it, the
// second starts while the first runs, and the first ends (unmounting what it
// mounted) while the second is still racing. The second must not notice.
// In a private mount namespace, so the host's own mount is never touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, liveSkipReason } from './live-env.js';

describe.skipIf(!!liveSkipReason)('runs that each had to mount tracefs', () => {
  it('both pass: neither unmounts what the other uses', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-private-mount-'));
    const run = (name: string, duration: string) =>
      `node ${CLI} run -s race-reopen -p uprobe --duration ${duration} -f json -o ${out}/${name}.json > ${out}/${name}.log 2>&1`;
    const script = [
      // Nothing of tracefs visible: not the usual mount, not debugfs's automount.
      'umount -l /sys/kernel/tracing 2>/dev/null; umount -l /sys/kernel/debug 2>/dev/null',
      `${run('a', '3s')} & A=$!`,
      'sleep 1.5',
      `${run('b', '4s')}; B=$?`,
      'wait $A; echo "a=$? b=$B"',
    ].join('\n');
    try {
      const r = await execa('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { reject: false });
      const b = fs.readFileSync(`${out}/b.log`, 'utf8');
      expect({ verdict: r.stdout.trim(), b: b.split('\n').slice(-3) }).toMatchObject({ verdict: 'a=0 b=0' });
      const report = JSON.parse(fs.readFileSync(`${out}/b.json`, 'utf8')) as { env: { tracefs: string } };
      expect(path.basename(report.env.tracefs)).toMatch(/^tfsr-tracefs-\d+-/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
