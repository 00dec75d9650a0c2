// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import {
  bootFacts,
  guestPlan,
  qemuConfig,
  runFiles,
  type BootOptions,
  type Evidence,
} from '../../../../src/vm/boot/boot.js';
import { classifyBoot, endedAfterFailure } from '../../../../src/vm/boot/outcome.js';
import { retentionOf } from '../../../../src/vm/boot/rundir.js';
import { qemuArgs, type QemuResult } from '../../../../src/vm/qemu/qemu.js';

const OPTS: BootOptions = {
  kernel: {
    spec: 'debian:6.12',
    release: '6.12.0-1-amd64',
    vmlinuz: '/k/vmlinuz',
    modules: ['9p.ko'],
    moduleDir: '/k/modules',
  },
  accel: { kind: 'tcg', thread: 'multi' },
  memoryMiB: 2048,
  cpus: 3,
  timeoutMs: 1_200_000,
  cwd: '/pkg',
  guestArgv: (share) => ['node', 'run', '--output', `${share}/report.json`],
  oopsGraceMs: 20_000,
};
const TOKEN = '0123456789abcdef0123456789abcdef';
const QEMU: QemuResult = { exitCode: 1, timedOut: false, durationMs: 60_000, stderr: '' };
const SEEN: Evidence = { console: '', marks: {}, consoleFailures: [], guestCode: 0 };

