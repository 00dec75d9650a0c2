// SPDX-License-Identifier: GPL-2.0-only
// Which kernel modules the guest must insmod before it can mount the host's
// root over virtio-9p, in dependency order. Debian's .debs ship no modules.dep,
// so depmod builds one; modprobe --show-depends then prints the insmod order.
// Compressed modules are decompressed here, on the host, because the guest's
// busybox insmod takes plain .ko files only.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { EnvironmentError, UsageError } from '../../errors.js';

/** What the guest needs as modules (or built in): the virtio PCI transport and 9p. */
export const GUEST_MODULES = ['virtio_pci', '9pnet_virtio', '9p'];

export interface ModuleTree {
  /** A directory such that root/lib/modules/<release> is the tree (modprobe -d). */
  root: string;
  release: string;
}

/**
 * Find the modules tree in dir: either an install root (lib/modules/<rel> or
 * usr/lib/modules/<rel> below it) or the <rel> directory itself.
 */
export function locateTree(dir: string, release?: string): ModuleTree {
  const abs = path.resolve(dir);
  if (fs.existsSync(path.join(abs, 'kernel')) || fs.existsSync(path.join(abs, 'modules.order'))) {
    const rel = path.basename(abs);
    const parent = path.dirname(abs);
    if (path.basename(parent) === 'modules' && path.basename(path.dirname(parent)) === 'lib') {
      // usr/lib/modules/<rel>: modprobe -d wants ROOT/lib/modules, which ROOT=<...>/usr provides.
      return { root: path.dirname(path.dirname(parent)), release: rel };
    }
    throw new UsageError(`--modules ${dir}: a modules tree must sit in .../lib/modules/<release>/ (found ${abs})`);
  }
  for (const base of ['lib/modules', 'usr/lib/modules']) {
    const d = path.join(abs, base);
    if (!fs.existsSync(d)) continue;
    const rels = fs.readdirSync(d).filter((r) => !release || r === release);
    if (rels.length === 1) return { root: base === 'lib/modules' ? abs : path.join(abs, 'usr'), release: rels[0]! };
    if (rels.length > 1)
      throw new UsageError(`--modules ${dir}: several releases (${rels.join(', ')}); point at one of them`);
  }
  throw new UsageError(
    `--modules ${dir}: no modules tree${release ? ` for ${release}` : ''} (expected lib/modules/<release>/ with modules.order or kernel/)`,
  );
}

/** Parse `modprobe --show-depends` output: insmod paths in order, builtins by name. */
export function parseShowDepends(out: string): { insmod: string[]; builtin: string[] } {
  const insmod: string[] = [];
  const builtin: string[] = [];
  for (const line of out.split('\n')) {
    const m = /^insmod\s+(\S+)/.exec(line);
    if (m && !insmod.includes(m[1]!)) insmod.push(m[1]!);
    const b = /^builtin\s+(\S+)/.exec(line);
    if (b && !builtin.includes(b[1]!)) builtin.push(b[1]!);
  }
  return { insmod, builtin };
}

/** The insmod order for the guest's modules in this tree (runs depmod first when needed). */
export async function insmodOrder(
  tree: ModuleTree,
  wanted = GUEST_MODULES,
): Promise<{ insmod: string[]; builtin: string[] }> {
  const modDir = path.join(tree.root, 'lib', 'modules', tree.release);
  if (!fs.existsSync(path.join(modDir, 'modules.dep'))) {
    const d = await execa('depmod', ['-b', tree.root, tree.release], { reject: false, all: true });
    if (d.exitCode !== 0) throw new EnvironmentError(`depmod -b ${tree.root} ${tree.release} failed: ${d.all}`);
  }
  const r = await execa('modprobe', ['-d', tree.root, '-S', tree.release, '--show-depends', '-a', ...wanted], {
    reject: false,
    all: true,
  });
  const parsed = parseShowDepends(r.stdout);
  if (r.exitCode !== 0) {
    throw new UsageError(
      `the kernel ${tree.release} has no ${wanted.join('/')} (neither built in nor in ${modDir}): ` +
        `it needs CONFIG_VIRTIO_PCI, CONFIG_NET_9P, CONFIG_NET_9P_VIRTIO and CONFIG_9P_FS (=y, or =m with --modules). ${r.stderr.trim()}`,
    );
  }
  return parsed;
}

/** The module's plain file name: 9pnet_virtio.ko.xz -> 9pnet_virtio.ko */
export function plainName(file: string): string {
  return path.basename(file).replace(/\.ko\.(xz|zst|gz)$/, '.ko');
}

/** Copy (decompressing) each module into dest; returns the plain .ko names in order. */
export async function stageModules(files: string[], dest: string): Promise<string[]> {
  fs.mkdirSync(dest, { recursive: true });
  const names: string[] = [];
  for (const f of files) {
    const name = plainName(f);
    const out = path.join(dest, name);
    const tool = f.endsWith('.xz') ? 'xz' : f.endsWith('.zst') ? 'zstd' : f.endsWith('.gz') ? 'gzip' : undefined;
    if (tool) {
      const r = await execa(tool, ['-dc', f], { encoding: 'buffer', reject: false });
      if (r.exitCode !== 0)
        throw new EnvironmentError(
          `cannot decompress ${f} with ${tool} (install it: apt-get install ${tool === 'xz' ? 'xz-utils' : tool})`,
        );
      fs.writeFileSync(out, r.stdout);
    } else {
      fs.copyFileSync(f, out);
    }
    names.push(name);
  }
  return names;
}
