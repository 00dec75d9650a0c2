// SPDX-License-Identifier: GPL-2.0-only
// Cleanup is part of correctness: whatever a scenario left (an instance, a
// probe enabled inside it and at the top level) release() removes.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leftovers, liveSkipReason, tracefsRoot } from './live-env.js';
import { Ownership } from '../../src/probes/ownership.js';
import { onTeardown } from '../../src/runner/teardown.js';

const live = describe.skipIf(!!liveSkipReason);

live('Ownership.release', () => {
  it('removes an instance and a probe enabled in it and at the top level, from any cwd', () => {
    const root = tracefsRoot();
    const owner = new Ownership(root, onTeardown);
    // The lease exists from the start, and is held: rmdir of it is EBUSY (the kernel fact liveness rests on).
    const lease = `${root}/instances/${owner.runId}_lease`;
    expect(fs.existsSync(lease)).toBe(true);
    expect(() => fs.rmdirSync(lease)).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    const inst = owner.newInstance();
    fs.mkdirSync(inst);
    const p = owner.newProbe('uprobe');
    expect(p.add()).toBeTypeOf('number');
    fs.writeFileSync(`${p.dirIn(inst)}/enable`, '1');
    fs.writeFileSync(`${p.eventDir}/enable`, '1');
    const cwd = process.cwd();
    process.chdir('/');
    try {
      expect(owner.close()).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
    expect(fs.existsSync(inst)).toBe(false);
    expect(fs.existsSync(p.eventDir)).toBe(false);
    expect(fs.existsSync(lease)).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
