// SPDX-License-Identifier: GPL-2.0-only
// What the runner's unit tests plant: a tracefs that is an empty temp
// directory (the planted scenarios create nothing in it) and scenarios whose
// outcome the test decides.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { Scenario, ScenarioContext, ScenarioOutcome } from '../../../src/scenarios/types.js';
import type { Tracefs } from '../../../src/tracefs/types.js';

/** A Tracefs over a fresh temp directory, removed after the file's tests. */
export function plantedTracefs(prefix: string): Tracefs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(root, { recursive: true }));
  return {
    root,
    mountedByUs: false,
    features: new Set(['uprobe_events', 'dynamic_events', 'instances']),
    kinds: ['uprobe'],
    kernel: { release: '6.18.0-test', version: '#1', machine: 'x86_64', numeric: [6, 18, 0] },
    readmeHas: () => false,
  };
}

export const plantedScenario = (
  id: string,
  run: (ctx: ScenarioContext) => Promise<ScenarioOutcome>,
  race = false,
): Scenario => ({
  id,
  title: id,
  description: id,
  requires: [],
  references: [],
  ...(race ? { race: true } : {}),
  run,
});

export const PASS: ScenarioOutcome = { status: 'PASS', evidence: [], checks: 1 };
