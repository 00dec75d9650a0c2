// SPDX-License-Identifier: GPL-2.0-only
// Reads and validates an expectations file. Strict: an unknown key, a glob
// that names no scenario, an unknown kind or action is a UsageError naming the
// entry and the fix, before anything touches tracefs. A typo must never turn
// an expectation off silently.
import path from 'node:path';
import { packageRoot } from '../package.js';
import { UsageError } from '../errors.js';
import { InputFileError, readBounded, sizeText } from '../util/read-bounded.js';
import { PROBE_KINDS } from '../model.js';
import { globMatch } from '../util/glob.js';
import { ACTIONS, EXPECT_SCHEMA, type Action, type ExpectEntry, type KnownBug } from './types.js';
import { parseCrashers, crasherEntries, parseBugs, knownBugsOf } from './crashers.js';
import { resolveExpectFile } from './shipped.js';

/** An expectations file is a few KiB (the shipped one 12 KiB); 1 MiB is room for thousands of entries. */
export const MAX_EXPECT_BYTES = 1 << 20;

const TOP_KEYS = ['schema', 'description', 'entries', 'crashers', 'bugs'];
const ENTRY_KEYS = ['scenario', 'kind', 'release', 'signature', 'action', 'why', 'reference'];
const REQUIRED = ['scenario', 'kind', 'release', 'signature', 'action', 'why'];
/** Scenario ids are [a-z0-9-]; a glob adds * and ?. Anything else ([...], {...}, regex) is not our glob syntax. */
const SCENARIO_GLOB = /^[A-Za-z0-9_*?-]+$/;
/** What uname -r prints (digits, letters, . - + _ ~) plus the two wildcards. */
const RELEASE_GLOB = /^[A-Za-z0-9._+~*?-]{1,100}$/;
/** A signature part must name something (a function, a file:line), not match every line. */
const MIN_SIGNATURE = 3;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const isObject = (v: Json | undefined): v is { [k: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the text of one expectations file; `scenarios` are the ids a glob must match at least one of. */
export function parseExpectations(text: string, source: string, scenarios: readonly string[]): ExpectEntry[] {
  return parseCatalogue(text, source, scenarios).entries;
}

/** A validated file: its entries (the crashers' skip entries after them) and the known bugs it names failures by. */
export interface Catalogue {
  entries: ExpectEntry[];
  bugs: KnownBug[];
}

/** Validates the whole file: entries, crashers and bugs. */
export function parseCatalogue(text: string, source: string, scenarios: readonly string[]): Catalogue {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (e) {
    throw new UsageError(
      `--expect ${source}: not valid JSON (${(e as Error).message}): fix the syntax (JSON allows no comments or trailing commas; put notes in "why")`,
    );
  }
  const fail = (what: string): never => {
    throw new UsageError(`--expect ${source}: ${what}`);
  };
  if (!isObject(doc)) fail(`the file must be an object {"schema": "${EXPECT_SCHEMA}", "entries": [...]}`);
  const top = doc as { [k: string]: Json };
  for (const k of Object.keys(top)) {
    if (!TOP_KEYS.includes(k)) fail(`unknown top-level key "${k}": use ${TOP_KEYS.join(', ')}`);
  }
  if (top.schema !== EXPECT_SCHEMA)
    fail(
      `"schema" must be "${EXPECT_SCHEMA}" (got ${JSON.stringify(top.schema ?? null)}): this tool reads that format`,
    );
  if (top.description !== undefined && typeof top.description !== 'string') fail('"description" must be a string');
  if (!Array.isArray(top.entries)) fail('"entries" must be an array of entries');
  const entries = (top.entries as Json[]).map((e, i) => parseEntry(e, i, source, scenarios));
  const crashers = top.crashers === undefined ? [] : parseCrashers(top.crashers, source, scenarios);
  const bugs = top.bugs === undefined ? [] : parseBugs(top.bugs, source, crashers);
  return { entries: [...entries, ...crasherEntries(crashers, source)], bugs: knownBugsOf(crashers, bugs) };
}

export type Fail = (what: string) => never;

function parseEntry(e: Json, index: number, source: string, scenarios: readonly string[]): ExpectEntry {
  const fail: Fail = (what) => {
    throw new UsageError(`--expect ${source}: entries[${index}]: ${what}`);
  };
  if (!isObject(e)) fail('must be an object with scenario, kind, release, signature, action and why');
  const o = e as { [k: string]: Json };
  for (const k of Object.keys(o)) {
    if (!ENTRY_KEYS.includes(k)) fail(`unknown key "${k}": use ${ENTRY_KEYS.join(', ')}`);
  }
  for (const k of REQUIRED)
    if (o[k] === undefined) fail(`"${k}" is missing (every entry needs ${REQUIRED.join(', ')})`);
  const str = (k: string): string => {
    const v = o[k];
    if (typeof v !== 'string' || v.trim() === '') fail(`"${k}" must be a non-empty string`);
    return v as string;
  };
  if (o.reference !== undefined && (typeof o.reference !== 'string' || o.reference.trim() === ''))
    fail('"reference" must be a non-empty string');
  return {
    scenario: checkScenario(str('scenario'), scenarios, fail),
    kind: checkKind(str('kind'), fail),
    release: checkRelease(str('release'), fail),
    action: checkAction(str('action'), fail),
    signature: checkSignature(o.signature, fail),
    why: str('why'),
    ...(o.reference !== undefined ? { reference: o.reference as string } : {}),
    source,
    index,
  };
}

export function checkScenario(scenario: string, scenarios: readonly string[], fail: Fail): string {
  if (!SCENARIO_GLOB.test(scenario)) {
    fail(
      `"scenario" ${JSON.stringify(scenario)} is not an id or glob: use letters, digits, - and the wildcards * and ? (e.g. "race-*")`,
    );
  }
  if (!scenarios.some((id) => globMatch(scenario, id))) {
    fail(
      `"scenario" ${JSON.stringify(scenario)} matches no scenario: use one of ${scenarios.join(', ')} or a glob over them`,
    );
  }
  return scenario;
}

export function checkKind(kind: string, fail: Fail): ExpectEntry['kind'] {
  if (kind !== '*' && !(PROBE_KINDS as readonly string[]).includes(kind)) {
    fail(`"kind" ${JSON.stringify(kind)} is not a probe kind: use one of ${PROBE_KINDS.join(', ')} or "*"`);
  }
  return kind as ExpectEntry['kind'];
}

export function checkRelease(release: string, fail: Fail): string {
  if (!RELEASE_GLOB.test(release)) {
    fail(
      `"release" ${JSON.stringify(release)} is not a release glob: use what uname -r prints with * and ? (e.g. "6.18.*", "6.1.0-*-amd64"); regexes are not supported`,
    );
  }
  return release;
}

function checkAction(action: string, fail: Fail): Action {
  if (!(ACTIONS as readonly string[]).includes(action)) {
    fail(
      `"action" ${JSON.stringify(action)} is unknown: use xfail (must fail), flaky (pass or the expected failure) or skip (do not run)`,
    );
  }
  return action as Action;
}

export function checkSignature(sig: Json | undefined, fail: Fail): string[] {
  const parts = typeof sig === 'string' ? [sig] : Array.isArray(sig) ? sig : undefined;
  if (!parts || parts.length === 0 || parts.some((p) => typeof p !== 'string')) {
    fail('"signature" must be a string, or an array of strings that must all appear in one line');
  }
  for (const p of parts as string[]) {
    if (/[\x00-\x1f\x7f]/.test(p))
      fail(`"signature" part ${JSON.stringify(p)} has a control character: a signature matches within one line`);
    if (p.trim().length < MIN_SIGNATURE) {
      fail(
        `"signature" part ${JSON.stringify(p)} is too short to identify a bug: name a function or a file:line (e.g. "eventfs_iterate")`,
      );
    }
  }
  return [...(parts as string[])];
}

/**
 * Reads FILE (as given on the command line, which is what reports will name;
 * a relative path missing here is looked for in the package, whose path is
 * then the name).
 */
export function loadExpectations(file: string, scenarios: readonly string[]): ExpectEntry[] {
  const found = resolveExpectFile(file);
  const source = found === undefined || found === path.resolve(file) ? file : found;
  let text: string;
  try {
    text = readBounded(found ?? file, MAX_EXPECT_BYTES);
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    const also = found === undefined && !path.isAbsolute(file) ? ` (nor is it ${path.join(packageRoot, file)})` : '';
    throw new UsageError(
      `--expect ${file}: ${e.message}${also}: give the path of an expectations file (a regular JSON file of at most ${sizeText(MAX_EXPECT_BYTES)}), e.g. kernel/known-bugs.json`,
    );
  }
  return parseExpectations(text, source, scenarios);
}
