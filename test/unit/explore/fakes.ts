// SPDX-License-Identifier: GPL-2.0-only
// Fakes for the explore loop's tests: a seeded Rng, a scripted Explorer whose
// programs are one `stat` of a name, and a TraceSource that gives each
// program the PCs a table names (the kernel's part, played by a Map).
import { prng } from '../../../src/bench/stats.js';
import { traceEdges } from '../../../src/explore/corpus.js';
import type { TraceSource } from '../../../src/explore/kcov.js';
import type { Execution, Explorer, ModelViolation, Program, Rng } from '../../../src/explore/types.js';
import { SysError } from '../../../src/native/types.js';

export function seededRng(seed: number): Rng {
  const r = prng(seed);
  const int = (n: number) => Math.floor(r() * n);
  return { int, pick: (xs) => xs[int(xs.length)]!, chance: (p) => r() < p };
}

/** A program of one stat(name). */
export function prog(...names: string[]): Program {
  return { actions: names.map((n) => ({ kind: 'call' as const, call: 'stat' as const, args: [{ t: n }] })) };
}

export function nameOf(p: Program): string {
  return p.actions.map((a) => (a.kind === 'call' && a.args[0] && 't' in a.args[0] ? a.args[0].t : a.kind)).join('+');
}

export interface FakeOptions {
  /** generate() gives these in turn (then g<n> with a random n). */
  script?: string[];
  /** Names whose execution breaks the model. */
  violating?: Set<string>;
  /** Called at each execute (e.g. to advance a fake clock or abort). */
  onExecute?: (name: string, count: number) => void;
}

export class FakeExplorer implements Explorer {
  readonly executed: string[] = [];
  mutations = 0;
  private scriptAt = 0;
  constructor(private readonly o: FakeOptions = {}) {}

  generate(rng: Rng): Program {
    const s = this.o.script?.[this.scriptAt++];
    return prog(s ?? `g${rng.int(1000)}`);
  }

  mutate(p: Program, rng: Rng): Program {
    this.mutations++;
    return { actions: [...p.actions, ...prog(`m${rng.int(1000)}`).actions] };
  }

  execute(p: Program): Promise<Execution> {
    const name = nameOf(p);
    this.executed.push(name);
    this.o.onExecute?.(name, this.executed.length);
    const violations: ModelViolation[] = this.o.violating?.has(name)
      ? [{ action: 0, op: 'stat', path: name, expected: 'ENOENT', got: 'success' }]
      : [];
    return Promise.resolve({ names: { root: '/t', id: 'x', target: '/bin/true' }, results: [], violations });
  }
}

/** Traces by program name (the last executed one); a name not in the table gives `fallback`. */
export class FakeTrace implements TraceSource {
  starts = 0;
  readonly fullBuffers = 0;
  constructor(
    private readonly explorer: FakeExplorer,
    private readonly table: Map<string, number[]>,
    private readonly fallback: (name: string) => number[] = () => [1, 2, 3],
    private readonly failAt?: number,
  ) {}
  start() {
    this.starts++;
    return this.starts === this.failAt ? new SysError('ioctl', 16, 'EBUSY') : 0;
  }
  checkpoint() {
    return 0;
  }
  stop() {
    const name = this.explorer.executed.at(-1)!;
    return traceEdges(this.table.get(name) ?? this.fallback(name));
  }
  close() {}
}
