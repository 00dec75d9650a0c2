// SPDX-License-Identifier: GPL-2.0-only
// Patches applied to a copy of the kernel tree, and the header every planted
// regression (test/mutants/*.patch) carries. patch(1) ignores text before the
// first diff, so the header lives in the patch file itself.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** A mutant's header: what it breaks, which upstream fix it undoes, who must catch it. */
export interface MutantHeader {
  name: string;
  /** The upstream fix(es) undone, as `hash ("subject")`. */
  undoes: string[];
  /** Scenario ids that must report a violation on this kernel. */
  expect: string[];
  /** What the mutant does to observable behaviour. */
  description: string;
  /** What a --kasan build should add (free text), when anything. */
  kasan?: string;
  /**
   * Only concurrency shows it (`Race: yes`): every single-threaded scenario
   * must still pass, and the self-test boots it several times, since one
   * race run may miss.
   */
  race?: boolean;
  /** Kernel command-line arguments the guest needs for the mutant to show (e.g. init_on_free=1). */
  cmdline?: string;
}

const KEYS = ['Mutant', 'Undoes', 'Expect', 'Kasan', 'Description', 'Race', 'Cmdline'] as const;

/** Lines before the first diff: the part of a patch file patch(1) skips. */
export function preamble(text: string): string[] {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => /^(diff |--- |Index: )/.test(l) || l === '---');
  return end < 0 ? lines : lines.slice(0, end);
}

/**
 * Parse `Key: value` header lines; an indented line continues the previous
 * key. Throws with the file's name when a required key is missing, so a
 * mutant without a claim cannot slip into the self-test.
 */
export function parseMutantHeader(text: string, file = 'patch'): MutantHeader {
  const fields = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of preamble(text)) {
    const m = /^([A-Za-z]+):\s*(.*)$/.exec(line);
    if (m && (KEYS as readonly string[]).includes(m[1]!)) {
      last = m[1]!;
      fields.set(last, [...(fields.get(last) ?? []), m[2]!.trim()]);
    } else if (last && /^\s+\S/.test(line)) {
      fields.get(last)!.push(line.trim());
    } else {
      last = undefined;
    }
  }
  const need = (k: string) => {
    const v = fields.get(k);
    if (!v || !v.join('').trim()) throw new UsageError(`${file}: header has no '${k}:' line`);
    return v;
  };
  const name = need('Mutant').join(' ');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new UsageError(`${file}: Mutant name '${name}' must be lowercase words joined by '-'`);
  const expect = need('Expect')
    .join(',')
    .split(/[,\s]+/)
    .filter(Boolean);
  const race = fields.get('Race')?.join(' ').trim();
  if (race !== undefined && race !== 'yes' && race !== 'no') throw new UsageError(`${file}: 'Race: ${race}' must be yes or no`);
  const cmdline = fields.get('Cmdline')?.join(' ').trim();
  // The arguments go onto the guest's kernel command line as they are: one line of key[=value] words.
  if (cmdline !== undefined && !/^[A-Za-z0-9_.,=-]+(?: [A-Za-z0-9_.,=-]+)*$/.test(cmdline)) {
    throw new UsageError(`${file}: 'Cmdline: ${cmdline}' must be space-separated key or key=value words`);
  }
  return {
    name,
    // One fix per line: subjects contain commas.
    undoes: need('Undoes').filter(Boolean),
    expect,
    description: need('Description').join(' '),
    ...(fields.get('Kasan') ? { kasan: fields.get('Kasan')!.join(' ') } : {}),
    ...(race === 'yes' ? { race: true } : {}),
    ...(cmdline ? { cmdline } : {}),
  };
}

/** Files a unified diff modifies (from its `+++ b/...` lines, -p1). */
export function patchedFiles(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/^\+\+\+ (\S+)/gm)) {
    const p = m[1]!;
    if (p === '/dev/null') continue;
    out.add(p.split('/').slice(1).join('/'));
  }
  return [...out];
}

export interface Mutant extends MutantHeader {
  file: string;
}

/** Every test/mutants/*.patch with its header, sorted by file name. */
export function readMutants(dir: string): Mutant[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.patch'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      return { file, ...parseMutantHeader(fs.readFileSync(file, 'utf8'), f) };
    });
}
