// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { checkConfig, kconfigDepends, kconfigSymbols, mergeConfig, parseFragment } from '../../../src/kernel/config.js';

describe('config fragments', () => {
  it('parses set and unset options, later lines winning, comments ignored', () => {
    const f = parseFragment('# a comment\nCONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C="x y"\nCONFIG_A=n\n\n');
    expect(f).toEqual([
      { name: 'A', value: 'n' },
      { name: 'B', value: 'n' },
      { name: 'C', value: '"x y"' },
    ]);
  });

  it('rewrites present options in place and appends new ones', () => {
    const base = 'CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_KEEP=y\n';
    const out = mergeConfig(base, [{ name: 'B', value: 'y' }, { name: 'A', value: 'n' }], [{ name: 'NEW', value: 'y' }]);
    expect(out).toBe('# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_KEEP=y\n# tracefs-regress fragments\nCONFIG_NEW=y\n');
  });

  it('lets a later fragment override an earlier one', () => {
    const out = mergeConfig('', [{ name: 'SLUB_TINY', value: 'y' }], [{ name: 'SLUB_TINY', value: 'n' }]);
    expect(out).toContain('# CONFIG_SLUB_TINY is not set');
    expect(out).not.toContain('CONFIG_SLUB_TINY=y');
  });

  it('reports options that did not stick, and ones this kernel does not define', () => {
    const wanted = parseFragment('CONFIG_A=y\n# CONFIG_MODULES is not set\nCONFIG_GONE=y\nCONFIG_S="v"\nCONFIG_OFF=y\n');
    const observed = new Map([
      ['A', 'y'],
      ['MODULES', 'undef'],
      ['S', 'v'],
      ['OFF', 'n'],
    ]);
    const r = checkConfig(wanted, observed, new Set(['A', 'MODULES', 'S', 'OFF']));
    expect(r.mismatches).toEqual([{ name: 'OFF', wanted: 'y', got: 'n' }]);
    expect(r.absent).toEqual(['GONE']);
  });

  it('treats an option missing from scripts/config output as undef', () => {
    const r = checkConfig([{ name: 'X', value: 'y' }], new Map(), new Set(['X']));
    expect(r.mismatches).toEqual([{ name: 'X', wanted: 'y', got: 'undef' }]);
  });

  it('finds Kconfig symbols and the depends of one', () => {
    const k = [
      'config FPROBE',
      '\tbool "Kernel Function Probe (fprobe)"',
      '\tdepends on FUNCTION_TRACER',
      '\tdepends on DYNAMIC_FTRACE_WITH_REGS',
      '\tselect RETHOOK',
      '',
      'menuconfig FTRACE',
      '\tbool "Tracers"',
      'config OTHER',
      '\tdepends on NOPE',
    ].join('\n');
    expect(kconfigSymbols(k)).toEqual(['FPROBE', 'FTRACE', 'OTHER']);
    expect(kconfigDepends(k, 'FPROBE')).toEqual(['FUNCTION_TRACER', 'DYNAMIC_FTRACE_WITH_REGS']);
    expect(kconfigDepends(k, 'FTRACE')).toEqual([]);
    expect(kconfigDepends(k, 'MISSING')).toEqual([]);
  });
});
