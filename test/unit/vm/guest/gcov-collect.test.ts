// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { gcovCollect, initScript, type GuestPlan } from '../../../../src/vm/guest/initramfs.js';

const plan: GuestPlan = { modules: [], sharePath: '/c/run/share', cwd: '/pkg', argv: ['/bin/true'], env: {} };

describe('gcovCollect', () => {
  it('copies every .gcda under debugfs gcov into the share, keeping its path, or leaves a MISSING note', () => {
    expect(gcovCollect('/host/sys/kernel/debug', '/host/c/run/share/gcov')).toBe(
      `if [ -d '/host/sys/kernel/debug/gcov' ]; then
  n=0; find '/host/sys/kernel/debug/gcov' -name '*.gcda' > /tmp/gcda.list
  while read -r f; do rel="\${f#/host/sys/kernel/debug/gcov/}"; mkdir -p '/host/c/run/share/gcov'/"\${rel%/*}" && cat "$f" > '/host/c/run/share/gcov'/"$rel" && n=$((n+1)); done < /tmp/gcda.list
  echo "tracefs-regress: $n .gcda files copied for --coverage"
else
  mkdir -p '/host/c/run/share/gcov' && echo "no /host/sys/kernel/debug/gcov: the kernel has no CONFIG_GCOV_KERNEL" > '/host/c/run/share/gcov'/MISSING
fi
`,
    );
  });

  it('runs after the command and before the exit code is written (9p), with no reset before the command', () => {
    const s = initScript({ ...plan, gcov: true });
    const cmd = s.indexOf('code=$?');
    const copy = s.indexOf("find '/host/sys/kernel/debug/gcov'");
    expect(copy).toBeGreaterThan(cmd);
    expect(s.indexOf('exit-code', cmd)).toBeGreaterThan(copy);
    expect(s).not.toContain('gcov/reset');
  });

  it('runs before the relay ends on a self-contained guest', () => {
    const s = initScript({ ...plan, gcov: true, relay: { node: '/n', script: '/r.js' } });
    expect(s.indexOf("find '/sys/kernel/debug/gcov'")).toBeLessThan(s.indexOf('kill -TERM $relay'));
    expect(s).toContain("'/c/run/share/gcov'/MISSING");
  });

  it('is absent without --coverage', () => {
    expect(initScript(plan)).not.toContain('gcda');
  });
});
