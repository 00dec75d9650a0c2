// SPDX-License-Identifier: GPL-2.0-only
// id: instance-files
// Instances carry their own copy of every event's files: removal must reach
// them too, busy instance files must hold the instance, and rmdir must leave
// nothing reachable.
import { C, writeOnce, isErr } from '../native/index.js';
import { createWarm, expectGone, warm } from './event-files.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = {
  id: 'instance-files',
  title: 'event files inside an instance follow removal, EBUSY and rmdir',
  description:
    "In instances/tfsr_...: the probe's files appear; removal while the instance's enable is open succeeds and the " +
    "instance's files give ENOENT; removal while enabled in the instance gives EBUSY; rmdir of the instance while one " +
    'of its files is open gives EBUSY, and after close it succeeds and every instance path gives ENOENT.',
  requires: ['instances'],
  references: [
    'CVE-2023-52879: tracing: Have trace_event_file have ref counters',
    'ftracetest test.d/instances/instance-event.tc',
  ],
  async run(ctx) {
    const { sys } = ctx;
    const exp = ctx.checks();
    const inst = ctx.newInstance();
    exp.must(`mkdir ${inst}`, sys.mkdir(inst, 0o755));
    const ev = ctx.newProbe();
    const dir = ev.dirIn(inst);
    const files = createWarm(sys, exp, ev, dir);

    // 1. An open instance file does not block removal, and the files go.
    const held = exp.must(`open ${dir}/enable`, sys.open(`${dir}/enable`, C.O_RDWR));
    exp.succeeds(`write "${ev.remove.line}" (instance enable open)`, ev.remove.file, ev.delete());
    exp.fails('write "1" (instance fd held across removal)', `${dir}/enable`, sys.write(held, '1'), 'ENODEV');
    exp.succeeds('close', `${dir}/enable`, sys.close(held));
    for (const f of files) expectGone(sys, exp, `${dir}/${f}`);

    // 2. Enabled in the instance only: removal is refused.
    exp.must(`re-create ${ev.create.line}`, ev.add());
    // A re-created event that cannot be enabled in the instance is the stale-dentry bug itself.
    if (
      !exp.succeeds(
        'write "1" (re-created event, in the instance)',
        `${dir}/enable`,
        writeOnce(sys, `${dir}/enable`, '1'),
      )
    ) {
      return exp.outcome();
    }
    exp.fails(`write "${ev.remove.line}" (enabled in instance)`, ev.remove.file, ev.delete(), 'EBUSY');
    exp.must(`write 0 to ${dir}/enable`, writeOnce(sys, `${dir}/enable`, '0'));
    exp.succeeds(`write "${ev.remove.line}" (disabled)`, ev.remove.file, ev.delete());

    // 3. rmdir of an instance with a file open is refused; after close it goes, and so do its paths.
    exp.must(`re-create ${ev.create.line}`, ev.add());
    warm(sys, dir, files, 1);
    const busy = exp.must(`open ${dir}/enable`, sys.open(`${dir}/enable`, C.O_RDONLY));
    const r = sys.rmdir(inst);
    exp.fails('rmdir (an instance file open)', inst, r, 'EBUSY');
    exp.succeeds('close', `${dir}/enable`, sys.close(busy));
    if (isErr(r)) exp.succeeds('rmdir (after close)', inst, sys.rmdir(inst));
    for (const f of files) expectGone(sys, exp, `${dir}/${f}`);
    expectGone(sys, exp, inst);
    exp.succeeds('stat (top-level event unaffected)', `${ev.eventDir}/enable`, sys.stat(`${ev.eventDir}/enable`));
    return exp.outcome();
  },
};
