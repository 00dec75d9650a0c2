// SPDX-License-Identifier: GPL-2.0-only
// id: race-instances
// Instance mkdir/rmdir racing readers of the instance's copy of our event's
// files (ftracetest's instance-event test, with our probe present in the
// instance): once rmdir returned, nothing under the instance may open.
import { isErr } from '../native/index.js';
import { mkdirAction, rmdirAction } from '../race/actions.js';
import { discoverFiles, runRaceScenario, SetupError } from './race-kit.js';
import type { RacePlan, Scenario } from './types.js';

// No enable writers: each one holds event_mutex for a uprobe
// (un)registration, and rmdir waits behind them for tens of ms.
const plan: RacePlan = {
  target: 'instance',
  weights: { openRead: 4, stat: 2, openat: 1, fstatat: 1, getdents: 1 },
  dwellPresentUs: 100,
  dwellAbsentUs: 50,
};

export const scenario: Scenario = {
  id: 'race-instances',
  title: 'instance mkdir/rmdir racing readers of its event files',
  description:
    'Our event exists throughout; the controller creates and removes instances/tfsr_... in a loop (rmdir retried on ' +
    "EBUSY while a worker has one of its files open) while workers open, read, stat and enable the event's files " +
    'inside the instance and use dirfds held on its event and group dirs. After rmdir returned, every path and ' +
    'dirfd into the instance must give ENOENT; while it exists, none may.',
  requires: ['instances'],
  references: [
    'ftracetest test.d/instances/instance-event.tc',
    'CVE-2023-52879 tracing: Have trace_event_file have ref counters',
    '8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function',
  ],
  excludeKinds: ['synthetic'],
  race: true,
  racePlan: plan,
  async run(ctx) {
    const { sys } = ctx;
    const probe = ctx.newProbe();
    const files = discoverFiles(sys, probe);
    const inst = ctx.newInstance();
    const add = probe.add();
    if (isErr(add)) throw new SetupError(`create ${probe.create.line}: ${add.code}`);
    try {
      const dir = probe.dirIn(inst);
      const groupDir = `${inst}/events/${probe.group}`;
      return await runRaceScenario(ctx, 'race-instances', [], {
        create: [mkdirAction(inst)],
        remove: [rmdirAction(inst)],
        files: files.map((f) => `${dir}/${f}`),
        enable: `${dir}/enable`,
        dirs: [
          { path: dir, names: files },
          { path: groupDir, names: [`${probe.event}/enable`, probe.event] },
        ],
        list: { dir: groupDir, name: probe.event },
        weights: plan.weights,
        dwellPresentUs: plan.dwellPresentUs,
        dwellAbsentUs: plan.dwellAbsentUs,
      });
    } finally {
      // The instance is gone (the engine ends absent); the event was never enabled at the top level.
      probe.delete();
    }
  },
};
