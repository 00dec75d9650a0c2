// SPDX-License-Identifier: GPL-2.0-only
// Kernel config fragments: merge over a base .config, and check what
// olddefconfig kept. Pure functions, so the rules are unit-tested without a
// tree. The line grammar is util/kconfig.ts's, shared with tracefs/ and vm/.
import { parseConfigLine, parseKconfig, renderConfigLine, type ConfigOption } from '../util/kconfig.js';

/** The options a fragment sets, in order of first mention; later lines win, like kconfig. */
export function parseFragment(text: string): ConfigOption[] {
  return [...parseKconfig(text)].map(([name, value]) => ({ name, value }));
}

/**
 * Apply fragments to a .config: an option already present is rewritten in
 * place, a new one appended. Rewriting in place (rather than appending a
 * duplicate, as merge_config.sh does) keeps the result free of kconfig's
 * "override" warnings and stable for hashing.
 */
export function mergeConfig(base: string, ...fragments: ConfigOption[][]): string {
  const wanted = new Map<string, ConfigOption>();
  for (const frag of fragments) for (const o of frag) wanted.set(o.name, o);
  const lines = base.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const seen = new Set<string>();
  const out = lines.map((line) => {
    const name = parseConfigLine(line)?.name;
    const o = name ? wanted.get(name) : undefined;
    if (!o) return line;
    seen.add(o.name);
    return renderConfigLine(o);
  });
  const added = [...wanted.values()].filter((o) => !seen.has(o.name));
  if (added.length) out.push('# tracefs-regress fragments', ...added.map(renderConfigLine));
  return out.join('\n') + '\n';
}

/** What `scripts/config -s` printed for an option: y, m, n, undef, or a value. */
export type Observed = Map<string, string>;

export interface ConfigMismatch {
  name: string;
  wanted: string;
  got: string;
}

/**
 * Options that did not stick after olddefconfig. Unset-wanted options are
 * satisfied by 'n' or 'undef'; string values are compared without quotes.
 * Options the tree's Kconfig does not define at all (a newer feature on an
 * older kernel) are returned separately: "where the version has them".
 */
export function checkConfig(
  wanted: ConfigOption[],
  observed: Observed,
  defined: Set<string>,
): { mismatches: ConfigMismatch[]; absent: string[] } {
  const mismatches: ConfigMismatch[] = [];
  const absent: string[] = [];
  const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1');
  for (const o of wanted) {
    if (!defined.has(o.name)) {
      absent.push(o.name);
      continue;
    }
    const got = observed.get(o.name) ?? 'undef';
    const ok = o.value === 'n' ? got === 'n' || got === 'undef' : unquote(got) === unquote(o.value);
    if (!ok) mismatches.push({ name: o.name, wanted: o.value, got });
  }
  return { mismatches, absent };
}

/** Symbols a Kconfig file defines (`config X` and `menuconfig X`). */
export function kconfigSymbols(text: string): string[] {
  return [...text.matchAll(/^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*$/gm)].map((m) => m[1]!);
}

/** The `depends on` lines right after `config NAME` in a Kconfig file: a hint when NAME did not stick. */
export function kconfigDepends(text: string, name: string): string[] {
  const start = new RegExp(`^\\s*(?:menu)?config\\s+${name}\\s*$`, 'm').exec(text);
  if (!start) return [];
  const rest = text.slice(start.index + start[0].length).split('\n');
  const out: string[] = [];
  for (const line of rest.slice(1)) {
    if (/^\s*(?:menu)?config\s|^\s*(?:endmenu|endif|menu|if|choice|endchoice|source)\b/.test(line)) break;
    const m = /^\s*depends on\s+(.*)$/.exec(line);
    if (m) out.push(m[1]!.trim());
  }
  return out;
}
