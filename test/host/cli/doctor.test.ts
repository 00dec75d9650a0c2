// SPDX-License-Identifier: GPL-2.0-only
// doctor: each command's checks against a planted machine (Host), the
// host/guest split of the kernel options, and the CLI's exit code with a PATH
// that lacks QEMU.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { doctorExitCode, fragmentDifferences, renderChecks } from '../../../src/cli/commands/doctor.js';
import { configChecks, HOST_OPTIONS, kernelChecks, vmChecks, type Host } from '../../../src/cli/doctor/checks.js';
import { findInPath } from '../../../src/host/programs.js';

const FRAGMENT = fs.readFileSync(path.resolve(__dirname, '../../../kernel/tracefs-regress.config'), 'utf8');

/** A machine with everything vm and kernel build need, QEMU 10; `over` plants what is wrong. */
function host(over: Partial<Host> = {}, missing: string[] = []): Host {
  return {
    which: (cmd) => (missing.includes(cmd) ? undefined : `/usr/bin/${cmd}`),
    exists: (f) => !missing.includes(f),
    staticElf: () => true,
    qemuVersionText: () => 'QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2)\n',
    kvmUsable: () => false,
    writableDir: () => true,
    env: {},
    ...over,
  };
}

const statusOf = (checks: { what: string; status: string }[], what: string) =>
  checks.find((c) => c.what === what)?.status;

describe('doctor: running config against the fragment', () => {
  it('names each option not as the fragment asks, and accepts unset-wanted ones', () => {
    const running = new Map([
      ['CONFIG_KPROBE_EVENTS', 'y'],
      ['CONFIG_9P_FS', 'm'],
      ['CONFIG_MODULES', 'n'],
    ]);
    const frag = 'CONFIG_KPROBE_EVENTS=y\nCONFIG_9P_FS=y\nCONFIG_FPROBE_EVENTS=y\n# CONFIG_MODULES is not set\n';
    expect(fragmentDifferences(running, frag)).toEqual(['9P_FS=m (wanted y)', 'FPROBE_EVENTS=undef (wanted y)']);
  });

  it('does not flag guest-only options (9p, virtio, modules) on a host; checks them inside a guest', () => {
    // A typical distro host: everything tracing built in, 9p as modules, modules on.
    const running = new Map<string, string>();
    for (const o of HOST_OPTIONS) running.set(`CONFIG_${o}`, 'y');
    running.set('CONFIG_9P_FS', 'm');
    running.set('CONFIG_MODULES', 'y');
    const onHost = configChecks(running, '/boot/config-x', FRAGMENT, false);
    expect(statusOf(onHost, 'tracing options')).toBe('ok');
    expect(onHost.map((c) => c.detail).join('\n')).not.toMatch(/NET_9P|9P_FS|MODULES/);
    expect(statusOf(onHost, 'guest options')).toBe('info');
    const inGuest = configChecks(running, '/proc/config.gz', FRAGMENT, true);
    expect(inGuest.find((c) => c.what === 'guest options')!.detail).toMatch(
      /NET_9P=undef \(wanted y\).*9P_FS=m \(wanted y\)/,
    );
    expect(inGuest.find((c) => c.what === 'guest options')!.status).toBe('warn');
  });

  it('flags a missing tracing option on the host as a warning (tracefs decides what runs)', () => {
    const running = new Map([...HOST_OPTIONS].map((o) => [`CONFIG_${o}`, 'y'] as [string, string]));
    running.delete('CONFIG_KPROBE_EVENTS');
    const c = configChecks(running, 'x', FRAGMENT, false).find((x) => x.what === 'tracing options')!;
    expect(c).toMatchObject({ status: 'warn' });
    expect(c.detail).toContain('KPROBE_EVENTS=undef (wanted y)');
  });
});

