// SPDX-License-Identifier: GPL-2.0-only
// A race that stopped on the tool's own failure (stats.resourceError): what
// failed and the line that fixes it, with the fd numbers the engine measured.
import { native } from '../native/index.js';
import type { ToolFault } from '../model.js';
import { fixFor } from '../tool-fault.js';
import type { RaceConfig, RaceStats } from './types.js';

/** The most threads (below `threads`) whose fds fit `limit` beside `open`; 0 when none does. */
export function threadsThatFit(config: RaceConfig, threads: number, open: number, limit: number): number {
  for (let t = threads - 1; t >= 1; t--) if (open + native.raceFdsNeeded(config, t) <= limit) return t;
  return 0;
}

/** "raise the fd limit: ulimit -n N, or lower --threads to M": N is what this run needs. */
export function fdFixLine(needTotal: number, fitThreads: number): string {
  const lower = fitThreads > 0 ? `, or lower --threads to ${fitThreads}` : '';
  return `raise the fd limit: ulimit -n ${needTotal}${lower}`;
}

function who(thread: number): string {
  if (thread >= 0) return `worker ${thread}`;
  return thread === -1 ? 'controller' : 'engine';
}

/** The fault a race stopped on, or undefined when it stopped on none. */
export function raceFault(stats: RaceStats, config: RaceConfig, tracefs?: string): ToolFault | undefined {
  const r = stats.resourceError;
  if (!r) return undefined;
  const b = stats.fdBudget;
  if (r.op === 'fd budget' && b) {
    return {
      code: r.code,
      cause: `the race needs ${b.needed} fds for ${stats.threads} threads beside the ${b.open} open; the fd limit is ${b.limit}`,
      fix: fdFixLine(b.open + b.needed, threadsThatFit(config, stats.threads, b.open, b.limit)),
    };
  }
  if (r.op === 'thread') {
    // path: how many workers started; leave room for the controller and the drop_caches thread.
    const started = Number(r.path);
    const fit = Math.max(1, started - 2);
    return {
      code: r.code,
      cause: `could not create the race's threads (${started} of ${stats.threads} workers started): ${r.code}`,
      fix: `free memory or raise the address-space limit (ulimit -v), or lower --threads to ${fit}`,
    };
  }
  const where = r.path ? `(${r.path})` : '';
  const cause =
    `${who(r.thread)}: ${r.op}${where}: ${r.code}` + (r.stops > 1 ? ` (${r.stops} threads stopped on one)` : '');
  // Out of fds although the budget fit: something else in the process holds them; ask for twice the limit.
  const fdLine = b && b.limit ? fdFixLine(Math.max(2 * b.limit, b.open + b.needed), 0) : undefined;
  return {
    code: r.code,
    cause,
    fix: fixFor(r.code, { ...(fdLine ? { fdLine } : {}), ...(tracefs ? { tracefs } : {}) }),
  };
}
