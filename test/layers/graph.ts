// SPDX-License-Identifier: GPL-2.0-only
// The import graph of src/ at the level a reader thinks in: folders (and the
// few top-level files of the foundation). Used by test/unit/layers.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One tier: units that are peers, free to import each other as long as they form no cycle. */
export interface Tier {
  name: string;
  units: readonly string[];
}

/**
 * Bottom to top, about five tiers rather than one layer per folder (a total
 * order put host at the top although it imports only errors, and health above
 * scenarios, which pushed shared types into whichever folder sat low enough).
 * A module may import its own unit, a peer in its tier, or a unit in a lower
 * tier; never a higher tier. Inside a tier the unit graph must be acyclic, so a
 * tier is never one tangled unit in disguise.
 *
 * Where a unit's role is plain it sits where the role puts it (repro is a
 * driver: it replays scenarios and builds reproducers, though its imports would
 * let it sit one tier down). The three whose place was open sit where their
 * imports put them:
 * - report: health, race, tracefs and the foundation. It is the suite's results
 *   (the report types every driver fills, and their renderings), so it is a
 *   peer of scenarios, and runner, vm and kernel reach it from above.
 * - expectations: report's types, util and the foundation. Expectation files judge a
 *   suite's results, so it is report's peer, importing it, never the reverse.
 * - bench: report's types only. The soak, bench and sensitivity arithmetic is
 *   pure judgement of runs' reports (scripts/ drive the runs), so it sits with
 *   report, and kernel's self-test may borrow its median.
 */
export const TIERS: readonly Tier[] = [
  {
    name: 'foundation',
    units: ['errors.ts', 'model.ts', 'package.ts', 'tool-fault.ts', 'util', 'host', 'native'],
  },
  { name: 'kernel interfaces', units: ['tracefs', 'probes', 'race', 'health'] },
  { name: 'suite', units: ['scenarios', 'report', 'expectations', 'bench'] },
  { name: 'drivers', units: ['runner', 'repro', 'vm', 'kernel', 'coverage', 'explore'] },
  { name: 'cli', units: ['cli'] },
];

export interface Edge {
  from: string;
  to: string;
}

/** Every relative import in the .ts files under srcDir, as src-relative paths (.js specifiers mapped back to .ts). */
export function importsOf(srcDir: string): Edge[] {
  const edges: Edge[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        for (const i of ts.preProcessFile(fs.readFileSync(p, 'utf8'), true, true).importedFiles) {
          if (!i.fileName.startsWith('.')) continue;
          const target = path.resolve(path.dirname(p), i.fileName).replace(/\.js$/, '.ts');
          edges.push({ from: path.relative(srcDir, p), to: path.relative(srcDir, target) });
        }
      }
    }
  };
  walk(srcDir);
  return edges;
}

/** The unit a src-relative path belongs to: its top folder, or the file itself at the top. */
export function unitOf(file: string): string {
  const [top, ...rest] = file.split(path.sep);
  return rest.length ? top! : file;
}

/** What is wrong with the graph: upward imports, units no tier names or two tiers name, cycles between units. */
export function layerProblems(edges: readonly Edge[], tiers: readonly Tier[] = TIERS): string[] {
  const problems: string[] = [];
  const tierOf = new Map<string, number>();
  tiers.forEach((t, i) =>
    t.units.forEach((u) => {
      const was = tierOf.get(u);
      if (was !== undefined) problems.push(`${u} is in two tiers: ${tiers[was]!.name} and ${t.name}`);
      else tierOf.set(u, i);
    }),
  );
  const unknown = new Set<string>();
  const between = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = unitOf(e.from);
    const b = unitOf(e.to);
    if (a === b) continue;
    (between.get(a) ?? between.set(a, new Set()).get(a)!).add(b);
    for (const u of [a, b]) if (!tierOf.has(u)) unknown.add(u);
    const ta = tierOf.get(a);
    const tb = tierOf.get(b);
    if (ta === undefined || tb === undefined) continue;
    if (tb > ta)
      problems.push(
        `upward import: ${e.from} -> ${e.to} (${a} is in ${tiers[ta]!.name}, below ${b} in ${tiers[tb]!.name})`,
      );
  }
  for (const u of unknown) problems.push(`${u} is in no tier: add it to TIERS in test/layers/graph.ts`);
  // A cycle through several tiers already shows as an upward import; the one
  // a tier's peers form among themselves would not, so each tier is searched alone.
  tiers.forEach((t, i) => {
    const peers = new Map<string, Set<string>>();
    for (const [a, bs] of between)
      if (tierOf.get(a) === i) peers.set(a, new Set([...bs].filter((b) => tierOf.get(b) === i)));
    for (const units of unitCycles(peers))
      problems.push(`cycle inside tier ${t.name}: ${units.join(', ')} import each other in a loop`);
  });
  for (const units of unitCycles(between))
    if (new Set(units.map((u) => tierOf.get(u))).size > 1)
      problems.push(`cycle across tiers: ${units.join(', ')} import each other in a loop`);
  return problems;
}

/** Each strongly connected set of two or more units (Tarjan), sorted. */
function unitCycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}
