// SPDX-License-Identifier: GPL-2.0-only
// Configure an object dir: tinyconfig (or x86_64_defconfig + kvm_guest.config)
// with the project's fragments merged in, olddefconfig, then scripts/config -s
// on every fragment option: an option that silently did not stick (a missing
// dependency) would otherwise surface as a skipped or wrong scenario much later.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigOption } from '../util/kconfig.js';
import { checkConfig, kconfigDepends, kconfigSymbols, mergeConfig, parseFragment } from './config.js';
import { sha256Of } from '../host/hash.js';
import { UsageError } from '../errors.js';
import { runOk } from '../host/exec.js';

export type Base = 'tiny' | 'defconfig';

/** kernel/ at the package root (two levels above dist/kernel or src/kernel). */
export function fragmentsDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../kernel');
}

export function fragmentFiles(o: { kasan: boolean; coverage?: boolean; extra?: string[] }): string[] {
  const dir = fragmentsDir();
  return [
    path.join(dir, 'tracefs-regress.config'),
    ...(o.kasan ? [path.join(dir, 'kasan.config')] : []),
    ...(o.coverage ? [path.join(dir, 'coverage.config')] : []),
    ...(o.extra ?? []),
  ];
}

export function configKey(base: Base, fragments: string[]): string {
  return sha256Of(JSON.stringify([base, ...fragments.map((f) => fs.readFileSync(f, 'utf8'))]));
}

const STAMP = '.tracefs-regress-config';

/** Every symbol the tree's Kconfig files define: options absent there are reported, not failed. */
function definedSymbols(tree: string): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== 'out' && e.name !== 'Documentation' && !e.name.startsWith('.')) walk(path.join(dir, e.name));
      } else if (e.name.startsWith('Kconfig')) {
        for (const s of kconfigSymbols(fs.readFileSync(path.join(dir, e.name), 'utf8'))) out.add(s);
      }
    }
  };
  walk(tree);
  return out;
}

/** `(depends on ...)` for an option that did not stick, from the Kconfig that defines it. */
function dependsHint(tree: string, name: string): string {
  const stack = [tree];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'out' && !e.name.startsWith('.')) stack.push(full);
      } else if (e.name.startsWith('Kconfig')) {
        const deps = kconfigDepends(fs.readFileSync(full, 'utf8'), name);
        if (deps.length) return ` (depends on ${deps.join(' && ')})`;
      }
    }
  }
  return '';
}

/** What `scripts/config -s` says each option is in the .config olddefconfig wrote. */
async function readBack(tree: string, dotConfig: string, names: string[]): Promise<Map<string, string>> {
  const observed = new Map<string, string>();
  for (const name of names) {
    const out = await runOk(path.join(tree, 'scripts/config'), ['--file', dotConfig, '-s', name]);
    observed.set(name, out.trim());
  }
  return observed;
}

export interface ConfigureResult {
  skipped: boolean;
  /** Fragment options this kernel version does not have at all. */
  absent: string[];
}

export async function configure(o: {
  tree: string;
  out: string;
  base: Base;
  fragments: string[];
  key: string;
  make: (args: string[]) => Promise<void>;
  log: (m: string) => void;
}): Promise<ConfigureResult> {
  const stamp = path.join(o.out, STAMP);
  const dotConfig = path.join(o.out, '.config');
  if (fs.existsSync(dotConfig) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === o.key) {
    return { skipped: true, absent: [] };
  }
  fs.mkdirSync(o.out, { recursive: true });
  await o.make(o.base === 'tiny' ? ['tinyconfig'] : ['x86_64_defconfig', 'kvm_guest.config']);
  const wanted: ConfigOption[][] = o.fragments.map((f) => parseFragment(fs.readFileSync(f, 'utf8')));
  fs.writeFileSync(dotConfig, mergeConfig(fs.readFileSync(dotConfig, 'utf8'), ...wanted));
  await o.make(['olddefconfig']);

  const all = new Map<string, ConfigOption>();
  for (const frag of wanted) for (const opt of frag) all.set(opt.name, opt);
  const observed = await readBack(o.tree, dotConfig, [...all.keys()]);
  const { mismatches, absent } = checkConfig([...all.values()], observed, definedSymbols(o.tree));
  if (mismatches.length) {
    const lines = mismatches.map((m) => `  CONFIG_${m.name}: wanted ${m.wanted}, got ${m.got}${dependsHint(o.tree, m.name)}`);
    fs.rmSync(stamp, { force: true });
    throw new UsageError(
      `these options did not stick after olddefconfig (a dependency is off or missing in this kernel):\n${lines.join('\n')}\n` +
        `fragments: ${o.fragments.join(', ')}`,
    );
  }
  if (absent.length) o.log(`config: not in this kernel version, skipped: ${absent.map((a) => `CONFIG_${a}`).join(' ')}`);
  o.log(`config: ${all.size} fragment options checked with scripts/config -s, all set`);
  fs.writeFileSync(stamp, o.key + '\n');
  return { skipped: false, absent };
}
