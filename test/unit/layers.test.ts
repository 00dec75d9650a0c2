// SPDX-License-Identifier: GPL-2.0-only
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, layerProblems, TIERS, type Edge } from '../layers/graph.js';

const edge = (from: string, to: string): Edge => ({ from, to });

describe('the import graph of src/', () => {
  it('points one way: no import into a higher tier, no cycle between folders', () => {
    expect(layerProblems(importsOf(path.resolve(__dirname, '../../src')))).toEqual([]);
  });

  it('has about five tiers, each naming its units once', () => {
    expect(TIERS.map((t) => t.name)).toEqual(['foundation', 'kernel interfaces', 'suite', 'drivers', 'cli']);
    expect(layerProblems([])).toEqual([]);
  });

  it('lets a unit import a peer in its tier and any lower tier', () => {
    expect(
      layerProblems([
        edge('race/engine.ts', 'probes/names.ts'),
        edge('expectations/apply.ts', 'report/types.ts'),
        edge('cli/main.ts', 'errors.ts'),
        edge('host/lock.ts', 'errors.ts'),
      ]),
    ).toEqual([]);
  });

  it('sees an upward import (planted graph)', () => {
    expect(layerProblems([edge('tracefs/mount.ts', 'cli/errors.ts')])).toEqual([
      'upward import: tracefs/mount.ts -> cli/errors.ts (tracefs is in kernel interfaces, below cli in cli)',
    ]);
    expect(layerProblems([edge('report/text.ts', 'runner/run-suite.ts')])).toEqual([
      'upward import: report/text.ts -> runner/run-suite.ts (report is in suite, below runner in drivers)',
    ]);
  });

  it('sees a cycle inside a tier, and a longer one through three peers (planted graphs)', () => {
    expect(layerProblems([edge('runner/a.ts', 'vm/b.ts'), edge('vm/b.ts', 'runner/a.ts')])).toEqual([
      'cycle inside tier drivers: runner, vm import each other in a loop',
    ]);
    expect(
      layerProblems([
        edge('tracefs/a.ts', 'probes/b.ts'),
        edge('probes/b.ts', 'race/c.ts'),
        edge('race/c.ts', 'tracefs/d.ts'),
      ]),
    ).toEqual(['cycle inside tier kernel interfaces: probes, race, tracefs import each other in a loop']);
  });

  it('sees a cycle across tiers as an upward import and a cycle', () => {
    const cyclic = layerProblems([edge('race/a.ts', 'scenarios/b.ts'), edge('scenarios/b.ts', 'race/a.ts')]);
    expect(cyclic).toEqual([
      'upward import: race/a.ts -> scenarios/b.ts (race is in kernel interfaces, below scenarios in suite)',
      'cycle across tiers: race, scenarios import each other in a loop',
    ]);
  });

  it('names a cycle inside a tier even when it is part of one across tiers (planted graph)', () => {
    expect(
      layerProblems([
        edge('health/a.ts', 'scenarios/b.ts'),
        edge('scenarios/b.ts', 'tracefs/c.ts'),
        edge('tracefs/c.ts', 'health/d.ts'),
        edge('health/d.ts', 'tracefs/e.ts'),
      ]),
    ).toEqual([
      'upward import: health/a.ts -> scenarios/b.ts (health is in kernel interfaces, below scenarios in suite)',
      'cycle inside tier kernel interfaces: health, tracefs import each other in a loop',
      'cycle across tiers: health, scenarios, tracefs import each other in a loop',
    ]);
  });

  it('sees a unit no tier names, and one two tiers name (planted)', () => {
    expect(layerProblems([edge('gadgets/x.ts', 'errors.ts')])).toEqual([
      'gadgets is in no tier: add it to TIERS in test/layers/graph.ts',
    ]);
    const twice = [...TIERS, { name: 'extra', units: ['vm'] }];
    expect(layerProblems([], twice)).toEqual(['vm is in two tiers: drivers and extra']);
  });

  it('counts imports inside one folder as nothing to check', () => {
    expect(layerProblems([edge('vm/boot.ts', 'vm/qemu.ts'), edge('cli/commands/run.ts', 'cli/parse.ts')])).toEqual([]);
  });
});
