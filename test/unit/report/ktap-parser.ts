// SPDX-License-Identifier: GPL-2.0-only
// A strict KTAP v1 parser for the tests (Documentation/dev-tools/ktap.rst),
// with the rules kernel CI adds on top: LKFT's parse-output.py takes anything
// after `# SKIP` into the test name, so a SKIP must be bare; KUnit's
// kunit_parser refuses a '#' in a name. Anything it does not know is an error,
// not a line to ignore: it exists to catch our own output going wrong. The
// kernel's own kunit_parser.py, which needs python3, is in test/host/report/kunit.ts.

export type Directive = 'SKIP' | 'TODO' | 'XFAIL' | 'XPASS' | 'TIMEOUT' | 'ERROR';
const DIRECTIVES: readonly string[] = ['SKIP', 'TODO', 'XFAIL', 'XPASS', 'TIMEOUT', 'ERROR'];

export interface KtapResult {
  ok: boolean;
  number: number;
  name: string;
  directive?: Directive;
  /** Text after the directive (only ERROR may carry it: `not run: <why>`). */
  data?: string;
  /** The `# ` lines between the previous result (or the header) and this one. */
  diagnostics: string[];
  /** The nested document this result closes, if any. */
  subtest?: KtapDocument;
}

export interface KtapDocument {
  version: number;
  /** Undefined when the document has no plan line (KTAP allows it when the count is not known). */
  plan?: number;
  /** Diagnostics after the plan of a document without results (with results, the first result has them: KTAP cannot tell them apart). */
  header: string[];
  results: KtapResult[];
  /** Diagnostics after the last result. */
  trailer: string[];
}

export interface ParseOptions {
  /** A prefix of a document (a killed run): fewer results than planned is fine, a cut last line is dropped. */
  prefix?: boolean;
  /** Require a plan line (default true). */
  requirePlan?: boolean;
}

