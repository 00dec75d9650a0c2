// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/errors.js';
import { coverageBuild, planCoverage, type CoverageHost, type CoverageOpts } from '../../../src/coverage/vm.js';
import { gcovToolFor, missingLcov } from '../../../src/coverage/lcov.js';

const B = '/c/build/tiny-coverage';
const CONFIG = 'CONFIG_GCC_VERSION=120200\nCONFIG_GCOV_KERNEL=y\nCONFIG_KCOV=y\n';

function host(o: { config?: string; out?: boolean; programs?: string[] } = {}): CoverageHost {
  const programs = o.programs ?? ['lcov', 'genhtml', 'gcov-12', 'gcov'];
  return {
    exists: (p) => p === `${B}/tree/out` && o.out !== false,
    readFile: (p) => (p === `${B}/config` ? (o.config ?? CONFIG) : undefined),
    program: (p) => programs.includes(p),
  };
}

const opts = (o: Partial<CoverageOpts> = {}): CoverageOpts => ({ coverage: '/tmp/x', kernel: [`${B}/bzImage`], ...o });

/** The thrown error's exit code and message. */
function failure(f: () => unknown): { code: number; message: string } {
  try {
    f();
  } catch (e) {
    return { code: (e as { exitCode: number }).exitCode, message: (e as Error).message };
  }
  throw new Error('did not throw');
}

describe('vm --coverage: which kernels', () => {
  it("takes a coverage build's bzImage: its tree, object dir and the gcov of its compiler", () => {
    expect(coverageBuild(opts(), host())).toEqual({ tree: `${B}/tree`, objDir: `${B}/tree/out`, gcovTool: 'gcov-12' });
    expect(coverageBuild(opts(), host({ programs: ['gcov'] })).gcovTool).toBe('gcov');
  });

  it.each([
    [
      'a Debian kernel',
      opts({ kernel: ['debian:6.12'] }),
      host(),
      /debian:6.12 has no gcov; build one with `tracefs-regress kernel build --coverage`/,
    ],
    ['two kernels', opts({ kernel: [`${B}/bzImage`, `${B}/bzImage`] }), host(), /exactly one --kernel/],
    ['a matrix', opts({ matrix: 'debian' }), host(), /no --matrix/],
    ['several boots', opts({ boots: '3' }), host(), /drop --boots/],
    ['a shard', opts({ shard: '1/2' }), host(), /drop --shard/],
    ['--fetch-only', opts({ fetchOnly: true }), host(), /boots nothing/],
    ['an image with no config beside it', opts({ kernel: ['/elsewhere/bzImage'] }), host(), /no config next to/],
    ['a kernel built without gcov', opts(), host({ config: 'CONFIG_KCOV=y\n' }), /built without CONFIG_GCOV_KERNEL/],
    ['a build whose object dir is gone', opts(), host({ out: false }), /tree\/out is gone/],
  ])('refuses %s with exit 2 and the fix', (_why, o, h, msg) => {
    const f = failure(() => coverageBuild(o, h));
    expect(f.code).toBe(EXIT.usage);
    expect(f.message).toMatch(msg);
  });

  it('refuses a missing lcov before anything is made, naming the package', () => {
    const f = failure(() =>
      planCoverage(opts({ coverage: '/nonexistent/should-not-be-made' }), host({ programs: ['gcov'] })),
    );
    expect(f.code).toBe(EXIT.usage);
    expect(f.message).toMatch(/needs lcov and genhtml \(Debian package lcov\): apt-get install .*lcov/);
  });

  it('is nothing without --coverage', () => {
    expect(planCoverage({ kernel: ['debian:6.12'] }, host())).toBeUndefined();
  });
});

describe('lcov helpers', () => {
  it('names what is missing', () => {
    expect(missingLcov(() => false)).toEqual(['lcov', 'genhtml']);
    expect(missingLcov((p) => p === 'lcov')).toEqual(['genhtml']);
  });
  it('picks gcov-<major> of the compiler that built the kernel', () => {
    expect(gcovToolFor('CONFIG_GCC_VERSION=140200\n', (p) => p === 'gcov-14')).toBe('gcov-14');
    expect(gcovToolFor('CONFIG_GCC_VERSION=140200\n', () => false)).toBe('gcov');
    expect(gcovToolFor('', () => true)).toBe('gcov');
  });
});
