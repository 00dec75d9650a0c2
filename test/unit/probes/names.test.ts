// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import {
  validateName,
  validateSymbol,
  validatePath,
  assertSingleCommand,
  NameError,
  MAX_NAME_LEN,
} from '../../../src/probes/names.js';

describe('probe name validation', () => {
  it('accepts C identifiers up to the kernel limit', () => {
    expect(validateName('event', 'tfsr_123_abc')).toBe('tfsr_123_abc');
    expect(validateName('group', 'a'.repeat(MAX_NAME_LEN))).toHaveLength(MAX_NAME_LEN);
  });

  it.each([
    ['', 'empty'],
    ['ev\n-:other/victim', 'newline smuggling a second command'],
    ['ev other', 'whitespace'],
    ['ev:x', 'colon'],
    ['grp/ev', 'slash'],
    ['9lives', 'leading digit'],
    ['a'.repeat(MAX_NAME_LEN + 1), 'too long'],
    ['ev\t', 'tab'],
  ])('rejects %j (%s)', (name) => {
    expect(() => validateName('event', name)).toThrow(NameError);
  });

  it('names the problem and the rule in the message', () => {
    expect(() => validateName('group', 'a b')).toThrow(/not a C identifier/);
    expect(() => validateName('group', 'a'.repeat(65))).toThrow(/limit is 64/);
  });

  it('accepts kernel symbols with compiler suffixes, rejects anything that splits', () => {
    expect(validateSymbol('do_sys_openat2')).toBe('do_sys_openat2');
    expect(validateSymbol('foo.isra.0')).toBe('foo.isra.0');
    expect(() => validateSymbol('do_sys_open\n-:g/e')).toThrow(NameError);
    expect(() => validateSymbol('sym+4')).toThrow(NameError);
  });

  it('accepts plain absolute paths only', () => {
    expect(validatePath('/usr/bin/true')).toBe('/usr/bin/true');
    for (const bad of ['bin/true', '/bin/tr ue', '/bin/true:0x10', '/bin/true\n', '/a//b']) {
      expect(() => validatePath(bad)).toThrow(NameError);
    }
  });

  it('the last gate refuses multi-command lines', () => {
    expect(assertSingleCommand('-:g/e')).toBe('-:g/e');
    for (const bad of ['p:g/e x\n-:a/b', ' p:g/e x', 'p:g/e x ', '', 'a\rb']) {
      expect(() => assertSingleCommand(bad)).toThrow(NameError);
    }
  });

  // Found by the property tests (names.props.test.ts); each failed before the fix.
  it('refuses a path that is not normalised: ".." and "." components, a trailing "/", "/" alone', () => {
    for (const bad of ['/usr/bin/../../etc/shadow', '/./bin/true', '/bin/.', '/usr/..', '/usr/bin/', '/']) {
      expect(() => validatePath(bad)).toThrow(NameError);
    }
    expect(validatePath('/usr/lib/x86_64-linux-gnu/libc.so.6')).toBe('/usr/lib/x86_64-linux-gnu/libc.so.6');
    expect(validatePath('/opt/.hidden/..x/a...b')).toBe('/opt/.hidden/..x/a...b');
  });

  it('the last gate refuses non-ASCII the kernel reads as space or control (U+00A0 is bytes c2 a0; isspace(0xa0))', () => {
    for (const bad of ['p:g/e\u00a0x', 'p:g/e x\u0085', 'p:g/e x\u2028-:a/b', '\ufeffp:g/e x', 'p:g/e \u0820']) {
      expect(() => assertSingleCommand(bad)).toThrow(NameError);
    }
  });

  it('refuses non-strings with NameError, not a TypeError or a symbol named "null"', () => {
    expect(() => validateSymbol(null as unknown as string)).toThrow(NameError);
    expect(() => validateSymbol(undefined as unknown as string)).toThrow(NameError);
    expect(() => assertSingleCommand(0 as unknown as string)).toThrow(NameError);
    expect(() => validatePath(undefined as unknown as string)).toThrow(NameError);
  });
});
