// SPDX-License-Identifier: GPL-2.0-only
// Every tracefs access goes through the root fd registered at openTracefs:
// once the run holds it, a plain directory bind-mounted over the tracefs
// path (with a regular file uprobe_events in it) redirects nothing. The
// probe is created and removed in the real tracefs, the fake file stays
// empty, and a write outside the root is refused. In a private mount
// namespace, so the host's mount is never covered.
// TFSR_ROOTFD_DIST=<dir> points the child at another build's dist/ (the
// check that this test fails on the code before the root fd).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { ROOT, liveSkipReason, tracefsRoot } from './live-env.js';

const DIST = process.env.TFSR_ROOTFD_DIST ?? path.join(ROOT, 'dist');

// Runs in the child, inside `unshare -m --propagation private`.
const CHILD = `
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
const [root, fake, dist] = process.argv.slice(1);
const { openTracefs } = await import(dist + '/tracefs/open.js');
const { Ownership } = await import(dist + '/probes/ownership.js');
const { native, C, isErr, readText } = await import(dist + '/native/index.js');
const { onTeardown, runTeardown } = await import(dist + '/runner/teardown.js');
const show = (r) => (isErr(r) ? r.code : r);
if (process.env.TFSR_NO_OPENAT2 === '1') native.rootWithoutOpenat2(true);
const t = openTracefs({ path: root, onTeardown });
execFileSync('mount', ['--bind', fake, root]);
const out = { swapped: fs.statfsSync(root).type !== 0x74726163 && fs.existsSync(root + '/uprobe_events') };
const own = new Ownership(t.root, onTeardown);
const p = own.newProbe('uprobe');
out.line = p.create.line;
out.add = show(p.add());
out.listedAfterAdd = show(readText(native, root + '/uprobe_events'));
out.eventDir = show(native.stat(p.eventDir + '/enable')) !== 'ENOENT';
out.del = show(p.delete());
out.listedAfterDel = show(readText(native, root + '/uprobe_events'));
// The race engine resolves through the root it started with: a short
// create/remove loop with readers (no listing: getdents must not race
// removal on this host).
const q = own.newProbe('uprobe');
const ctl = (line) => ({ kind: 'write', path: q.create.file, line, keepOpen: true });
const race = await native.raceStart({
  threads: 1, durationMs: 5000, maxCycles: 20, progressMs: 0,
  create: [ctl(q.create.line)], remove: [ctl(q.remove.line)],
  files: [q.eventDir + '/enable', q.eventDir + '/id'],
}).done;
out.race = { cycles: race.cycles, error: race.error ?? null, violations: race.violationCount };
const fakeDev = fs.statSync(fake + '/uprobe_events').dev;
out.statReachesFake = native.stat(root + '/uprobe_events').dev === fakeDev;
out.fstatatReachesFake = native.fstatat(C.AT_FDCWD, root + '/uprobe_events', 0).dev === fakeDev;
const at = native.openat(C.AT_FDCWD, root + '/uprobe_events', C.O_WRONLY | C.O_APPEND);
out.openatReachesFake = !isErr(at) && native.write(at, '') === 0 && fs.statSync('/proc/self/fd/' + at).dev === fakeDev;
// What open(2) drops silently must not become EINVAL through openat2.
out.lenient = [C.O_PATH | C.O_NONBLOCK, C.O_PATH | C.O_RDWR].map((f) => typeof native.open(root + '/events', f));
out.writeOutside = show(native.open(fake + '/planted', C.O_WRONLY | C.O_CREAT, 0o644));
out.dotdot = show(native.open(root + '/events/../uprobe_events', C.O_WRONLY | C.O_APPEND));
out.left = own.close();
runTeardown();
out.rootAfterTeardown = native.rootPath?.() ?? null;
out.fake = fs.readFileSync(fake + '/uprobe_events', 'utf8');
out.planted = fs.existsSync(fake + '/planted');
process.stdout.write(JSON.stringify(out) + '\\n');
`;

describe.skipIf(!!liveSkipReason)('the tracefs root fd', () => {
  it.each([
    ['openat2', '0'],
    ['the fallback of kernels without openat2', '1'],
  ])(
    'a plain directory mounted over the tracefs path after registration gets no write (%s)',
    async (_how, noOpenat2) => {
      const root = tracefsRoot();
      const fake = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-rootfd-fake-'));
      try {
        for (const f of ['README', 'uprobe_events', 'kprobe_events', 'dynamic_events'])
          fs.writeFileSync(path.join(fake, f), '');
        fs.mkdirSync(path.join(fake, 'events'));
        const r = await execa(
          'unshare',
          ['-m', '--propagation', 'private', process.execPath, '--input-type=module', '-e', CHILD, root, fake, DIST],
          { reject: false, env: { TFSR_NO_OPENAT2: noOpenat2 } },
        );
        expect(r.exitCode, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
        // The swap took: by path, the root now shows the fake directory.
        expect(out.swapped).toBe(true);
        const event = (out.line as string).split(' ')[0]!.slice(2); // p:GROUP/EVENT ...
        expect(out).toMatchObject({ add: expect.any(Number), del: expect.any(Number), eventDir: true, left: [] });
        // The real uprobe_events, read through the fd, had the probe and then did not.
        expect(out.listedAfterAdd).toContain(event);
        expect(out.listedAfterDel).not.toContain(event);
        // Nothing reached the fake: not the definition, not the removal, not a stray file.
        expect(out.fake).toBe('');
        expect(out.planted).toBe(false);
        expect(out.writeOutside).toBe('EXDEV');
        expect(out.lenient).toEqual(['number', 'number']);
        // stat, and openat/fstatat with AT_FDCWD, reach the real tracefs too.
        expect(out).toMatchObject({ statReachesFake: false, fstatatReachesFake: false, openatReachesFake: false });
        expect(out.dotdot).toBe('EXDEV');
        expect(out.rootAfterTeardown).toBeNull();
        expect(out.race).toEqual({ cycles: 20, error: null, violations: 0 });
      } finally {
        fs.rmSync(fake, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
