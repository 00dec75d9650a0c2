// SPDX-License-Identifier: GPL-2.0-only
// The run-name grammar (src/probes/names.ts): what Ownership builds parses
// back to its run, and a name only parses when it is exactly something a
// builder can make. Foreign names that merely start like ours (tfsr_debug,
// tfsr_12_abcdef_mine) never parse, so cleanup never removes them. The
// properties run against the old prefix regex too and must catch it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  runNames,
  isRunId,
  parseOwnedGroup,
  parseOwnedInstance,
  parseOwnedEvent,
  validateName,
  type OwnedName,
} from '../../../src/probes/names.js';
import { findsCounterexample, spliced, validOrHostile } from '../util/hostile.js';

const RUNS = { numRuns: 3000 };
const SYN = 'synthetic';

const pid = fc.integer({ min: 1, max: 4194304 });
const tag = fc.stringMatching(/^[0-9a-f]{6}$/);
const seq = fc.integer({ min: 1, max: 1_000_000 });
const runId = fc.tuple(pid, tag).map(([p, t]) => runNames.runId(p, t));
const group = fc.tuple(runId, fc.option(seq)).map(([r, n]) => (n === null ? r : runNames.group(r, n)));

/** Every name a run makes, with the run it belongs to. */
const built = fc.oneof(
  group.map((g) => ({ kind: 'group' as const, name: g })),
  fc.tuple(runId, seq).map(([r, n]) => ({ kind: 'instance' as const, name: runNames.instance(r, n) })),
  runId.map((r) => ({ kind: 'instance' as const, name: runNames.lease(r) })),
  fc.tuple(group, seq).map(([g, n]) => ({ kind: 'synthetic' as const, name: runNames.syntheticEvent(g, n) })),
);

type Parser = (kind: 'group' | 'instance' | 'synthetic', name: string) => OwnedName | undefined;
const parse: Parser = (kind, name) =>
  kind === 'group'
    ? parseOwnedGroup(name)
    : kind === 'instance'
      ? parseOwnedInstance(name)
      : parseOwnedEvent(SYN, name, SYN);

/**
 * The grammar written a second way (split on '_'), as the reference: the
 * run id a name of this kind belongs to, or undefined.
 */
function reference(kind: 'group' | 'instance' | 'synthetic', name: string): string | undefined {
  const parts = name.split('_');
  const [t, p, h, ...rest] = parts;
  const num = (s: string | undefined) =>
    s !== undefined && /^[0-9]+$/.test(s) && String(Number(s)) === s && Number(s) >= 1;
  if (t !== 'tfsr' || !num(p) || !/^[0-9a-f]{6}$/.test(h ?? '') || p!.length > 10) return undefined;
  const id = `tfsr_${p}_${h}`;
  const isSeq = (s: string | undefined, c: string) => !!s && s.startsWith(c) && num(s.slice(1)) && s.length <= 11;
  const groupTail = (r: string[]) => r.length === 0 || (r.length === 1 && isSeq(r[0], 'g'));
  if (kind === 'group') return groupTail(rest) ? id : undefined;
  if (kind === 'instance') return rest.length === 1 && (rest[0] === 'lease' || isSeq(rest[0], 'i')) ? id : undefined;
  return rest.length >= 1 && isSeq(rest[rest.length - 1], 'e') && groupTail(rest.slice(0, -1)) ? id : undefined;
}

/** Anything a parser accepts is what the reference accepts, for the same run. */
function strictProperty(p: Parser) {
  return ([kind, name]: ['group' | 'instance' | 'synthetic', string]) => {
    const got = p(kind, name);
    expect(got?.runId).toBe(reference(kind, name));
    if (got) expect(got.pid).toBe(Number(got.runId.split('_')[1]));
  };
}

const kinds = fc.constantFrom('group' as const, 'instance' as const, 'synthetic' as const);
/** Our names, our names with something spliced in, and hostile strings: parsed as any kind. */
const anyName = fc.tuple(
  kinds,
  fc.oneof(
    built.map((b) => b.name),
    spliced(built.map((b) => b.name)),
    validOrHostile(fc.constantFrom('tfsr_12_abcdef', 'tfsr_12_abcdef_g3', 'tfsr_12_abcdef_i2', 'tfsr_12_abcdef_lease')),
    fc.constantFrom('_mine', '_g0', '_i01', 'A', '0', '_e', '_lease').map((s) => `tfsr_12_abcdef${s}`),
  ),
);

