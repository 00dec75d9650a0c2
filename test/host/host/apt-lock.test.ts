// SPDX-License-Identifier: GPL-2.0-only
// Two `vm` runs that both find the private apt state empty update it at once.
// Real apt (measured here, 2026-12-02, two PrivateApt.update({force}) at once
// on one fresh dir) fails the second with "E: Could not get lock
// <dir>/lists/lock. It is held by process N (apt-get)". A fake apt-get that
// takes the same lock the same way stands in for it, so this runs offline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrivateApt } from '../../../src/host/apt.js';
import { acquireLock } from '../../../src/host/lock.js';

let root: string;
let etc: string;
let calls: string;
const oldPath = process.env.PATH;

// Like apt-get: `update` takes <Dir::State::Lists>/lock without waiting, or fails as apt does.
const FAKE_APT_GET = `#!/bin/sh
lists=
for a in "$@"; do case "$a" in Dir::State::Lists=*) lists="\${a#Dir::State::Lists=}";; esac; done
for a in "$@"; do [ "$a" = update ] && cmd=update; done
[ "$cmd" = update ] || exit 0
echo update >> "$FAKE_APT_CALLS"
exec 9>"$lists/lock"
if ! flock -n 9; then
  echo "E: Could not get lock $lists/lock. It is held by process 1 (apt-get)"
  echo "E: Unable to lock directory $lists/"
  exit 100
fi
sleep 1
echo "Reading package lists..."
`;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-aptlock-'));
  const bin = path.join(root, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'apt-get'), FAKE_APT_GET, { mode: 0o755 });
  etc = path.join(root, 'etc');
  fs.mkdirSync(etc);
  fs.writeFileSync(path.join(etc, 'sources.list'), 'deb http://deb.debian.org/debian bookworm main\n');
  calls = path.join(root, 'calls');
  process.env.PATH = `${bin}:${oldPath}`;
  process.env.FAKE_APT_CALLS = calls;
});
afterEach(() => {
  process.env.PATH = oldPath;
  delete process.env.FAKE_APT_CALLS;
  fs.rmSync(root, { recursive: true, force: true });
});

const updates = () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean).length : 0);

describe('the private apt state under two runs at once', () => {
  it('the fake apt-get fails like the real one while another holds the lists lock', async () => {
    const apt = new PrivateApt(path.join(root, 'apt'));
    fs.mkdirSync(path.join(apt.dir, 'lists/partial'), { recursive: true });
    const other = await acquireLock(path.join(apt.dir, 'lists/lock'));
    const r = await execa('apt-get', [...apt.options(), 'update'], { reject: false, all: true });
    other.release();
    expect(r.exitCode).toBe(100);
    expect(r.all).toMatch(/Could not get lock/);
  });

  it('two updates of an empty state both succeed, and the second finds the lists fresh', async () => {
    const dir = path.join(root, 'apt');
    const waited: string[] = [];
    const rs = await Promise.allSettled([
      new PrivateApt(dir).update({ etc, onWait: (f) => waited.push(f) }),
      new PrivateApt(dir).update({ etc, onWait: (f) => waited.push(f) }),
    ]);
    expect(rs.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok']);
    expect(updates()).toBe(1);
    expect(waited).toEqual([path.join(dir, 'update.lock')]);
  });

  it('forced updates at once both run apt-get, one after the other', async () => {
    const dir = path.join(root, 'apt');
    const rs = await Promise.allSettled([
      new PrivateApt(dir).update({ etc, force: true }),
      new PrivateApt(dir).update({ etc, force: true }),
    ]);
    expect(rs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(updates()).toBe(2);
  });
});