export class KtapError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line + 1}: ${message}`);
  }
}

const VERSION = /^KTAP version (\d+)$/;
const PLAN = /^1\.\.(\d+)$/;
const RESULT = /^(ok|not ok) (\d+)(?: (.*))?$/;

interface Cursor {
  lines: string[];
  i: number;
}

/** Parses text as one KTAP v1 document; throws a KtapError naming the first line that breaks the grammar. */
export function parseKtap(text: string, o: ParseOptions = {}): KtapDocument {
  const lines = text.split('\n');
  // A document ends in a newline; a prefix may end in a line the kill cut short.
  const last = lines.pop();
  if (last !== '' && !o.prefix) throw new KtapError(lines.length, 'the document does not end in a newline');
  if (lines.length === 0) throw new KtapError(0, 'empty document');
  const c: Cursor = { lines, i: 0 };
  const doc = parseDocument(c, 0, o);
  if (c.i < lines.length) throw new KtapError(c.i, `unexpected line ${JSON.stringify(lines[c.i])}`);
  return doc;
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

function parseDocument(c: Cursor, depth: number, o: ParseOptions): KtapDocument {
  const pad = '  '.repeat(depth);
  const at = (k: number) => c.lines[k]!.slice(pad.length);
  const v = VERSION.exec(at(c.i));
  if (!c.lines[c.i]!.startsWith(pad) || !v) throw new KtapError(c.i, 'expected `KTAP version 1`');
  if (v[1] !== '1') throw new KtapError(c.i, `KTAP version ${v[1]}: only version 1 is known`);
  c.i++;
  const doc: KtapDocument = { version: 1, header: [], results: [], trailer: [] };
  if (c.i < c.lines.length && c.lines[c.i]!.startsWith(pad)) {
    const p = PLAN.exec(at(c.i));
    if (p) {
      doc.plan = Number(p[1]);
      c.i++;
    }
  }
  if (doc.plan === undefined && o.requirePlan !== false && !(o.prefix && c.i >= c.lines.length))
    throw new KtapError(c.i, 'expected the plan `1..N` after the version line');
  let diags: string[] = [];
  let pending: KtapDocument | undefined;
  let sawResult = false;
  while (c.i < c.lines.length) {
    const line = c.lines[c.i]!;
    const ind = indentOf(line);
    if (line.trim() === '') throw new KtapError(c.i, 'blank line');
    if (ind % 2 !== 0) throw new KtapError(c.i, `odd indentation (${ind} spaces): subtests nest by two`);
    if (ind < pad.length) break; // the parent's line: this document ended
    if (ind > pad.length) {
      if (ind !== pad.length + 2) throw new KtapError(c.i, `indented ${ind} spaces inside a level of ${pad.length}`);
      if (pending) throw new KtapError(c.i, 'a second subtest before the result line of the first');
      pending = parseDocument(c, depth + 1, o);
      continue;
    }
    const body = line.slice(pad.length);
    if (body === '#' || body.startsWith('# ')) {
      diags.push(body === '#' ? '' : body.slice(2));
      c.i++;
      continue;
    }
    const r = RESULT.exec(body);
    if (!r) throw new KtapError(c.i, `not a KTAP line: ${JSON.stringify(body)}`);
    const result = parseResult(c.i, r, doc.results.length + 1);
    result.diagnostics = diags;
    if (pending) result.subtest = pending;
    pending = undefined;
    diags = [];
    doc.results.push(result);
    sawResult = true;
    c.i++;
  }
  if (pending) {
    if (!o.prefix) throw new KtapError(c.i, 'a subtest without its result line');
    // A killed run: the subtest it was in has no result line yet.
  }
  if (sawResult) doc.trailer = diags;
  else doc.header = diags;
  if (doc.plan !== undefined) {
    const n = doc.results.length;
    if (o.prefix ? n > doc.plan : n !== doc.plan)
      throw new KtapError(c.i, `the plan says 1..${doc.plan} but there are ${n} results`);
  }
  return doc;
}

function parseResult(line: number, r: RegExpExecArray, expected: number): KtapResult {
  const ok = r[1] === 'ok';
  const number = Number(r[2]);
  if (number !== expected) throw new KtapError(line, `result number ${number}, expected ${expected}`);
  const rest = r[3] ?? '';
  const hash = rest.indexOf('#');
  const name = (hash < 0 ? rest : rest.slice(0, hash)).trimEnd();
  if (!name) throw new KtapError(line, 'a result without a name');
  if (/^- /.test(name)) throw new KtapError(line, "TAP's '- ' before the name: KTAP names follow the number");
  const result: KtapResult = { ok, number, name, diagnostics: [] };
  if (hash < 0) return result;
  const m = /^# (\S+)(?: (.*))?$/.exec(rest.slice(hash));
  if (!m || !rest.slice(0, hash).endsWith(' '))
    throw new KtapError(line, `a directive is ' # WORD': ${JSON.stringify(rest.slice(hash))}`);
  if (!DIRECTIVES.includes(m[1]!)) throw new KtapError(line, `unknown directive ${m[1]}`);
  const directive = m[1] as Directive;
  if (m[2] !== undefined) {
    // LKFT takes what follows a directive into the name: only a not-run ERROR says more, by design.
    if (directive !== 'ERROR')
      throw new KtapError(line, `text after # ${directive}: put the reason on a '# ' line before`);
    result.data = m[2];
  }
  if ((directive === 'ERROR' || directive === 'TIMEOUT' || directive === 'XPASS') && ok)
    throw new KtapError(line, `'ok' with # ${directive}: it must be 'not ok'`);
  if (directive === 'XFAIL' && !ok) throw new KtapError(line, "'not ok' with # XFAIL: it must be 'ok'");
  result.directive = directive;
  return result;
}

/** Every result of the document and its subtests, depth first. */
export function allResults(doc: KtapDocument): KtapResult[] {
  return doc.results.flatMap((r) => [...(r.subtest ? allResults(r.subtest) : []), r]);
}
