// SPDX-License-Identifier: GPL-2.0-only
// scripts/explore-actions.mjs: the coverage a blind run states, counted from
// a planted stream (a write through an earlier open's fd is named by the file
// it opened; a later guest's stream counts too); a wrong dir is exit 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '../../../scripts/explore-actions.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explore-actions-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const program = (n: number, actions: unknown[]) => JSON.stringify({ t: 'program', n, ms: n, program: { actions } });

describe('explore-actions', () => {
  it('counts calls, files by kind, definitions by type and races, over every guest', async () => {
    fs.writeFileSync(
      path.join(dir, 'stream.jsonl'),
      [
        JSON.stringify({ t: 'start', seed: 1 }),
        program(0, [
          { kind: 'call', call: 'open', args: [{ t: '{root}/kprobe_events' }, { n: 1025 }] },
          { kind: 'call', call: 'write', args: [{ fd: 0 }, { t: 'p:{id}_g3/e1 do_sys_openat2' }] },
          { kind: 'call', call: 'stat', args: [{ t: '{root}/instances/{id}_i1/events/{id}_g3/e1/enable' }] },
        ]),
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'stream-2.jsonl'),
      program(0, [
        {
          kind: 'race',
          config: {
            threads: 3,
            create: [{ path: '{root}/uprobe_events', line: 'p:{id}_g1/e1 /bin/true:0x0' }],
            weights: { stat: 2, getdents: 0 },
            heldDirfds: 2,
          },
        },
      ]),
    );
    const r = await execa(process.execPath, [SCRIPT, dir, '--json']);
    const { programs, actions, counts } = JSON.parse(r.stdout);
    expect({ programs, actions }).toEqual({ programs: 2, actions: 4 });
    expect(counts).toMatchObject({
      'call open': 1,
      'call write': 1,
      'file kprobe_events': 2,
      'write kprobe_events p:': 1,
      'file instance event enable': 1,
      'race uprobe_events p: 3 threads': 1,
      'race op stat': 1,
      'race holds dirfds': 1,
    });
    expect(counts['race op getdents']).toBeUndefined();
  });

  it('a directory without a stream is exit 2, naming the problem', async () => {
    const r = await execa(process.execPath, [SCRIPT, os.tmpdir() + '/no-such-explore-dir'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/usage: .*explore --out directory/);
  });
});
