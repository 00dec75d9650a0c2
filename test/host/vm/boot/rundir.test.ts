// SPDX-License-Identifier: GPL-2.0-only
import { execa, execaSync } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newRunDir, reapOrphans } from '../../../../src/vm/boot/rundir.js';

describe('run directories', () => {
  let home: string;
  const old = process.env.XDG_CACHE_HOME;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-run-'));
    process.env.XDG_CACHE_HOME = home;
  });
  afterEach(() => {
    process.env.XDG_CACHE_HOME = old;
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('lives under the cache (never /tmp, which the guest hides) and names its owner', () => {
    const d = newRunDir();
    expect(d.startsWith(path.join(home, 'tracefs-regress', 'run'))).toBe(true);
    expect(path.basename(d)).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
    expect(fs.statSync(path.join(d, 'share')).isDirectory()).toBe(true);
  });

  it('ends a qemu whose runner was killed, and only that one', async () => {
    const deadPid = execaSync('sh', ['-c', 'echo $$']).stdout.trim();
    const runs = path.join(home, 'tracefs-regress', 'run');
    const orphanDir = path.join(runs, `2026-01-01T00-00-00-000Z-${deadPid}-abcdef`);
    const ownedDir = path.join(runs, `2026-01-01T00-00-00-000Z-${process.pid}-fedcba`);
    // Stand-ins for qemu: their command lines name qemu-system and their run dir, as the real one does.
    const fake = (dir: string) =>
      execa(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', 'qemu-system-x86_64', `file:${dir}/serial.log`], {
        reject: false,
      });
    const orphan = fake(orphanDir);
    const owned = fake(ownedDir);
    for (const [d, p] of [
      [orphanDir, orphan],
      [ownedDir, owned],
    ] as const) {
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, 'qemu.pid'), `${p.pid}\n`);
    }
    await new Promise((r) => setTimeout(r, 200));
    const killed = reapOrphans();
    expect(killed).toEqual([`${orphan.pid} (${path.basename(orphanDir)})`]);
    expect((await orphan).signal).toBe('SIGKILL');
    expect(() => process.kill(owned.pid!, 0)).not.toThrow();
    owned.kill('SIGKILL');
    await owned;
  });
});