describe('run-name grammar properties', () => {
  it('everything the builders make parses back to its run, is a valid kernel name, and fits in 64', () => {
    fc.assert(
      fc.property(pid, tag, seq, seq, (p, t, n, m) => {
        const id = runNames.runId(p, t);
        expect(isRunId(id)).toBe(true);
        const g = runNames.group(id, n);
        const names: [OwnedName | undefined, string][] = [
          [parseOwnedGroup(id), id],
          [parseOwnedGroup(g), g],
          [parseOwnedInstance(runNames.instance(id, n)), runNames.instance(id, n)],
          [parseOwnedInstance(runNames.lease(id)), runNames.lease(id)],
          [parseOwnedEvent(g, runNames.event(m), SYN), runNames.event(m)],
          [parseOwnedEvent(SYN, runNames.syntheticEvent(g, m), SYN), runNames.syntheticEvent(g, m)],
          [parseOwnedEvent(SYN, runNames.syntheticEvent(id, m), SYN), runNames.syntheticEvent(id, m)],
        ];
        for (const [parsed, name] of names) {
          expect(parsed, name).toMatchObject({ runId: id, pid: p });
          expect(validateName('group', name)).toBe(name);
        }
        expect(parseOwnedInstance(runNames.lease(id))?.what).toBe('lease');
      }),
      RUNS,
    );
  });

  it('a name parses only when it is exactly one the grammar allows (foreign look-alikes never)', () => {
    fc.assert(fc.property(anyName, strictProperty(parse)), RUNS);
  });

  it('the names that started this: never ours', () => {
    for (const n of [
      'tfsr_debug',
      'tfsr_12_abcdef_mine',
      'tfsr_12_ABCDEF',
      'tfsr_12_abcde',
      'tfsr_12_abcdef0',
      'tfsr_012_abcdef',
      'tfsr_0_abcdef',
      'tfsr_12_abcdef_g0',
      'tfsr_12_abcdef_g01',
      'Tfsr_12_abcdef',
      'xtfsr_12_abcdef',
      'tfsr_12_abcdef\n',
    ]) {
      expect(parseOwnedGroup(n), n).toBeUndefined();
    }
    for (const n of ['tfsr_12_abcdef', 'tfsr_12_abcdef_i', 'tfsr_12_abcdef_lease_1', 'tfsr_12_abcdef_i1_mine']) {
      expect(parseOwnedInstance(n), n).toBeUndefined();
    }
    expect(parseOwnedEvent('tfsr_12_abcdef', 'keepme', SYN)).toBeUndefined();
    expect(parseOwnedEvent('tfsr_12_abcdef', 'e0', SYN)).toBeUndefined();
    expect(parseOwnedEvent(SYN, 'tfsr_12_abcdef_mine', SYN)).toBeUndefined();
    expect(parseOwnedEvent(SYN, 'tfsr_12_abcdef_i1_e2', SYN)).toBeUndefined();
  });
});

describe('the grammar properties catch a planted loose parser', () => {
  it('the old prefix regex (^tfsr_(\\d+)_[0-9a-f]+) for every kind', () => {
    const OLD = /^tfsr_(\d+)_[0-9a-f]+/;
    const old: Parser = (_kind, name) => {
      const m = OLD.exec(name);
      return m ? { what: 'group', runId: m[0], pid: Number(m[1]) } : undefined;
    };
    expect(findsCounterexample(anyName, strictProperty(old))).toBe(true);
  });

  it('a parser that forgets the end anchor', () => {
    const loose: Parser = (_kind, name) => {
      const m = /^(tfsr_([1-9][0-9]*)_[0-9a-f]{6})(?:_g[1-9][0-9]*)?/.exec(name);
      return m ? { what: 'group', runId: m[1]!, pid: Number(m[2]) } : undefined;
    };
    expect(findsCounterexample(anyName, strictProperty(loose))).toBe(true);
  });
});
