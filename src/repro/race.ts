// Race reproducers (the pthread program): written on branch h/repro-race.
// Until then, a race FAIL gets no file and the note RACE_NOT_YET.
import type { ScenarioResult } from '../report/types.js';
import type { ReproContext, Written } from './index.js';

export const RACE_NOT_YET = 'race reproducers: not yet';

/** The race scenario's C program written into ctx.dir, or undefined when none could be. */
export async function emitRace(_result: ScenarioResult, _ctx: ReproContext): Promise<Written | undefined> {
  return undefined;
}
