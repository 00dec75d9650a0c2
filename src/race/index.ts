// SPDX-License-Identifier: GPL-2.0-only
export { runRace, toStats, RaceConfigError } from './engine.js';
export { raceConfigProblems, MAX_THREADS, MAX_DURATION_MS } from './validate.js';
export { controlAction, disableAction, mkdirAction, rmdirAction } from './actions.js';
export { progressLine, summaryLines } from './format.js';
export * from './types.js';
