// SPDX-License-Identifier: GPL-2.0-only
// What `explore` does once its options are checked: explore this machine
// (--here, what the guest runs) or boot a guest and follow it (host.ts).
import { EXIT } from '../errors.js';
import { interruptScope } from '../util/interrupt.js';
import type { ExplorePlan } from './options.js';
import type { LineSink } from './progress.js';

/** The guest's stderr is a serial tty: plain lines only, the host draws the live line from the records. */
const PLAIN: LineSink = { update: () => {}, print: (line) => process.stderr.write(`${line}\n`) };

export async function runExplore(plan: ExplorePlan, tty: LineSink): Promise<number> {
  const progress = plan.stream ? PLAIN : tty;
  const say = (m: string) => progress.print(`explore: ${m}`);
  const stop = interruptScope({ onSignal: (s) => say(`${s}: stopping`) });
  try {
    if ('here' in plan.where) {
      const { exploreHere } = await import('./here.js');
      return await exploreHere(plan, { say, progress, signal: stop.signal });
    }
    // Each side loads only its own modules: inside a TCG guest every module read over 9p costs.
    const { exploreInGuest } = await import('./host.js');
    const code = await exploreInGuest(plan, { say, progress, signal: stop.signal });
    return stop.received ? EXIT.sigint : code;
  } finally {
    stop.dispose();
  }
}
