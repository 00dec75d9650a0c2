// SPDX-License-Identifier: GPL-2.0-only
// What `explore` does once its options are checked: explore this machine
// (--here, what the guest runs) or boot a guest and follow it (host.ts).
import { EXIT } from '../errors.js';
import { interruptScope } from '../util/interrupt.js';
import { exploreInGuest } from './host.js';
import type { ExplorePlan } from './options.js';

export async function runExplore(plan: ExplorePlan): Promise<number> {
  const say = (m: string) => process.stderr.write(`explore: ${m}\n`);
  const stop = interruptScope({ onSignal: (s) => say(`${s}: stopping`) });
  try {
    if ('here' in plan.where) {
      const { exploreHere } = await import('./here.js');
      return await exploreHere(plan, { say, signal: stop.signal });
    }
    const code = await exploreInGuest(plan, { say, signal: stop.signal });
    return stop.received ? EXIT.sigint : code;
  } finally {
    stop.dispose();
  }
}
