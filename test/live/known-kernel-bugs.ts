// Kernel bugs the suite has found on the machines its own tests run on. The
// tool reports them as FAIL (that is its job); the live tests leave those
// scenarios to the VM tests instead of oopsing a shared host on every run.
// TRACEFS_REGRESS_RUN_KNOWN_BUGS=1 runs them anyway.
import os from 'node:os';

interface KnownBug {
  release: RegExp;
  scenarios: string[];
  what: string;
}

export const KNOWN_BUGS: KnownBug[] = [
  {
    // Measured 2026-11-25 on 6.18.44-fc-v782: 14 oopses, taint D, with the engine and with the plain C
    // reference alike (scripts/bench/race-ref.c). Debian's 6.12 and 6.18 kernels pass these in the VM tests.
    release: /^6\.18\.44-fc-/,
    scenarios: ['race-getdents', 'race-drop-caches', 'race-instances', 'race-recreate'],
    what:
      'this kernel oopses (NULL dereference at 0x50 in eventfs_iterate+0x2ae) when getdents64 of events/<group>/ races ' +
      'removal of the group\'s events; the tool reports it as FAIL; these run in the VM tests instead',
  },
];

export function knownBug(scenario: string, release = os.release()): string | undefined {
  if (process.env.TRACEFS_REGRESS_RUN_KNOWN_BUGS === '1') return undefined;
  const bug = KNOWN_BUGS.find((b) => b.release.test(release) && b.scenarios.includes(scenario));
  return bug && `${release}: ${bug.what}`;
}
