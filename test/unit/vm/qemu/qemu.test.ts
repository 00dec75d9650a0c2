// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { guestCodeFromQemu, parseCpus, parseMemory, qemuArgs } from '../../../../src/vm/qemu/qemu.js';
import {
  accelArgs,
  chooseAccel,
  cpuHasVirt,
  defaultTcg,
  describeAccel,
  parseTcg,
} from '../../../../src/vm/qemu/accel.js';
import { parseQemuVersion } from '../../../../src/vm/qemu/version.js';
import { UsageError } from '../../../../src/errors.js';

const base = {
  kernel: '/k/vmlinuz',
  initrd: '/r/initramfs.cpio',
  cmdline: 'console=ttyS0',
  accel: { kind: 'tcg', thread: 'single' } as const,
  memoryMiB: 2048,
  cpus: 2,
  serialLog: '/r/serial.log',
  resultsDir: '/r/share',
  hostRoot: '/',
};

describe('qemu command line', () => {
  it('shares the host root read-only and the results dir writable', () => {
    const a = qemuArgs(base);
    expect(a).toContain('local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap');
    expect(a).toContain('local,path=/r/share,mount_tag=results,security_model=mapped-xattr,multidevs=remap');
  });

  it('has isa-debug-exit, no reboot, a serial log file and the accelerator', () => {
    const a = qemuArgs(base).join(' ');
    expect(a).toContain('-device isa-debug-exit,iobase=0xf4,iosize=4');
    expect(a).toContain('-no-reboot');
    expect(a).toContain('-serial file:/r/serial.log');
    expect(a).toContain('-accel tcg,thread=single -cpu max');
    expect(a).toContain('-smp 2 -m 2048M');
    expect(qemuArgs({ ...base, accel: { kind: 'kvm' } }).join(' ')).toContain('-accel kvm -cpu host');
  });

  it('puts -L data dirs first, in order, only when given', () => {
    expect(qemuArgs(base)).not.toContain('-L');
    const a = qemuArgs({ ...base, dataDirs: ['/c/usr/share/qemu', '/c/usr/share/seabios'] });
    expect(a.slice(0, 4)).toEqual(['-L', '/c/usr/share/qemu', '-L', '/c/usr/share/seabios']);
  });

  it('decodes the guest code from isa-debug-exit', () => {
    expect(guestCodeFromQemu(1)).toBe(0);
    expect(guestCodeFromQemu(3)).toBe(1);
    expect(guestCodeFromQemu(9)).toBe(4);
    expect(guestCodeFromQemu(0)).toBeUndefined(); // poweroff or panic: QEMU says 0 either way
    expect(guestCodeFromQemu(undefined)).toBeUndefined();
  });

  it('parses --memory and refuses too little', () => {
    expect(parseMemory('2G')).toBe(2048);
    expect(parseMemory('1536M')).toBe(1536);
    expect(parseMemory('1024')).toBe(1024);
    expect(() => parseMemory('64M')).toThrow(/too small/);
    expect(() => parseMemory('lots')).toThrow(UsageError);
    expect(() => parseCpus('0')).toThrow(UsageError);
    expect(parseCpus('4')).toBe(4);
  });
});

describe('accelerator', () => {
  it('names the mode for reports', () => {
    expect(describeAccel({ kind: 'tcg', thread: 'multi' })).toBe('tcg thread=multi');
    expect(accelArgs({ kind: 'tcg', thread: 'multi' })).toEqual(['-accel', 'tcg,thread=multi', '-cpu', 'max']);
    expect(() => parseTcg('both')).toThrow(UsageError);
  });

  it('sees vmx/svm only in the flags line', () => {
    expect(cpuHasVirt('flags\t\t: fpu vme de pse vmx sse\n')).toBe(true);
    expect(cpuHasVirt('flags\t\t: fpu hypervisor\nmodel name: svm-like\n')).toBe(false);
  });

  it('uses KVM only when the CPU offers it and a trial boot works', async () => {
    const ok = async () => true;
    const bad = async () => false;
    expect((await chooseAccel({}, ok, () => false)).accel).toEqual({ kind: 'tcg', thread: 'single' });
    expect((await chooseAccel({}, bad, () => true)).accel.kind).toBe('tcg');
    expect((await chooseAccel({}, ok, () => true)).accel.kind).toBe('kvm');
    expect((await chooseAccel({ tcg: 'multi' }, ok, () => true)).accel).toEqual({ kind: 'tcg', thread: 'multi' });
  });

  const q72 = parseQemuVersion('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)')!;
  const q81 = parseQemuVersion('QEMU emulator version 8.1.0')!;
  const q10 = parseQemuVersion('QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)')!;

  it('defaults to multi-threaded TCG from QEMU 8.1, single below or when the version is unknown', async () => {
    expect(defaultTcg(q10).thread).toBe('multi');
    expect(defaultTcg(q81).thread).toBe('multi');
    expect(defaultTcg(q72)).toMatchObject({
      thread: 'single',
      why: expect.stringMatching(/QEMU 7\.2\.22 < 8\.1.*int3.*never run at once/),
    });
    expect(defaultTcg(undefined).thread).toBe('single');
    const noKvm = () => false;
    const ok = async () => true;
    expect(await chooseAccel({ qemu: q10 }, ok, noKvm)).toMatchObject({
      accel: { kind: 'tcg', thread: 'multi' },
      why: expect.stringMatching(/no vmx\/svm.*QEMU 10\.0\.2 >= 8\.1/),
    });
    expect((await chooseAccel({ qemu: q72 }, ok, noKvm)).accel).toEqual({ kind: 'tcg', thread: 'single' });
  });

  it('lets --tcg override the default either way, warning when multi meets an old QEMU', async () => {
    const ok = async () => true;
    expect((await chooseAccel({ tcg: 'single', qemu: q10 }, ok, () => false)).accel).toEqual({
      kind: 'tcg',
      thread: 'single',
    });
    const m = await chooseAccel({ tcg: 'multi', qemu: q72 }, ok, () => false);
    expect(m.accel).toEqual({ kind: 'tcg', thread: 'multi' });
    expect(m.why).toMatch(/--tcg multi; beware: QEMU 7\.2\.22 < 8\.1.*int3/);
    expect((await chooseAccel({ tcg: 'multi', qemu: q10 }, ok, () => false)).why).toBe('--tcg multi');
  });
});
