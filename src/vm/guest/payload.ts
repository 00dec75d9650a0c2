// SPDX-License-Identifier: GPL-2.0-only
// The self-contained guest's payload (docs/vm-boot.md): what a kernel booted
// from its vmlinuz alone cannot read from the host over 9p, carried in the
// initramfs instead. Node (the host's binary and the shared libraries ldd
// names for it and the addon), the package's runtime files (bin/, dist/,
// kernel/, schema/, package.json, the addon, the C reproducer templates) and
// the node_modules its dependencies resolve to, each at its host path, so the
// guest command's argv and cwd are the same as on the 9p path. The archive
// (gzip'd cpio, appended to each boot's small one) is cached under
// ~/.cache/tracefs-regress/payload/<sha256 of its content>.cpio.gz: a matrix
// builds it once, and any change to a file gives a new one.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execa } from 'execa';
import { EnvironmentError } from '../../errors.js';
import { cacheRoot } from '../../host/paths.js';
import { sha256Of } from '../../host/hash.js';
import { writeCpio, type CpioEntry } from './cpio.js';

export type PayloadItem =
  { path: string; type: 'file'; from: string; mode: number } | { path: string; type: 'symlink'; target: string };

/** The absolute paths of the shared libraries in `ldd` output (the vdso has none; the loader's line has no arrow). */
export function parseLdd(out: string): string[] {
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /=>\s+(\/\S+)\s+\(0x/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (m && !libs.includes(m[1]!)) libs.push(m[1]!);
  }
  return libs;
}

export interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The package directories node resolves the runtime dependencies to, from
 * root down (each dependency looked up in node_modules from its requirer's
 * directory upwards, as node does). A dependency that is not installed is
 * left out: node would fail the same way on the host.
 */
export function runtimePackages(root: string, readPkg: (dir: string) => PackageJson | undefined): string[] {
  const found: string[] = [];
  const queue = [root];
  while (queue.length) {
    const dir = queue.shift()!;
    const pkg = readPkg(dir);
    const names = Object.keys({ ...pkg?.dependencies, ...pkg?.optionalDependencies });
    for (const n of names) {
      for (let d = dir; ; d = path.dirname(d)) {
        const cand = path.join(d, 'node_modules', n);
        if (readPkg(cand)) {
          if (!found.includes(cand)) {
            found.push(cand);
            queue.push(cand);
          }
          break;
        }
        if (d === root || path.dirname(d) === d) break;
      }
    }
  }
  return found.sort();
}

/** The package's own runtime files and directories, relative to its root (those that exist are taken). */
export const PACKAGE_PARTS = [
  'package.json',
  'bin',
  'dist',
  'kernel',
  'schema',
  'src/repro/c',
  'build/Release',
  // The addon loader's last resort (native/addon.ts): an install from the tarball, or a checkout after
  // `npm run prebuildify` (which leaves no .node in build/Release), has only this one.
  `prebuilds/${process.platform}-${process.arch}`,
];

/** Everything under `top` as payload items (dependencies' nested node_modules come from runtimePackages). */
function walk(top: string, skipNodeModules: boolean): PayloadItem[] {
  const out: PayloadItem[] = [];
  const visit = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) out.push({ path: p, type: 'symlink', target: fs.readlinkSync(p) });
    else if (st.isFile()) out.push({ path: p, type: 'file', from: p, mode: st.mode & 0o777 });
    else if (st.isDirectory())
      for (const e of fs.readdirSync(p).sort()) {
        if (skipNodeModules && e === 'node_modules') continue;
        // build/Release's intermediate objects are no runtime file.
        if (e === 'obj.target' || e === '.deps') continue;
        visit(path.join(p, e));
      }
  };
  visit(top);
  return out;
}

const readPkgJson = (dir: string): PackageJson | undefined => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
};

