// SPDX-License-Identifier: GPL-2.0-only
// Properties of the definition builder (src/probes/definitions.ts): for any
// group, event and target, define() and removalLine() either throw NameError
// (RangeError for a negative uprobe offset) or give lines that are each one
// command of exactly the expected shape: the kind's prefix (p: r: f: e: -: !),
// the given names as single fields, and a uprobe path that is absolute and
// normalised. The same properties must fail on a planted builder that trusts
// its input.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  define,
  removalLine,
  CONTROL_FILE,
  SYNTHETIC_GROUP,
  type Definition,
  type ProbeTarget,
} from '../../../src/probes/definitions.js';
import { NameError, assertSingleCommand } from '../../../src/probes/names.js';
import { isOneCommand, kernelGoodName, plainSymbol } from '../util/kernel-reading.js';
import { findsCounterexample, identifier, pathLike, symbol, validOrHostile, HOSTILE } from '../util/hostile.js';

const U64_END = 1n << 64n;

type Define = (group: string, event: string, target: ProbeTarget) => Definition;
type Removal = (controlFile: string, group: string, event: string) => string;

const name = validOrHostile(identifier);
const target: fc.Arbitrary<ProbeTarget> = fc.oneof(
  fc.record({ kind: fc.constant('kprobe' as const), symbol: validOrHostile(symbol), ret: fc.boolean() }),
  fc.record({
    kind: fc.constant('uprobe' as const),
    path: validOrHostile(pathLike),
    offset: fc.oneof(fc.bigInt({ min: -16n, max: 1n << 64n }), fc.bigInt({ min: U64_END - 4n, max: U64_END + 4n })),
  }),
  fc.record({ kind: fc.constant('fprobe' as const), symbol: validOrHostile(symbol) }),
  fc.record({ kind: fc.constant('eprobe' as const), system: name, event: name }),
  fc.record({ kind: fc.constant('synthetic' as const) }),
);
const controlFile = fc.oneof(
  fc.constantFrom(
    ...Object.values(CONTROL_FILE),
    '/sys/kernel/tracing/synthetic_events',
    '/sys/kernel/tracing/uprobe_events',
  ),
  fc.constantFrom(...HOSTILE),
);

/** `group/event` as the first field after the prefix: two good names, one '/'. */
function expectAt(field: string, group: string, event: string): void {
  expect(field).toBe(`${group}/${event}`);
  expect(kernelGoodName(group) && kernelGoodName(event)).toBe(true);
}

function definitionProperty(build: Define) {
  return (group: string, event: string, t: ProbeTarget) => {
    let d: Definition;
    try {
      d = build(group, event, t);
    } catch (e) {
      if (e instanceof NameError) return;
      if (e instanceof RangeError && t.kind === 'uprobe' && (t.offset < 0n || t.offset >= U64_END)) return;
      throw e;
    }
    expect(isOneCommand(d.createLine) && isOneCommand(d.removeLine)).toBe(true);
    expect(d.file).toBe(CONTROL_FILE[t.kind]);
    const fields = d.createLine.split(' ');
    if (t.kind === 'synthetic') {
      expect(d.group).toBe(SYNTHETIC_GROUP);
      expect(fields).toEqual([event, 'u64', 'tfsr_value']);
      expect(kernelGoodName(event)).toBe(true);
      expect(d.removeLine).toBe(`!${event}`);
      return;
    }
    expect([d.group, d.event]).toEqual([group, event]);
    expect(d.removeLine).toBe(`-:${group}/${event}`);
    expect(fields).toHaveLength(2);
    const [head, arg] = fields as [string, string];
    const colon = head.indexOf(':');
    const prefix = head.slice(0, colon);
    expectAt(head.slice(colon + 1), group, event);
    switch (t.kind) {
      case 'kprobe':
        expect(prefix).toBe(t.ret ? 'r' : 'p');
        expect(arg).toBe(t.symbol);
        expect(plainSymbol(arg)).toBe(true);
        break;
      case 'fprobe':
        expect(prefix).toBe('f');
        expect(arg).toBe(t.symbol);
        expect(plainSymbol(arg)).toBe(true);
        break;
      case 'eprobe':
        expect(prefix).toBe('e');
        expect(arg).toBe(`${t.system}.${t.event}`);
        expect(kernelGoodName(t.system) && kernelGoodName(t.event)).toBe(true);
        break;
      case 'uprobe': {
        expect(prefix).toBe('p');
        const at = arg.lastIndexOf(':');
        const [file, offset] = [arg.slice(0, at), arg.slice(at + 1)];
        expect(file).toBe(t.path);
        expect(file.includes(':')).toBe(false);
        expect(path.posix.resolve('/', file)).toBe(file); // absolute and normalised: no '..' leads elsewhere
        expect(file).not.toBe('/');
        expect(/^0x[0-9a-f]+$/.test(offset) && BigInt(offset) === t.offset).toBe(true);
        expect(t.offset < U64_END).toBe(true); // the kernel's kstrtoul takes it
        break;
      }
    }
  };
}

