// The import graph of src/ at the level a reader thinks in: folders (and the
// few top-level files of the base layer). Used by test/unit/layers.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Bottom to top. A module may import from its own unit or from a unit in a
 * lower layer, never from a higher one. Units in one layer may not import
 * each other (so a layer is never a cycle in disguise).
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'model.ts', 'package.ts'],
  ['tool-fault.ts'],
  ['util'],
  ['native'],
  ['tracefs'],
  ['probes'],
  ['race'],
  ['scenarios'],
  ['health'],
  ['report'],
  ['expect'],
  ['repro'],
  ['runner'],
  ['bench'],
  ['host'],
  ['vm'],
  ['kernel'],
  ['cli'],
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

/** What is wrong with the graph: upward or sideways imports, units no layer names, cycles between units. */
export function layerProblems(edges: readonly Edge[], layers = LAYERS): string[] {
  const rank = new Map<string, number>();
  layers.forEach((units, i) => units.forEach((u) => rank.set(u, i)));
  const problems: string[] = [];
  const unknown = new Set<string>();
  const between = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = unitOf(e.from);
    const b = unitOf(e.to);
    if (a === b) continue;
    (between.get(a) ?? between.set(a, new Set()).get(a)!).add(b);
    for (const u of [a, b]) if (!rank.has(u)) unknown.add(u);
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra === undefined || rb === undefined) continue;
    if (rb > ra) problems.push(`upward import: ${e.from} -> ${e.to} (${a} is below ${b})`);
    else if (rb === ra) problems.push(`import within one layer: ${e.from} -> ${e.to} (${a} and ${b} share a layer)`);
  }
  for (const u of unknown) problems.push(`${u} is in no layer: add it to LAYERS in test/layers/graph.ts`);
  for (const units of unitCycles(between))
    problems.push(`cycle among units: ${units.join(', ')} import each other in a loop`);
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
