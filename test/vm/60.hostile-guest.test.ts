// SPDX-License-Identifier: GPL-2.0-only
// A hostile guest against the VM runner's writable results share and the
// host's read-back of it (issue 11). `vm --exec` runs
// fixtures/hostile-guest.sh as root in a debian:6.12 guest: it plants a
// setuid-root executable, a character and a block device node, and in place
// of exit-code (the file the host reads the status from) a symlink to a host
// file holding "0", or a FIFO; then it powers the guest off before /init can
// replace exit-code. On the host: nothing in the share is setuid, a device, a
// FIFO or a symlink (security_model=mapped-xattr keeps those in xattrs), vm
// neither followed the link (it would exit 0) nor blocked on the FIFO (it
// would hang to --timeout), and it ends with exit 1 naming what it refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, execVm, REQUIRED, ROOT, unavailable, type VmExec } from './helpers.js';

const SCRIPT = path.join(ROOT, 'test/vm/fixtures/hostile-guest.sh');
const TIMEOUT_S = 240;

/** Every entry under dir that a guest must not be able to leave on the host. */
function dangerous(dir: string): string[] {
  const bad: string[] = [];
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const st = fs.lstatSync(path.join(dir, name));
    const what = [
      st.mode & 0o4000 ? 'setuid' : '',
      st.mode & 0o2000 ? 'setgid' : '',
      st.isCharacterDevice() ? 'character device' : '',
      st.isBlockDevice() ? 'block device' : '',
      st.isFIFO() ? 'FIFO' : '',
      st.isSocket() ? 'socket' : '',
      st.isSymbolicLink() ? `symlink to ${fs.readlinkSync(path.join(dir, name))}` : '',
    ].filter(Boolean);
    if (what.length) bad.push(`${name}: ${what.join(', ')} (mode ${st.mode.toString(8)}, uid ${st.uid})`);
  }
  return bad;
}

/** The run directory vm kept (a guest that never reported back is kept for inspection). */
function keptRunDir(stderr: string): string | undefined {
  return /run directory kept for inspection: (\S+)/.exec(stderr)?.[1];
}

const why = unavailable();
if (why && !REQUIRED) console.warn(`SKIP vm: a hostile guest: ${why}`);

describe.skipIf(why !== undefined && !REQUIRED)('vm: a hostile guest and the results share', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-hostile-'));
  // What the host would read if it followed the guest's symlink: a success.
  const bait = path.join(tmp, 'zero');
  fs.writeFileSync(bait, '0\n');
  const runs: Record<'symlink' | 'fifo', VmExec | undefined> = { symlink: undefined, fifo: undefined };
  const dirs: string[] = [];

  beforeAll(
    async () => {
      if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
      await buildDist();
      const vmArgs = ['--kernel', 'debian:6.12', '--timeout', String(TIMEOUT_S)];
      runs.symlink = await execVm(vmArgs, SCRIPT, [bait], (TIMEOUT_S + 60) * 1000);
      runs.fifo = await execVm(vmArgs, SCRIPT, ['fifo'], (TIMEOUT_S + 60) * 1000);
      for (const r of Object.values(runs)) {
        const d = r && keptRunDir(r.stderr);
        if (d) dirs.push(d);
      }
    },
    2 * (TIMEOUT_S + 90) * 1000,
  );

  afterAll(() => {
    for (const d of [...dirs, tmp]) fs.rmSync(d, { recursive: true, force: true });
  });

  for (const variant of ['symlink', 'fifo'] as const) {
    const run = () => {
      const r = runs[variant];
      if (!r) throw new Error('the VM run did not finish (see beforeAll)');
      return r;
    };

    it(`${variant}: the guest planted everything (its kernel let root do it)`, () => {
      const planted = run().stdout.trim().split('\n');
      const last = variant === 'fifo' ? ['exit-code-fifo'] : ['exit-code-symlink', 'report-symlink'];
      expect(planted).toEqual(['suid', 'chardev', 'blockdev', ...last].map((n) => `planted ${n}: 0`));
    });

    it(`${variant}: the host neither follows nor blocks: exit 1 well before --timeout, naming the refused exit-code`, () => {
      expect(run().exitCode).toBe(1);
      expect(run().wallMs).toBeLessThan((TIMEOUT_S / 2) * 1000);
      expect(run().stderr).toMatch(
        /NO_RESULT \(the guest ended without reporting back .*refused exit-code in the results share: /,
      );
      expect(run().stderr).not.toMatch(/TIMEOUT/);
    });

    it(`${variant}: nothing in the results share on the host is setuid, a device node, a FIFO or a symlink`, () => {
      const d = keptRunDir(run().stderr);
      expect(d, 'vm named no kept run directory').toBeDefined();
      const share = path.join(d!, 'share');
      expect(fs.readdirSync(share)).toEqual(expect.arrayContaining(['suid-root', 'null', 'loop', 'exit-code']));
      expect(dangerous(share)).toEqual([]);
    });
  }
});