function removalProperty(removal: Removal) {
  return (file: string, group: string, event: string) => {
    let line: string;
    try {
      line = removal(file, group, event);
    } catch (e) {
      if (e instanceof NameError) return;
      throw e;
    }
    expect(isOneCommand(line)).toBe(true);
    expect(kernelGoodName(event)).toBe(true);
    if (file.endsWith('synthetic_events')) {
      expect(line).toBe(`!${event}`);
    } else {
      expect(line).toBe(`-:${group}/${event}`);
      expect(kernelGoodName(group)).toBe(true);
    }
  };
}

const defineArgs = fc.tuple(name, name, target);
const removalArgs = fc.tuple(controlFile, name, name);

describe('definitions.ts properties over hostile input', () => {
  it('define: NameError (RangeError for an offset outside u64), or one command per line of the exact shape', () => {
    fc.assert(fc.property(name, name, target, definitionProperty(define)), { numRuns: 3000 });
  });

  it('removalLine: NameError, or exactly -:group/event (or !event for synthetic_events)', () => {
    fc.assert(fc.property(controlFile, name, name, removalProperty(removalLine)), { numRuns: 3000 });
  });

  it('the generators reach accepted definitions of every kind (the properties are not vacuous)', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(defineArgs, ([g, e, t]) => {
        try {
          kinds.add(define(g, e, t).file + t.kind);
        } catch {
          // refused: counted by the other tests
        }
      }),
      { numRuns: 3000 },
    );
    expect(kinds.size).toBe(5);
  });
});

/** A builder that trusts its input: the shape of define() without any validation, the final gate kept. */
const trusting: Define = (group, event, t) => {
  const at = `${group}/${event}`;
  const line = (s: string) => assertSingleCommand(s);
  switch (t.kind) {
    case 'kprobe':
      return {
        group,
        event,
        file: CONTROL_FILE.kprobe,
        createLine: line(`${t.ret ? 'r' : 'p'}:${at} ${t.symbol}`),
        removeLine: line(`-:${at}`),
      };
    case 'uprobe':
      return {
        group,
        event,
        file: CONTROL_FILE.uprobe,
        createLine: line(`p:${at} ${t.path}:0x${t.offset.toString(16)}`),
        removeLine: line(`-:${at}`),
      };
    case 'fprobe':
      return {
        group,
        event,
        file: CONTROL_FILE.fprobe,
        createLine: line(`f:${at} ${t.symbol}`),
        removeLine: line(`-:${at}`),
      };
    case 'eprobe':
      return {
        group,
        event,
        file: CONTROL_FILE.eprobe,
        createLine: line(`e:${at} ${t.system}.${t.event}`),
        removeLine: line(`-:${at}`),
      };
    case 'synthetic':
      return {
        group: SYNTHETIC_GROUP,
        event,
        file: CONTROL_FILE.synthetic,
        createLine: line(`${event} u64 tfsr_value`),
        removeLine: line(`!${event}`),
      };
  }
};

describe('the same properties catch planted bad builders', () => {
  it('a builder that validates nothing but keeps the one-line gate (a space or ":" in a name adds a field)', () => {
    expect(findsCounterexample(defineArgs, ([g, e, t]) => definitionProperty(trusting)(g, e, t))).toBe(true);
  });

  it('a builder that validates names but not the uprobe path', () => {
    const pathUnchecked: Define = (g, e, t) => (t.kind === 'uprobe' ? trusting(g, e, t) : define(g, e, t));
    const uprobeArgs = fc.tuple(
      fc.constant('tfsr_1_ab'),
      fc.constant('e1'),
      target.filter((t) => t.kind === 'uprobe'),
    );
    expect(findsCounterexample(uprobeArgs, ([g, e, t]) => definitionProperty(pathUnchecked)(g, e, t))).toBe(true);
  });

  it('a removal line that validates only the event', () => {
    const groupUnchecked: Removal = (file, group, event) => {
      if (!kernelGoodName(event)) throw new NameError('bad');
      return assertSingleCommand(file.endsWith('synthetic_events') ? `!${event}` : `-:${group}/${event}`);
    };
    expect(findsCounterexample(removalArgs, ([f, g, e]) => removalProperty(groupUnchecked)(f, g, e))).toBe(true);
  });
});
