// SPDX-License-Identifier: GPL-2.0-only
// The root fd confines the last component too: with the run's root held,
// a file bind-mounted over a tracefs file gets no chmod/chown, `access`
// does not cross a mount on a tracefs dir, and `openat(dirfd, "/abs", O_CREAT)`
// outside the root is EXDEV like open(). All in a private mount namespace on
// a private tracefs mount, so the host's tracefs is never covered.
// TFSR_CONFINE_DIST=<dir> points the child at another build's dist/ (how the
// test was shown to fail on the code before).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { ROOT, liveSkipReason } from './live-env.js';

const DIST = process.env.TFSR_CONFINE_DIST ?? path.join(ROOT, 'dist');

// Runs in the child, inside `unshare -m --propagation private`.
const CHILD = `
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
const [dir, dist] = process.argv.slice(1);
const { native, C, isErr } = await import(dist + '/native/index.js');
const show = (r) => (isErr(r) ? r.code : r);
if (process.env.TFSR_NO_OPENAT2 === '1') native.rootWithoutOpenat2(true);
const root = dir + '/t';
fs.mkdirSync(root);
execFileSync('mount', ['-t', 'tracefs', 'nodev', root]);
const victim = dir + '/victim';
fs.writeFileSync(victim, 'secret\\n', { mode: 0o600 });
const outdir = dir + '/outdir';
fs.mkdirSync(outdir);
fs.writeFileSync(outdir + '/only-outside', '');
const rootFd = native.setRoot(root);
execFileSync('mount', ['--bind', victim, root + '/README']);
execFileSync('mount', ['--bind', outdir, root + '/options']);
const out = {};
out.chmod = show(native.chmod(root + '/README', 0o666));
out.chown = show(native.chown(root + '/README', 65534, 65534));
const st = fs.statSync(victim);
out.victim = { mode: (st.mode & 0o7777).toString(8), uid: st.uid };
out.access = show(native.access(root + '/options/only-outside', C.F_OK));
// A dirfd inside the root, an absolute path outside it: the dirfd is ignored by the kernel.
const dfd = native.open(root + '/events', C.O_RDONLY | C.O_DIRECTORY);
out.openatAbs = show(native.openat(dfd, outdir + '/planted', C.O_WRONLY | C.O_CREAT, 0o644));
out.planted = fs.existsSync(outdir + '/planted');
// Still allowed: chmod/chown/access of a tracefs file with nothing over it, a relative openat.
const ev = root + '/events/enable';
const mode = native.stat(ev).mode & 0o7777;
out.chmodTracefs = show(native.chmod(ev, mode));
out.chownTracefs = show(native.chown(ev, -1, -1));
out.accessTracefs = show(native.access(ev, C.F_OK));
out.openatRel = typeof native.openat(dfd, 'enable', C.O_RDONLY);
native.clearRoot();
execFileSync('umount', [root + '/README']);
execFileSync('umount', [root + '/options']);
native.close(dfd);
execFileSync('umount', ['-l', root]);
process.stdout.write(JSON.stringify(out) + '\\n');
`;

describe.skipIf(!!liveSkipReason)('confinement of the last component', () => {
  it.each([
    ['openat2', '0'],
    ['the fallback of kernels without openat2', '1'],
  ])(
    'chmod, chown, access and an absolute openat do not leave the root (%s)',
    async (_how, noOpenat2) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-confine-'));
      try {
        const r = await execa(
          'unshare',
          ['-m', '--propagation', 'private', process.execPath, '--input-type=module', '-e', CHILD, dir, DIST],
          { reject: false, env: { TFSR_NO_OPENAT2: noOpenat2 } },
        );
        expect(r.exitCode, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
        expect(out).toEqual({
          chmod: 'EXDEV',
          chown: 'EXDEV',
          victim: { mode: '600', uid: 0 },
          access: 'EXDEV',
          openatAbs: 'EXDEV',
          planted: false,
          chmodTracefs: 0,
          chownTracefs: 0,
          accessTracefs: 0,
          openatRel: 'number',
        });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
