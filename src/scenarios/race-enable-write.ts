// SPDX-License-Identifier: GPL-2.0-only
// id: race-enable-write
// Writers toggle enable while the event is removed: a removal must wait
// (EBUSY) while the event is enabled, and no write may enable it after its
// removal returned, neither by path nor through an fd kept from before.
import { probeRaceScenario } from './race-kit.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = probeRaceScenario(
  {
    id: 'race-enable-write',
    title: 'enable writers racing removal never enable a removed event',
    description:
      'Workers write 0 and 1 to enable (open, write, close) and through enable fds held from earlier generations while ' +
      'the controller removes the event, disabling it and retrying whenever the removal gives EBUSY. A write that ' +
      'succeeds after the removal returned is a violation (expected ENODEV), as is an open of enable that succeeds ' +
      'inside an absent generation.',
    requires: [],
    references: [
      'CVE-2023-52879 tracing: Have trace_event_file have ref counters (fd held on enable across removal)',
      'synthetic events: `echo 0 > events/synthetic/X/enable` racing `echo > synthetic_events` (UAF of file->tr)',
      '8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function',
    ],
  },
  {
    weights: { enableWrite: 4, heldWrite: 2, openRead: 1 },
    dwellPresentUs: 50,
    dwellAbsentUs: 50,
  },
);
