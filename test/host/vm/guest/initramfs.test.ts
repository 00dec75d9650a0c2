// SPDX-License-Identifier: GPL-2.0-only
import { execaSync } from 'execa';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeCpio } from '../../../../src/vm/guest/cpio.js';
import { initramfsEntries, initScript, keepVisible, sq, type GuestPlan } from '../../../../src/vm/guest/initramfs.js';

const plan: GuestPlan = {
  modules: ['netfs.ko', '9pnet.ko', '9pnet_virtio.ko', '9p.ko'],
  moduleDir: '/unused',
  sharePath: '/root/.cache/tracefs-regress/run/x/share',
  cwd: '/work/main',
  argv: [
    '/usr/bin/node',
    '/work/main/bin/tracefs-regress.js',
    'run',
    '--format',
    'json',
    '--output',
    '/root/.cache/tracefs-regress/run/x/share/report.json',
    '--scenario',
    "it's*",
  ],
  env: { TRACEFS_REGRESS_ACCEL: 'tcg thread=single', PATH: '/usr/bin:/bin' },
};
const applets = ['busybox', 'sh', 'mount', 'insmod', 'chroot', 'dd', 'poweroff'];
const entries = () => initramfsEntries(plan, Buffer.from('BUSYBOX'), applets, (m) => Buffer.from(`module ${m}`));

function cpioList(buf: Buffer): string[] {
  const r = execaSync('cpio', ['-it', '--quiet'], { input: buf });
  return r.stdout.split('\n').filter(Boolean);
}

