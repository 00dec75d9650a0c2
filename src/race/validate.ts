// Checks a RaceConfig in TS for messages that say how to fix it; the addon
// checks again for safety. Returns the problems, empty when fine.
import type { RaceAction, RaceConfig } from './types.js';

export const MAX_THREADS = 64;
export const MAX_DURATION_MS = 86_400_000;
const KNOWN = new Set([
  'threads', 'durationMs', 'maxCycles', 'create', 'remove', 'files', 'enable', 'dirs', 'list',
  'weights', 'dwellPresentUs', 'dwellAbsentUs', 'dropCachesEvery', 'dropCachesIntervalMs',
  'dropCachesPath', 'busyCheckEvery', 'progressMs', 'heldDirfds', 'maxBusyRetries', 'racers', 'stepAsideUs',
]);
const ACTION_KINDS = new Set(['write', 'mkdir', 'rmdir', 'unlink', 'create-file']);

export class RaceConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid race config: ${problems.join('; ')}`);
    this.name = 'RaceConfigError';
  }
}

function intIn(v: unknown, lo: number, hi: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

function checkActions(list: unknown, where: string, out: string[], nested = false): void {
  if (!Array.isArray(list) || (!nested && list.length === 0)) {
    out.push(`${where} must be a non-empty array of actions`);
    return;
  }
  list.forEach((a: Partial<RaceAction> & { line?: unknown }, i) => {
    const at = `${where}[${i}]`;
    if (!a || typeof a !== 'object') return void out.push(`${at} must be an object`);
    if (!ACTION_KINDS.has(String(a.kind)))
      out.push(`${at}.kind must be one of ${[...ACTION_KINDS].join(', ')} (got ${String(a.kind)})`);
    if (typeof a.path !== 'string' || !a.path.startsWith('/')) out.push(`${at}.path must be an absolute path`);
    if (a.kind === 'write' && typeof a.line !== 'string') out.push(`${at}.line must be a string`);
    if (a.onBusy !== undefined) {
      if (nested) out.push(`${at}.onBusy cannot nest`);
      else checkActions(a.onBusy, `${at}.onBusy`, out, true);
    }
  });
}

export function raceConfigProblems(c: RaceConfig): string[] {
  const p: string[] = [];
  for (const k of Object.keys(c)) if (!KNOWN.has(k)) p.push(`unknown option ${k}`);
  if (c.threads !== undefined && !intIn(c.threads, 1, MAX_THREADS))
    p.push(`threads must be an integer 1..${MAX_THREADS} (got ${String(c.threads)})`);
  if (c.durationMs !== undefined && !intIn(c.durationMs, 0, MAX_DURATION_MS))
    p.push(`durationMs must be an integer 0..${MAX_DURATION_MS} (a day) (got ${String(c.durationMs)})`);
  if (c.racers !== undefined && !intIn(c.racers, -1, MAX_THREADS))
    p.push(`racers must be an integer -1..${MAX_THREADS} (-1: one per online CPU) (got ${String(c.racers)})`);
  if (c.stepAsideUs !== undefined && !intIn(c.stepAsideUs, 0, 1_000_000))
    p.push(`stepAsideUs must be an integer 0..1000000 (0: workers never step aside) (got ${String(c.stepAsideUs)})`);
  checkActions(c.create, 'create', p);
  checkActions(c.remove, 'remove', p);
  const hasTarget = (c.files?.length ?? 0) > 0 || c.enable || (c.dirs?.length ?? 0) > 0 || c.list;
  if (!hasTarget) p.push('nothing to race: give files, enable, dirs or list');
  for (const [i, d] of (c.dirs ?? []).entries())
    if (!d.names?.length) p.push(`dirs[${i}].names must list at least one name`);
  if (c.busyCheckEvery && !c.enable) p.push('busyCheckEvery needs enable (the file the check writes 1 to)');
  if (c.durationMs === 0 && !c.maxCycles) p.push('durationMs 0 needs maxCycles (or the run never ends by itself)');
  return p;
}
