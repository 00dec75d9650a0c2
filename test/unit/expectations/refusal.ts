// SPDX-License-Identifier: GPL-2.0-only
// The one way these tests read a refusal: a UsageError (exit 2) whose
// message is returned for the test to match; an accepted input fails the test.
import { expect } from 'vitest';
import { UsageError } from '../../../src/errors.js';

export function refusalOf(parse: (text: string) => unknown, text: string): string {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error(`accepted: ${text}`);
}