describe('doctor vm and kernel checks (planted machines)', () => {
  it('a complete machine: nothing missing, QEMU 10 multi-threaded, KVM a warning', () => {
    const checks = [...vmChecks(host()), ...kernelChecks(host())];
    expect(checks.filter((c) => c.status === 'missing')).toEqual([]);
    expect(doctorExitCode(checks)).toBe(0);
    expect(checks.find((c) => c.what === 'TCG threading')!.detail).toMatch(/multi-threaded TCG/);
    expect(statusOf(checks, '/dev/kvm')).toBe('warn');
    expect(statusOf(vmChecks(host({ kvmUsable: () => true })), '/dev/kvm')).toBe('ok');
  });

  it('each missing prerequisite is MISSING and exit 1', () => {
    for (const [h, what] of [
      [host({}, ['qemu-system-x86_64']), 'qemu-system-x86_64'],
      [host({ qemuVersionText: () => undefined }), 'qemu-system-x86_64'],
      [host({}, ['/bin/busybox']), 'busybox-static'],
      [host({ staticElf: () => false }), 'busybox-static'],
      [host({}, ['modprobe']), 'modprobe'],
      [host({}, ['depmod']), 'depmod'],
      [host({}, ['dpkg-deb']), 'dpkg-deb'],
      [host({ writableDir: () => false }), 'cache'],
    ] as const) {
      const checks = vmChecks(h);
      expect({ what, status: statusOf(checks, what) }).toEqual({ what, status: 'missing' });
      expect(doctorExitCode(checks)).toBe(1);
    }
    for (const what of ['make', 'gcc', 'flex', 'bison', 'bc', 'ccache', '/usr/include/libelf.h']) {
      const checks = kernelChecks(host({}, [what]));
      expect(doctorExitCode(checks), what).toBe(1);
      expect(renderChecks(checks, false)).toMatch(/MISSING/);
    }
  });

  it('an old QEMU says vm brings QEMU from bookworm-backports; TRACEFS_REGRESS_QEMU is used as given', () => {
    const old = host({ qemuVersionText: () => 'QEMU emulator version 7.2.22 (Debian)' });
    expect(vmChecks(old).find((c) => c.what === 'TCG threading')!.detail).toMatch(
      /7\.2\.22 < 8\.1: .*bookworm-backports/,
    );
    const explicit = vmChecks(host({ env: { TRACEFS_REGRESS_QEMU: '/opt/q' } }, ['qemu-system-x86_64']));
    expect(explicit.find((c) => c.what === 'qemu-system-x86_64')).toMatchObject({ status: 'ok' });
    expect(explicit.find((c) => c.what === 'qemu-system-x86_64')!.detail).toContain('/opt/q (TRACEFS_REGRESS_QEMU)');
  });

  it('renders a padded table, colour on the status only when asked', () => {
    const checks = vmChecks(host({}, ['qemu-system-x86_64']));
    const plain = renderChecks(checks, false);
    expect(plain).not.toContain('\x1b[');
    expect(plain.split('\n')[0]).toMatch(
      /^vm {2}MISSING {2}qemu-system-x86_64 {2}not in PATH; install with: apt-get install qemu-system-x86$/,
    );
    expect(renderChecks(checks, true)).toContain('\x1b[31mMISSING\x1b[0m');
  });
});

describe('doctor CLI', () => {
  const CLI = path.resolve(__dirname, '../../../bin/tracefs-regress.js');
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-doctor-path-'));
  afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));
  const doctor = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [CLI, 'doctor', ...args], {
      encoding: 'utf8',
      env: { HOME: process.env.HOME, ...env },
      timeout: 60_000,
    });

  it('exits 1 naming QEMU when PATH has no qemu-system-x86_64 (a tmp dir)', () => {
    const r = doctor(['vm'], { PATH: bin });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^vm +MISSING +qemu-system-x86_64 +not in PATH/m);
    expect(r.stdout).toMatch(/^missing for vm: qemu-system-x86_64/m);
    expect(r.stdout).not.toMatch(/^(run|kernel) /m);
  });

  // The same PATH with the host's own tools linked in: exit 0, so the 1 above is QEMU's doing.
  const tools = ['qemu-system-x86_64', 'xz', 'apt-get', 'dpkg-deb'];
  const have = tools.every((t) => findInPath(t)) && fs.existsSync('/bin/busybox');
  it.skipIf(!have)('exits 0 when the same PATH holds qemu and the rest', () => {
    for (const t of tools) fs.symlinkSync(findInPath(t)!, path.join(bin, t));
    const r = doctor(['vm'], { PATH: bin });
    expect(r.stdout).not.toMatch(/MISSING/);
    expect(r.status, r.stdout).toBe(0);
    // colour: one decision, in every command
    expect(doctor(['vm', '--color', 'always'], { PATH: bin }).stdout).toContain('\x1b[32mok');
    expect(doctor(['vm'], { PATH: bin, FORCE_COLOR: '1' }).stdout).toContain('\x1b[32mok');
    expect(doctor(['vm', '--color', 'never'], { PATH: bin, FORCE_COLOR: '1' }).stdout).not.toContain('\x1b[');
    expect(doctor(['vm'], { PATH: bin, NO_COLOR: '1' }).stdout).not.toContain('\x1b[');
    expect(doctor(['vm'], { PATH: bin }).stdout).not.toContain('\x1b['); // a pipe
  });

  it('refuses an unknown section with exit 2', () => {
    const r = doctor(['bogus'], { PATH: bin });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are run, vm, kernel/);
  });
});