/** The payload's items: node, its libraries, the package and its runtime dependencies. */
export async function payloadItems(root: string, node = process.execPath): Promise<PayloadItem[]> {
  const items: PayloadItem[] = [];
  const parts = PACKAGE_PARTS.map((p) => path.join(root, p)).filter((p) => fs.existsSync(p));
  for (const p of parts) items.push(...walk(p, true));
  for (const d of runtimePackages(root, readPkgJson)) items.push(...walk(d, true));
  const addons = items.filter((i) => i.type === 'file' && i.path.endsWith('.node')).map((i) => i.path);
  const libs = new Set<string>();
  for (const bin of [node, ...addons]) {
    const r = await execa('ldd', [bin], { reject: false });
    if (r.exitCode !== 0 && bin === node)
      throw new EnvironmentError(`ldd ${node} failed (${r.stderr.trim()}): cannot build the self-contained guest`);
    for (const l of parseLdd(r.stdout)) libs.add(l);
  }
  items.push({ path: node, type: 'file', from: fs.realpathSync(node), mode: 0o755 });
  // Each library at the path the loader asks for, its content from wherever the links end.
  for (const l of libs) items.push({ path: l, type: 'file', from: fs.realpathSync(l), mode: 0o755 });
  return items;
}

/** The cpio entries: every parent directory first (the kernel's unpacker makes none), then the items. */
export function payloadEntries(items: PayloadItem[], data: (from: string) => Buffer): CpioEntry[] {
  const dirs = new Set<string>();
  for (const i of items)
    for (let d = path.posix.dirname(i.path); d !== '/'; d = path.posix.dirname(d)) dirs.add(d.slice(1));
  const entries: CpioEntry[] = [...dirs].sort().map((d) => ({ type: 'dir', path: d }));
  for (const i of items) {
    const p = i.path.slice(1);
    entries.push(
      i.type === 'symlink'
        ? { type: 'symlink', path: p, target: i.target }
        : { type: 'file', path: p, data: data(i.from), mode: i.mode },
    );
  }
  return entries;
}

export interface Payload {
  file: string;
  bytes: number;
  key: string;
  /** Built by this call (false: found in the cache). */
  built: boolean;
  items: number;
}

const PAYLOAD_FORMAT = 'tfsr-payload-1';

let memo: Payload | undefined;

/** The payload archive for this package and node, from the cache or built into it (atomically). */
export async function ensurePayload(root: string, log: (m: string) => void = () => {}): Promise<Payload> {
  if (memo && fs.existsSync(memo.file)) return memo;
  const items = await payloadItems(root);
  const contents = new Map<string, Buffer>();
  const data = (from: string) => {
    let b = contents.get(from);
    if (!b) contents.set(from, (b = fs.readFileSync(from)));
    return b;
  };
  const key = sha256Of(
    [
      PAYLOAD_FORMAT,
      ...items.map((i) =>
        i.type === 'symlink' ? `${i.path} -> ${i.target}` : `${i.path} ${i.mode.toString(8)} ${sha256Of(data(i.from))}`,
      ),
    ].join('\n'),
  );
  const dir = path.join(cacheRoot(), 'payload');
  const file = path.join(dir, `${key}.cpio.gz`);
  let built = false;
  if (!fs.existsSync(file)) {
    const t0 = Date.now();
    fs.mkdirSync(dir, { recursive: true });
    const gz = zlib.gzipSync(writeCpio(payloadEntries(items, data)), { level: 6 });
    const tmp = `${file}.tmp${process.pid}`;
    fs.writeFileSync(tmp, gz);
    fs.renameSync(tmp, file);
    built = true;
    log(
      `self-contained guest payload built: ${items.length} files, ${(gz.length / 2 ** 20).toFixed(1)} MiB gzip'd, in ${((Date.now() - t0) / 1000).toFixed(1)} s (${file})`,
    );
    // Payloads of files changed since: gone after a week unused (another checkout may still boot one now).
    for (const f of fs.readdirSync(dir)) {
      const old = path.join(dir, f);
      if (/^[0-9a-f]{64}\.cpio\.gz$/.test(f) && Date.now() - fs.statSync(old).atimeMs > 7 * 86_400_000)
        fs.rmSync(old, { force: true });
    }
  }
  memo = { file, bytes: fs.statSync(file).size, key, built, items: items.length };
  return memo;
}
