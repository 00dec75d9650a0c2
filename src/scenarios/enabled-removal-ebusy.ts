// SPDX-License-Identifier: GPL-2.0-only
// id: enabled-removal-ebusy
// Removing an enabled event would free what the tracer still calls into: the
// kernel must refuse with EBUSY and keep the event whole.
import { C, writeOnce, readText, isErr } from '../native/index.js';
import { expectGone, REQUIRED_FILES } from './event-files.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = {
  id: 'enabled-removal-ebusy',
  title: 'removing an enabled event gives EBUSY; disabled, it goes',
  description:
    'Enable the event, try to remove it: EBUSY, and every file still opens and enable reads 1. Write 0 to enable: ' +
    'removal succeeds and the files give ENOENT.',
  requires: [],
  references: [
    'trace_probe/dyn_event: removal of a busy event returns -EBUSY (dyn_event_release, trace_probe_unregister_event_call)',
  ],
  async run(ctx) {
    const { sys } = ctx;
    const exp = ctx.checks();
    const ev = ctx.newProbe();
    exp.must(`create ${ev.create.line}`, ev.add());
    const enable = `${ev.eventDir}/enable`;
    exp.must(`write 1 to ${enable}`, writeOnce(sys, enable, '1'));
    try {
      exp.fails(`write "${ev.remove.line}" (enabled)`, ev.remove.file, ev.delete(), 'EBUSY');
      for (const f of REQUIRED_FILES) {
        const fd = sys.open(`${ev.eventDir}/${f}`, C.O_RDONLY);
        if (exp.succeeds('open (event still present)', `${ev.eventDir}/${f}`, fd)) sys.close(fd);
      }
      const state = readText(sys, enable);
      exp.that(
        !isErr(state) && state.trim() === '1',
        'read',
        enable,
        '1',
        isErr(state) ? state.code : JSON.stringify(state.trim()),
      );
    } finally {
      exp.succeeds('write 0', enable, writeOnce(sys, enable, '0'));
    }
    exp.succeeds(`write "${ev.remove.line}" (disabled)`, ev.remove.file, ev.delete());
    expectGone(sys, exp, enable);
    return exp.outcome();
  },
};
