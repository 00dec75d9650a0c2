import { describe, expect, it } from 'vitest';
import { fragmentDifferences } from '../../../src/cli/commands/doctor.js';

describe('doctor: running config against the fragment', () => {
  it('names each option not as the fragment asks, and accepts unset-wanted ones', () => {
    const running = new Map([
      ['CONFIG_KPROBE_EVENTS', 'y'],
      ['CONFIG_9P_FS', 'm'],
      ['CONFIG_MODULES', 'n'],
    ]);
    const frag = 'CONFIG_KPROBE_EVENTS=y\nCONFIG_9P_FS=y\nCONFIG_FPROBE_EVENTS=y\n# CONFIG_MODULES is not set\n';
    expect(fragmentDifferences(running, frag)).toEqual(['9P_FS=m (wanted y)', 'FPROBE_EVENTS=undef (wanted y)']);
  });
});