describe('one boot, in parts', () => {
  it('keeps every file of a run inside its run directory', () => {
    const f = runFiles('/c/run/x');
    expect(f).toEqual({
      dir: '/c/run/x',
      share: '/c/run/x/share',
      serialLog: '/c/run/x/serial.log',
      initrd: '/c/run/x/initramfs.cpio',
      journal: '/c/run/x/share/journal.jsonl',
      pidFile: '/c/run/x/qemu.pid',
      relayLog: '/c/run/x/relay.log',
    });
    expect(qemuConfig(OPTS, f, TOKEN)).toMatchObject({
      kernel: '/k/vmlinuz',
      initrd: f.initrd,
      resultsDir: f.share,
      hostRoot: '/',
      pidFile: f.pidFile,
    });
    // The same token the guest's environment gets: the proof a test hook asks for (vm/guest/token.ts).
    expect(qemuConfig(OPTS, f, TOKEN).cmdline.split(' ')).toContain(`tfsr.guest=${TOKEN}`);
  });

  it('a self-contained boot shares nothing over 9p: the relay brings the results back over a virtio console', () => {
    const f = runFiles('/c/run/x');
    const sc = { ...OPTS, selfContained: true };
    const c = qemuConfig(sc, f, TOKEN);
    expect(c).toMatchObject({ relayLog: f.relayLog });
    expect(c.hostRoot).toBeUndefined();
    expect(c.resultsDir).toBeUndefined();
    const args = qemuArgs(c).join(' ');
    expect(args).not.toMatch(/-virtfs/);
    expect(args).toMatch(
      /-device virtio-serial-pci,id=tfsrser -chardev file,id=tfsrrelay,path=\/c\/run\/x\/relay\.log -device virtconsole,chardev=tfsrrelay,bus=tfsrser\.0/,
    );
    const g = guestPlan({ ...sc, shareDirs: ['repro'] }, f.share, 'tcg thread=multi', TOKEN);
    expect(g.relay?.script).toMatch(/\/dist\/vm\/guest\/relay\.js$/);
    expect(g.shareDirs).toEqual(['repro']);
    expect(guestPlan(OPTS, f.share, 'tcg', TOKEN).relay).toBeUndefined();
    expect(qemuArgs(qemuConfig(OPTS, f, TOKEN)).join(' ')).not.toMatch(/virtconsole/);
  });

  it("gives the guest a fixed environment naming the accelerator, and a watchdog 30 s past the host's timeout", () => {
    const g = guestPlan(OPTS, '/c/run/x/share', 'tcg thread=multi', TOKEN);
    expect(g.argv).toEqual(['node', 'run', '--output', '/c/run/x/share/report.json']);
    expect(g.env).toMatchObject({
      TRACEFS_REGRESS_ACCEL: 'tcg thread=multi',
      TRACEFS_REGRESS_GUEST: '1',
      TRACEFS_REGRESS_GUEST_TOKEN: TOKEN,
      NO_COLOR: '1',
    });
    expect(g.watchdogS).toBe(1230);
    expect(g.modules).toEqual(['9p.ko']);
    expect(g.keepPaths).toBeUndefined();
  });

  it('vm --exec is a mode of its own: no result matching, no journal, no share dirs (the type says so)', () => {
    const stdio = { stdout: () => {}, stderr: () => {} };
    // @ts-expect-error: nothing on the console is a result of a program run by vm --exec
    const matching: BootOptions = { ...OPTS, mode: 'exec', stdio, resultLine: /x/ };
    // @ts-expect-error: nor does it stream a run journal
    const journal: BootOptions = { ...OPTS, mode: 'exec', stdio, onJournal: () => {} };
    expect([matching.mode, journal.mode]).toEqual(['exec', 'exec']);
    const g = guestPlan({ ...OPTS, mode: 'exec', stdio }, '/c/share', 'kvm', TOKEN);
    expect(g.stdio).toBe(true);
    expect(guestPlan(OPTS, '/c/share', 'kvm', TOKEN).stdio).toBeUndefined();
  });

  it('binds the results share back over the tmpfs when the cache is under /tmp (HOME=/tmp/x, a throwaway user)', () => {
    expect(guestPlan(OPTS, '/tmp/h/.cache/tracefs-regress/run/x/share', 'kvm', TOKEN).keepPaths).toEqual([
      '/tmp/h/.cache/tracefs-regress/run/x/share',
    ]);
    const exec: BootOptions = {
      ...OPTS,
      mode: 'exec',
      stdio: { stdout: () => {}, stderr: () => {} },
      keepPaths: ['/run/p'],
    };
    expect(guestPlan(exec, '/run/c/share', 'kvm', TOKEN).keepPaths).toEqual(['/run/p', '/run/c/share']);
    expect(guestPlan(OPTS, '/var/tmp/h/share', 'kvm', TOKEN).keepPaths).toBeUndefined();
  });

  it('says the host ended the guest only when a failure was seen, the grace ran out and a grace was given', () => {
    expect(endedAfterFailure({ failureMs: 10, expiredMs: 30 }, 20, 31)).toEqual({
      graceMs: 20,
      failureMs: 10,
      endedMs: 31,
    });
    expect(endedAfterFailure({ failureMs: 10 }, 20, 31)).toBeUndefined();
    expect(endedAfterFailure({ expiredMs: 30 }, 20, 31)).toBeUndefined();
    expect(endedAfterFailure({ failureMs: 10, expiredMs: 30 }, undefined, 31)).toBeUndefined();
  });

  it('turns what the host saw into the facts the classifier judges', () => {
    expect(classifyBoot(bootFacts(OPTS, 'kvm', QEMU, {}, SEEN))).toEqual({ status: 'DONE' });
    const oops = {
      ...SEEN,
      consoleFailures: ['BUG: kernel NULL pointer dereference'],
      guestCode: undefined,
      running: 'x[kprobe]',
    };
    const f = bootFacts(OPTS, 'kvm', { ...QEMU, durationMs: 51_400 }, { failureMs: 31_400, expiredMs: 51_300 }, oops);
    expect(f.endedAfterFailure).toEqual({ graceMs: 20_000, failureMs: 31_400, endedMs: 51_400 });
    expect(classifyBoot(f).status).toBe('KERNEL_FAILURE');
    const oom = bootFacts(
      OPTS,
      'kvm',
      QEMU,
      {},
      { ...SEEN, guestCode: undefined, console: 'Out of memory: Killed process 1 (node)' },
    );
    expect(oom.outOfMemory).toBe(true);
  });

  it('removes a clean run directory, keeps a failed one, and leaves one the caller keeps alone', () => {
    expect(retentionOf({ clean: true, callerKeeps: false })).toBe('remove');
    expect(retentionOf({ clean: false, callerKeeps: false })).toBe('inspect');
    expect(retentionOf({ clean: false, callerKeeps: true })).toBe('caller');
    expect(retentionOf({ clean: true, callerKeeps: true })).toBe('caller');
  });
});
