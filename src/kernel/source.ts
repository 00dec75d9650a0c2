// SPDX-License-Identifier: GPL-2.0-only
// The pristine kernel tree every build copies: Debian's linux-source-<series>
// fetched through the VM runner's private apt state (the system's apt config
// is only read), or a tree the user already has (--source DIR).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { EnvironmentError, UsageError } from '../errors.js';
import { PrivateApt } from '../host/apt.js';
import { cacheDirs, cacheRoot } from '../host/paths.js';
import { runOk } from '../host/exec.js';

export interface KernelSource {
  /** Absolute path of the pristine tree (never written to). */
  dir: string;
  /** Human label: `debian linux-source-6.12 6.12.117-1~deb12u1` or the path. */
  label: string;
  /** Makefile VERSION.PATCHLEVEL.SUBLEVEL. */
  kernelVersion: string;
  /**
   * A git tree's HEAD commit (`+dirty@<ms>` when it has local changes): the
   * same directory holds another tree after a checkout, so a build copies it
   * again when this changes (`kernel bisect-step` relies on it).
   */
  revision?: string;
}

export const DEFAULT_SERIES = '6.12';
const STAMP = '.tracefs-regress-extracted';

export function sourcesRoot(): string {
  return path.join(cacheRoot(), 'src');
}

/** A Debian version as a directory name: `~` and `:` upset make and the shell. */
export function versionDir(debVersion: string): string {
  return debVersion.replace(/[^A-Za-z0-9.+-]/g, '_');
}

/** `linux-source-6.12_6.12.117-1~deb12u1_all.deb` -> `6.12.117-1~deb12u1`. */
export function debVersionOf(debFile: string): string {
  const m = /^linux-source-[\d.]+_(.+)_all\.deb$/.exec(path.basename(debFile));
  if (!m) throw new EnvironmentError(`unexpected source package name ${debFile}`);
  return decodeURIComponent(m[1]!.replace(/%3a/gi, ':'));
}

/** VERSION.PATCHLEVEL.SUBLEVEL from a top-level kernel Makefile. */
export function makefileVersion(text: string): string | undefined {
  const get = (k: string) => new RegExp(`^${k}\\s*=\\s*(\\d+)`, 'm').exec(text)?.[1];
  const [v, p, s] = [get('VERSION'), get('PATCHLEVEL'), get('SUBLEVEL')];
  return v && p ? `${v}.${p}.${s ?? 0}` : undefined;
}

/** A user's tree: it must look like a kernel source tree with x86 support. */
export function userSource(dir: string): KernelSource {
  const abs = path.resolve(dir);
  let makefile: string;
  try {
    makefile = fs.readFileSync(path.join(abs, 'Makefile'), 'utf8');
  } catch {
    throw new UsageError(`--source ${dir}: no Makefile there; point it at the top of a Linux source tree`);
  }
  const version = makefileVersion(makefile);
  if (!version || !fs.existsSync(path.join(abs, 'arch/x86/Kconfig'))) {
    throw new UsageError(`--source ${dir} is not a Linux source tree with arch/x86 (no VERSION in its Makefile)`);
  }
  const revision = gitRevision(abs);
  return { dir: abs, label: revision ? `${abs} ${revision.slice(0, 12)}` : abs, kernelVersion: version, ...(revision ? { revision } : {}) };
}

/** HEAD of a git tree at dir (not of a repository above it), or undefined for a plain directory. */
export function gitRevision(dir: string): string | undefined {
  if (!fs.existsSync(path.join(dir, '.git'))) return undefined;
  const run = (args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const head = run(['rev-parse', '--verify', 'HEAD']);
    // Edits since the last build cannot be told apart from earlier ones: a dirty tree is copied afresh every time.
    return run(['status', '--porcelain', '--untracked-files=no']) ? `${head}+dirty@${Date.now()}` : head;
  } catch {
    return undefined;
  }
}

/** Already extracted Debian sources of a series, newest first. */
function extracted(series: string): KernelSource[] {
  const root = sourcesRoot();
  const out: KernelSource[] = [];
  for (const v of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const dir = path.join(root, v, `linux-source-${series}`);
    if (!fs.existsSync(path.join(root, v, STAMP))) continue;
    const version = makefileVersion(fs.readFileSync(path.join(dir, 'Makefile'), 'utf8')) ?? series;
    out.push({ dir, label: `debian linux-source-${series} ${fs.readFileSync(path.join(root, v, STAMP), 'utf8').trim()}`, kernelVersion: version });
  }
  return out.sort((a, b) => b.kernelVersion.localeCompare(a.kernelVersion, 'en', { numeric: true }));
}

/**
 * Debian's linux-source package for a series. A tree extracted earlier is
 * reused without touching the network (CI keeps ~/.cache between runs);
 * refresh fetches the archive's newest version.
 */
export async function debianSource(
  series = DEFAULT_SERIES,
  opts: { refresh?: boolean; log?: (m: string) => void } = {},
): Promise<KernelSource> {
  const log = opts.log ?? (() => {});
  const have = extracted(series)[0];
  if (have && !opts.refresh) return have;

  const apt = new PrivateApt(cacheDirs.apt());
  await apt.update({ force: opts.refresh });
  const pkg = `linux-source-${series}`;
  const dl = path.join(cacheDirs.downloads(), `${pkg}.partial`);
  fs.rmSync(dl, { recursive: true, force: true });
  log(`fetching ${pkg} from the Debian archive`);
  const [deb] = await apt.download([pkg], dl);
  const debVersion = debVersionOf(deb!);
  const dest = path.join(sourcesRoot(), versionDir(debVersion));
  if (fs.existsSync(path.join(dest, STAMP))) {
    fs.rmSync(dl, { recursive: true, force: true });
    return extracted(series).find((s) => s.dir.startsWith(dest + path.sep))!;
  }
  // Extract beside the destination and rename, so a killed extraction never looks complete.
  const tmp = `${dest}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  log(`extracting ${path.basename(deb!)}`);
  await runOk('dpkg-deb', ['-x', deb!, path.join(dl, 'x')]);
  const tarball = path.join(dl, 'x/usr/src', `${pkg}.tar.xz`);
  if (!fs.existsSync(tarball)) throw new EnvironmentError(`${deb} holds no usr/src/${pkg}.tar.xz`);
  await runOk('nice', ['-n', '19', 'tar', '-xJf', tarball, '-C', tmp]);
  fs.writeFileSync(path.join(tmp, STAMP), `${debVersion}\n`);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(tmp, dest);
  fs.rmSync(dl, { recursive: true, force: true });
  return extracted(series).find((s) => s.dir.startsWith(dest + path.sep))!;
}
