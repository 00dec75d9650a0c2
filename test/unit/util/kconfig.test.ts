// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { parseConfigLine, parseKconfig, renderConfigLine } from '../../../src/util/kconfig.js';
import { BUILTIN_REQUIRED, MODULAR_OK, missingOptions } from '../../../src/vm/kernels/custom.js';
import { parseKernelConfig } from '../../../src/tracefs/kernel.js';
import { parseFragment } from '../../../src/kernel/config.js';

describe('kernel config parser', () => {
  it('reads set and unset options, values as written, later lines winning', () => {
    const c = parseKconfig('CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_S="x = y # z"\nCONFIG_N=0x10\nCONFIG_A=m\n');
    expect([...c]).toEqual([
      ['A', 'm'],
      ['B', 'n'],
      ['S', '"x = y # z"'],
      ['N', '0x10'],
    ]);
  });

  it('ignores blanks, other comments, indentation and CRLF line ends', () => {
    const c = parseKconfig('#\n# Automatically generated file\n\n  CONFIG_A=y  \r\n# CONFIG_B is not set\r\n');
    expect([...c]).toEqual([
      ['A', 'y'],
      ['B', 'n'],
    ]);
  });

  it('sets nothing from a malformed line (planted), so a checker sees the option as missing', () => {
    for (const bad of [
      'CONFIG_TRACING y',
      'CONFIG_=y',
      'CONFIG TRACING=y',
      '#CONFIG_TRACING is not set',
      'TRACING=y',
      'CONFIG_TRAC-ING=y',
    ]) {
      expect(parseConfigLine(bad), bad).toBeUndefined();
    }
    const good = [...BUILTIN_REQUIRED.filter((o) => o !== 'TRACING'), ...MODULAR_OK];
    const text = good.map((o) => `CONFIG_${o}=y`).join('\n') + '\nCONFIG_TRACING y\n';
    expect(missingOptions(parseKconfig(text), true)).toEqual(['CONFIG_TRACING=y']);
  });

  it('renders what it parses', () => {
    for (const line of ['CONFIG_A=y', '# CONFIG_B is not set', 'CONFIG_S="v"']) {
      expect(renderConfigLine(parseConfigLine(line)!)).toBe(line);
    }
  });

  it('is the one parser behind tracefs/, vm/ and kernel/', () => {
    const text = 'CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_A=m\n';
    expect([...parseKernelConfig(text)]).toEqual([...parseKconfig(text)].map(([k, v]) => [`CONFIG_${k}`, v]));
    expect(parseFragment(text)).toEqual([...parseKconfig(text)].map(([name, value]) => ({ name, value })));
  });
});
