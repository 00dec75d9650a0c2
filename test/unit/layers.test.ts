import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, layerProblems, type Edge } from '../layers/graph.js';

const edge = (from: string, to: string): Edge => ({ from, to });

describe('the import graph of src/', () => {
  it('points one way: no upward import, no cycle between folders', () => {
    expect(layerProblems(importsOf(path.resolve(__dirname, '../../src')))).toEqual([]);
  });

  it('sees an upward import, an import within a layer, an unknown folder and a cycle (planted graphs)', () => {
    expect(layerProblems([edge('tracefs/mount.ts', 'cli/errors.ts')])).toEqual([
      'upward import: tracefs/mount.ts -> cli/errors.ts (tracefs is below cli)',
    ]);
    expect(layerProblems([edge('errors.ts', 'model.ts')])).toEqual([
      'import within one layer: errors.ts -> model.ts (errors.ts and model.ts share a layer)',
    ]);
    expect(layerProblems([edge('gadgets/x.ts', 'errors.ts')])).toEqual([
      'gadgets is in no layer: add it to LAYERS in test/layers/graph.ts',
    ]);
    const cyclic = layerProblems([edge('race/a.ts', 'scenarios/b.ts'), edge('scenarios/b.ts', 'race/a.ts')]);
    expect(cyclic).toContain('cycle among units: race, scenarios import each other in a loop');
    expect(cyclic).toContain('upward import: race/a.ts -> scenarios/b.ts (race is below scenarios)');
  });

  it('counts imports inside one folder as nothing to check', () => {
    expect(layerProblems([edge('vm/boot.ts', 'vm/qemu.ts'), edge('cli/commands/run.ts', 'cli/parse.ts')])).toEqual([]);
  });
});
