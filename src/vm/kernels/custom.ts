// SPDX-License-Identifier: GPL-2.0-only
// A kernel the user built (--kernel arch/x86/boot/bzImage): check it is a
// bootable x86 image, read its release from the setup header, and make sure
// the guest can reach the host's root: virtio-pci and 9p built in, or found
// as modules under --modules.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { parseKconfig } from '../../util/kconfig.js';
import { TRACEFS_OPTION } from '../../tracefs/feature-table.js';
import type { KernelImage } from './kernels.js';
import { insmodOrder, locateTree, stageModules } from '../guest/modules.js';

/** Options the guest boot path needs; 'm' is fine when --modules supplies them. */
export const MODULAR_OK = ['VIRTIO_PCI', 'NET_9P', 'NET_9P_VIRTIO', '9P_FS'];
export const BUILTIN_REQUIRED = [
  'BLK_DEV_INITRD',
  'DEVTMPFS',
  'TMPFS',
  'PROC_FS',
  'SYSFS',
  'BINFMT_SCRIPT',
  'BINFMT_ELF',
  TRACEFS_OPTION,
];

/** The x86 boot protocol's setup header: 0xAA55 at 0x1FE, "HdrS" at 0x202, the version string pointer at 0x20E. */
export function readBzImage(buf: Buffer): { release: string } | undefined {
  if (buf.length < 0x300 || buf.readUInt16LE(0x1fe) !== 0xaa55 || buf.toString('latin1', 0x202, 0x206) !== 'HdrS') {
    return undefined;
  }
  const ptr = buf.readUInt16LE(0x20e);
  const start = ptr + 0x200;
  if (!ptr || start >= buf.length) return { release: '' };
  const end = buf.indexOf(0, start);
  return { release: buf.toString('latin1', start, end < 0 ? start + 128 : end).split(' ')[0] ?? '' };
}

/** What the config lacks for a VM boot, as CONFIG_ names (modules allowed when haveModules). */
export function missingOptions(cfg: Map<string, string>, haveModules: boolean): string[] {
  const missing: string[] = [];
  for (const o of BUILTIN_REQUIRED) if (cfg.get(o) !== 'y') missing.push(`CONFIG_${o}=y`);
  for (const o of MODULAR_OK) {
    const v = cfg.get(o);
    if (v === 'y' || (v === 'm' && haveModules)) continue;
    missing.push(`CONFIG_${o}=y${v === 'm' ? ' (it is =m: pass --modules DIR)' : ''}`);
  }
  return missing;
}

/** A .config for the image: next to it (config-<release>), or the build tree's .config above arch/x86/boot/. */
export function findConfig(image: string, release: string, modulesDir?: string): string | undefined {
  const dir = path.dirname(path.resolve(image));
  const tries = [path.join(dir, `config-${release}`), path.join(dir, 'config')];
  for (let d = dir, i = 0; i < 4; i++, d = path.dirname(d)) tries.push(path.join(d, '.config'));
  if (modulesDir) tries.push(path.join(modulesDir, 'build', '.config'));
  return tries.find((f) => fs.existsSync(f));
}

export async function resolveCustom(
  image: string,
  modulesDir: string | undefined,
  stageDir: string,
): Promise<KernelImage> {
  let buf: Buffer;
  try {
    const fd = fs.openSync(image, 'r');
    buf = Buffer.alloc(0x8000);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    buf = buf.subarray(0, n);
  } catch (e) {
    throw new UsageError(
      `--kernel ${image}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  const hdr = readBzImage(buf);
  if (!hdr) {
    throw new UsageError(
      `--kernel ${image} is not a bootable x86 kernel (no bzImage setup header); use arch/x86/boot/bzImage, not vmlinux`,
    );
  }
  const config = findConfig(image, hdr.release, modulesDir);
  if (config) {
    const missing = missingOptions(parseKconfig(fs.readFileSync(config, 'utf8')), !!modulesDir);
    if (missing.length)
      throw new UsageError(`--kernel ${image} cannot boot the test VM: ${config} lacks ${missing.join(', ')}`);
  }
  if (!modulesDir) {
    return { spec: image, release: hdr.release, vmlinuz: path.resolve(image), config, modules: [] };
  }
  const tree = locateTree(modulesDir, hdr.release || undefined);
  if (hdr.release && tree.release !== hdr.release) {
    throw new UsageError(`--modules ${modulesDir} is for ${tree.release}, but ${image} is ${hdr.release}`);
  }
  const order = await insmodOrder(tree);
  const moduleDir = path.join(stageDir, 'modules');
  const modules = await stageModules(order.insmod, moduleDir);
  return { spec: image, release: hdr.release, vmlinuz: path.resolve(image), config, moduleDir, modules };
}
