// SPDX-License-Identifier: GPL-2.0-only
// The one colour decision (util/color.ts): --color first, then FORCE_COLOR,
// NO_COLOR, and the terminal.
import { afterEach, describe, expect, it } from 'vitest';
import { colorMode, setColorMode, useColor } from '../../../src/util/color.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

afterEach(() => setColorMode('auto'));

describe('useColor', () => {
  it('auto: a terminal only, unless NO_COLOR is set and non-empty', () => {
    expect(useColor(tty, {}, 'auto')).toBe(true);
    expect(useColor(pipe, {}, 'auto')).toBe(false);
    expect(useColor({}, {}, 'auto')).toBe(false);
    expect(useColor(tty, { NO_COLOR: '1' }, 'auto')).toBe(false);
    expect(useColor(tty, { NO_COLOR: '' }, 'auto')).toBe(true);
  });

  it('auto: FORCE_COLOR forces colour on a pipe (and over NO_COLOR, as in Node); 0 or false turns it off', () => {
    expect(useColor(pipe, { FORCE_COLOR: '1' }, 'auto')).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: '' }, 'auto')).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, 'auto')).toBe(true);
    expect(useColor(tty, { FORCE_COLOR: '0' }, 'auto')).toBe(false);
    expect(useColor(tty, { FORCE_COLOR: 'false' }, 'auto')).toBe(false);
  });

  it('always and never win over the stream and the environment', () => {
    expect(useColor(pipe, { NO_COLOR: '1' }, 'always')).toBe(true);
    expect(useColor(tty, { FORCE_COLOR: '1' }, 'never')).toBe(false);
  });

  it('uses the mode --color set for this process', () => {
    expect(colorMode()).toBe('auto');
    setColorMode('always');
    expect(useColor(pipe, {})).toBe(true);
    setColorMode('never');
    expect(useColor(tty, {})).toBe(false);
  });
});
