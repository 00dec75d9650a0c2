// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { BUILTIN_REQUIRED, missingOptions, readBzImage } from '../../../../src/vm/kernels/custom.js';
import { parseKconfig } from '../../../../src/util/kconfig.js';

function fakeBzImage(version: string): Buffer {
  const b = Buffer.alloc(0x1000);
  b.writeUInt16LE(0xaa55, 0x1fe);
  b.write('HdrS', 0x202, 'latin1');
  b.writeUInt16LE(0x400, 0x20e);
  b.write(`${version} (root@build) #1 SMP\0`, 0x600, 'latin1');
  return b;
}

describe('custom kernels', () => {
  it('reads the release from the bzImage setup header', () => {
    expect(readBzImage(fakeBzImage('6.12.0-mutant'))).toEqual({ release: '6.12.0-mutant' });
  });

  it('rejects what is not a bzImage (a vmlinux ELF, a text file)', () => {
    const elf = Buffer.alloc(0x1000);
    elf.write('\x7fELF', 0, 'latin1');
    expect(readBzImage(elf)).toBeUndefined();
    expect(readBzImage(Buffer.from('hello'))).toBeUndefined();
  });

  it('names the missing config options, allowing =m only with --modules', () => {
    // Every option built in but the 9p modules, which are =m: fine only with --modules.
    const cfg = parseKconfig(
      [...BUILTIN_REQUIRED, 'VIRTIO_PCI'].map((o) => `CONFIG_${o}=y`).join('\n') +
        '\nCONFIG_NET_9P=m\nCONFIG_NET_9P_VIRTIO=m\nCONFIG_9P_FS=m\n',
    );
    expect(missingOptions(cfg, true)).toEqual([]);
    expect(missingOptions(cfg, false)).toEqual([
      'CONFIG_NET_9P=y (it is =m: pass --modules DIR)',
      'CONFIG_NET_9P_VIRTIO=y (it is =m: pass --modules DIR)',
      'CONFIG_9P_FS=y (it is =m: pass --modules DIR)',
    ]);
    cfg.delete('DEVTMPFS');
    cfg.delete('TRACING'); // the FEATURES table's tracefs option
    expect(missingOptions(cfg, true)).toEqual(['CONFIG_DEVTMPFS=y', 'CONFIG_TRACING=y']);
    cfg.set('TRACING', 'y');
    expect(missingOptions(cfg, true)).toEqual(['CONFIG_DEVTMPFS=y']);
  });
});

describe('prerequisites', () => {
  it('names the packages to install', async () => {
    const { missingPackages } = await import('../../../../src/vm/qemu/deps.js');
    const none = missingPackages(
      { debian: true },
      () => false,
      () => Buffer.alloc(0),
    );
    expect(none).toEqual(['qemu-system-x86', 'busybox-static', 'kmod', 'xz-utils', 'apt', 'dpkg']);
    // a dynamic busybox (Debian's plain busybox package) is not enough for an initramfs
    const dyn = missingPackages(
      { debian: false },
      () => true,
      () => Buffer.alloc(64),
    );
    expect(dyn).toEqual(['busybox-static']);
  });
});

describe('missing prerequisites', () => {
  it('are an environment error naming the apt command, not a usage error', async () => {
    const { ensureDeps } = await import('../../../../src/vm/qemu/deps.js');
    const { EnvironmentError } = await import('../../../../src/errors.js');
    const old = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const run = ensureDeps({ debian: false, install: false, log: () => {} });
      await expect(run).rejects.toThrow(EnvironmentError);
      await expect(ensureDeps({ debian: false, install: false, log: () => {} })).rejects.toThrow(
        /apt-get install -y --no-install-recommends/,
      );
    } finally {
      process.env.PATH = old;
    }
  });
});
