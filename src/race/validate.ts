// SPDX-License-Identifier: GPL-2.0-only
// Checks a RaceConfig in TS for messages that say how to fix it; the addon
// checks again for safety. Names, types and limits come from the parameter
// table (src/native/race-params.ts). Returns the problems, empty when fine.
import {
  ACTION_KINDS,
  MAX_DURATION_MS,
  MAX_THREADS,
  RACE_OPS,
  RACE_PARAMS,
  WEIGHT_LIMITS,
  type IntParam,
  type RaceAction,
  type RaceConfig,
  type RaceParam,
} from '../native/race-params.js';

export { MAX_DURATION_MS, MAX_THREADS };

const PARAMS = Object.entries(RACE_PARAMS) as [keyof RaceConfig, RaceParam][];
const WEIGHT_KEYS = new Set<string>(RACE_OPS.flatMap((o) => ('weight' in o ? [o.weight.key] : [])));

export class RaceConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid race config: ${problems.join('; ')}`);
    this.name = 'RaceConfigError';
  }
}

function intIn(v: unknown, lo: number, hi: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

/** "threads must be an integer 1..64 (got 0)", with what special values mean. */
function checkInt(name: string, v: unknown, p: Pick<IntParam, 'min' | 'max' | 'note'>, out: string[]): void {
  if (v !== undefined && !intIn(v, p.min, p.max))
    out.push(`${name} must be an integer ${p.min}..${p.max}${p.note ? ` (${p.note})` : ''} (got ${String(v)})`);
}

function checkActions(list: unknown, where: string, out: string[], nested = false): void {
  if (!Array.isArray(list) || (!nested && list.length === 0)) {
    out.push(`${where} must be a non-empty array of actions`);
    return;
  }
  const kinds: readonly string[] = ACTION_KINDS;
  list.forEach((a: Partial<RaceAction> & { line?: unknown }, i) => {
    const at = `${where}[${i}]`;
    if (!a || typeof a !== 'object') return void out.push(`${at} must be an object`);
    if (!kinds.includes(String(a.kind)))
      out.push(`${at}.kind must be one of ${kinds.join(', ')} (got ${String(a.kind)})`);
    if (typeof a.path !== 'string' || !a.path.startsWith('/')) out.push(`${at}.path must be an absolute path`);
    if (a.kind === 'write' && typeof a.line !== 'string') out.push(`${at}.line must be a string`);
    if (a.onBusy !== undefined) {
      if (nested) out.push(`${at}.onBusy cannot nest`);
      else checkActions(a.onBusy, `${at}.onBusy`, out, true);
    }
  });
}

function checkWeights(w: unknown, out: string[]): void {
  if (w === undefined) return;
  if (!w || typeof w !== 'object') return void out.push('weights must be an object');
  for (const [k, v] of Object.entries(w)) {
    if (!WEIGHT_KEYS.has(k)) out.push(`unknown weight ${k}: use ${[...WEIGHT_KEYS].join(', ')}`);
    else checkInt(`weights.${k}`, v, WEIGHT_LIMITS, out);
  }
}

/** Each key's type and limits, as the table declares them. */
function checkParams(c: RaceConfig, out: string[]): void {
  for (const k of Object.keys(c)) if (!(k in RACE_PARAMS)) out.push(`unknown option ${k}`);
  for (const [name, p] of PARAMS) {
    const v: unknown = c[name];
    if (p.type === 'int') checkInt(name, v, p, out);
    else if (p.type === 'string' && v !== undefined && typeof v !== 'string') out.push(`${name} must be a string`);
    else if (p.type === 'actions') checkActions(v, name, out);
    else if (p.type === 'weights') checkWeights(v, out);
  }
}

export function raceConfigProblems(c: RaceConfig): string[] {
  const p: string[] = [];
  checkParams(c, p);
  const hasTarget = (c.files?.length ?? 0) > 0 || c.enable || (c.dirs?.length ?? 0) > 0 || c.list;
  if (!hasTarget) p.push('nothing to race: give files, enable, dirs or list');
  for (const [i, d] of (c.dirs ?? []).entries())
    if (!d.names?.length) p.push(`dirs[${i}].names must list at least one name`);
  if (c.busyCheckEvery && !c.enable) p.push('busyCheckEvery needs enable (the file the check writes 1 to)');
  if (c.durationMs === 0 && !c.maxCycles) p.push('durationMs 0 needs maxCycles (or the run never ends by itself)');
  return p;
}