const hasCpio = (() => {
  try {
    execaSync('cpio', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

describe('initramfs', () => {
  it('holds busybox, its applets, the modules in order, /dev/console and /init', () => {
    const paths = entries().map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'bin/busybox',
        'bin/sh',
        'bin/insmod',
        'dev/console',
        'init',
        'host',
        'lib/modules/9p.ko',
      ]),
    );
    const mods = paths.filter((p) => p.startsWith('lib/modules/') && p.endsWith('.ko'));
    expect(mods).toEqual(plan.modules.map((m) => `lib/modules/${m}`));
  });

  it('never links busybox to itself (the kernel would fail with ELOOP, -40)', () => {
    const self = entries().find((e) => e.path === 'bin/busybox');
    expect(self?.type).toBe('file');
    expect(entries().filter((e) => e.path === 'bin/busybox')).toHaveLength(1);
  });

  it.skipIf(!hasCpio)('is a newc archive cpio(1) lists exactly', () => {
    const listed = cpioList(writeCpio(entries()));
    expect(listed).toEqual(entries().map((e) => e.path));
  });

  it.skipIf(!hasCpio)('round-trips file contents, modes and symlinks through cpio(1)', () => {
    const dir = fs.mkdtempSync('/var/tmp/tfsr-cpio-');
    execaSync('cpio', ['-idm', '--quiet', '--no-absolute-filenames'], {
      input: writeCpio(entries().filter((e) => e.type !== 'chardev')),
      cwd: dir,
    });
    expect(fs.readFileSync(`${dir}/lib/modules/9pnet.ko`, 'utf8')).toBe('module 9pnet.ko');
    expect(fs.readlinkSync(`${dir}/bin/sh`)).toBe('busybox');
    expect(fs.statSync(`${dir}/init`).mode & 0o777).toBe(0o755);
    fs.rmSync(dir, { recursive: true });
  });

  it('init mounts the host root read-only, the results share, and fresh kernel filesystems', () => {
    const s = initScript(plan);
    expect(s.startsWith('#!/bin/sh\n')).toBe(true);
    expect(s).toMatch(/mount -t 9p -o ro,trans=virtio,version=9p2000\.L,msize=512000,cache=loose hostroot \/host/);
    expect(s).toContain(`results '/host${plan.sharePath}'`);
    for (const fs of [
      'proc /host/proc',
      'sysfs /host/sys',
      'devtmpfs /host/dev',
      'ln -s /proc/self/fd /host/dev/fd',
      'ln -s fd/1 /host/dev/stdout',
      'tmpfs /host/dev/shm',
      'tmpfs /host/tmp',
      'nodev /host/sys/kernel/tracing',
    ]) {
      expect(s).toContain(fs);
    }
    // insmod in the given order
    expect(s).toContain(`for m in 'netfs.ko' '9pnet.ko' '9pnet_virtio.ko' '9p.ko'; do`);
  });

  it('init runs the command in the chroot with a clean environment naming the accelerator', () => {
    const s = initScript(plan);
    expect(s).toContain(
      `chroot /host /bin/sh -c 'cd "$1" && shift && exec "$@"' sh '/work/main' /usr/bin/env -i TRACEFS_REGRESS_ACCEL='tcg thread=single'`,
    );
    expect(s).toContain(`'--scenario' 'it'\\''s*'`);
    expect(s).toContain('seek=244'); // isa-debug-exit at 0xf4
  });

  it('powers the guest off by itself when the host side is gone past the timeout', () => {
    expect(initScript({ ...plan, watchdogS: 1230 })).toContain('(sleep 1230; echo "TFSR-GUEST-ERROR guest watchdog');
    expect(initScript(plan)).not.toContain('watchdog');
  });

  it('a project under /tmp (a CI clone) stays visible under the fresh tmpfs', () => {
    const lines = keepVisible('/tmp/ci/clone').trim().split('\n');
    expect(lines).toEqual([
      'mkdir -p /saved/tmp && mount -o rbind /host/tmp /saved/tmp || fail "bind /tmp"',
      'mount -t tmpfs tmpfs /host/tmp || fail "mount tmpfs on /tmp"',
      "mkdir -p '/host/tmp/ci/clone' && mount -o bind '/saved/tmp/ci/clone' '/host/tmp/ci/clone' || fail 'bind /tmp/ci/clone back over the tmpfs'",
      'mount -t tmpfs tmpfs /host/run || fail "mount tmpfs on /run"',
    ]);
    expect(keepVisible('/work/main')).not.toContain('bind');
    expect(keepVisible('/tmpfoo/x')).not.toContain('bind');
  });

  it('a self-contained init mounts no 9p, starts the relay before the command and stops it after', () => {
    const s = initScript({
      ...plan,
      modules: [],
      relay: { node: '/usr/bin/node', script: '/work/main/dist/vm/guest/relay.js' },
      shareDirs: ['repro'],
    });
    expect(s).not.toMatch(/9p|chroot|insmod|\/host/);
    expect(s).toMatch(
      /mkdir -p '\/root\/.cache\/tracefs-regress\/run\/x\/share' '\/root\/.cache\/tracefs-regress\/run\/x\/share\/repro'/,
    );
    expect(s).toMatch(/\[ -c \/dev\/hvc0 \] \|\| fail .*CONFIG_VIRTIO_CONSOLE/);
    const relay = s.indexOf(
      "'/usr/bin/node' '/work/main/dist/vm/guest/relay.js' '/root/.cache/tracefs-regress/run/x/share' /dev/hvc0",
    );
    const run = s.indexOf("/bin/env -i TRACEFS_REGRESS_ACCEL='tcg thread=single'");
    const stop = s.indexOf('kill -TERM $relay && wait $relay');
    expect(relay).toBeGreaterThan(0);
    expect(run).toBeGreaterThan(relay);
    expect(stop).toBeGreaterThan(run);
    // The exit code goes into the share before the relay's last pass.
    expect(s.indexOf("> '/root/.cache/tracefs-regress/run/x/share/exit-code'")).toBeGreaterThan(run);
    expect(s.indexOf("> '/root/.cache/tracefs-regress/run/x/share/exit-code'")).toBeLessThan(stop);
    expect(execaSync('sh', ['-n'], { input: s }).exitCode).toBe(0);
  });

  it('single-quotes for sh', () => {
    expect(sq(`a'b`)).toBe(`'a'\\''b'`);
    expect(sq('$(rm -rf /)')).toBe(`'$(rm -rf /)'`);
  });
});
