// SPDX-License-Identifier: GPL-2.0-only
// The addon's one entry (src/native/addon.ts) is a plain object read member by
// member: no Proxy intercepts a call and no global hook sees it (a recording
// wraps the Sys a scenario is given instead: src/repro/record.ts). Read from
// the sources, so it holds without the addon.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve(import.meta.dirname, '..', '..', '..', 'src', 'native');

/** What in a source hides a channel: a Proxy, or a module-level hook someone else sets. */
function hiddenChannels(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const out: string[] = [];
  if (/\bProxy\b/.test(code)) out.push('Proxy');
  if (/\bexport\s+function\s+set\w*Hook\b/.test(code)) out.push('a settable hook');
  if (/\bprocess\.env\b/.test(code)) out.push('process.env');
  return out;
}

describe('the native entry has no hidden channel', () => {
  it('flags a planted Proxy, hook setter and environment read (not in comments)', () => {
    expect(hiddenChannels('export const native = new Proxy({}, {});')).toEqual(['Proxy']);
    expect(hiddenChannels('export function setCallHook(h) { current = h; }')).toEqual(['a settable hook']);
    expect(hiddenChannels('const x = process.env.TFSR;')).toEqual(['process.env']);
    expect(hiddenChannels('// once a Proxy\nconst a = 1; /* setCallHook */')).toEqual([]);
  });

  it('no file of src/native has one', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    const found = files.flatMap((f) =>
      hiddenChannels(fs.readFileSync(path.join(DIR, f), 'utf8')).map((h) => `${f}: ${h}`),
    );
    expect(found).toEqual([]);
  });
});
