// SPDX-License-Identifier: GPL-2.0-only
// Known crashers: the `crashers` records of an expectations file. Each says
// which kernels carry a bug the suite crashes kernels with (version ranges per
// stable series, see release.ts), the fix, the scenarios and the console
// signature. They become `skip` entries whose releases are those ranges: not
// run on a host that carries the bug unless asked (--run-known-crashers), and
// judged like `flaky` where they do run (a vm guest is disposable).
import { UsageError } from '../errors.js';
import { checkKind, checkRelease, checkScenario, checkSignature, isObject, type Fail, type Json } from './parse.js';
import { compareVersions, parseVersion, type AffectedRanges, type DistroFix, type StableFix } from './release.js';
import type { ConsoleSignature, Crasher, ExpectEntry, KnownBug } from './types.js';
import { FAULT_KINDS, type FaultKind } from './console-faults.js';

const KEYS = ['id', 'title', 'fix', 'affected', 'scenarios', 'kind', 'signature', 'console', 'reference'];
const BUG_KEYS = ['id', 'title', 'console', 'fix', 'affected', 'reference', 'note'];
const CONSOLE_KEYS = ['function', 'kind'];
const FIX_KEYS = ['commit', 'subject', 'mainline'];
const AFFECTED_KEYS = ['introduced', 'stable', 'distros'];
const STABLE_KEYS = ['series', 'introduced', 'fixed', 'note'];
const DISTRO_KEYS = ['distro', 'release', 'series', 'fixed', 'note'];
const ID = /^[A-Za-z0-9._-]{3,40}$/;
const COMMIT = /^[0-9a-f]{12,40}$/;
const SERIES = /^\d{1,4}\.\d{1,4}$/;
/** A version and nothing else: 6.8, 7.1.9, 7.2-rc7, 6.12.118. */
const VERSION = /^\d{1,4}\.\d{1,4}(\.\d{1,6})?(-rc\d{1,3})?$/;

/** Validates the `crashers` array of a file; a mistake is a UsageError naming the record and the fix. */
export function parseCrashers(list: Json, source: string, scenarios: readonly string[]): Crasher[] {
  if (!Array.isArray(list)) throw new UsageError(`--expect ${source}: "crashers" must be an array of crasher records`);
  const out = list.map((c, i) => parseCrasher(c, i, source, scenarios));
  const seen = new Set<string>();
  out.forEach((c, i) => {
    if (seen.has(c.id))
      throw new UsageError(`--expect ${source}: crashers[${i}]: "id" ${c.id} is given twice: one record per bug`);
    seen.add(c.id);
  });
  return out;
}

function keysOf(o: Json, what: string, keys: string[], fail: Fail): { [k: string]: Json } {
  if (!isObject(o)) fail(`${what} must be an object with ${keys.join(', ')}`);
  const obj = o as { [k: string]: Json };
  for (const k of Object.keys(obj)) if (!keys.includes(k)) fail(`${what}: unknown key "${k}": use ${keys.join(', ')}`);
  return obj;
}

function parseCrasher(c: Json, index: number, source: string, scenarios: readonly string[]): Crasher {
  const fail: Fail = (what) => {
    throw new UsageError(`--expect ${source}: crashers[${index}]: ${what}`);
  };
  const o = keysOf(c, 'a crasher record', KEYS, fail);
  const core = parseBugCore(o, fail);
  const names = listOf(o.scenarios ?? null, '"scenarios"', fail);
  if (names.length === 0 || names.some((n) => typeof n !== 'string'))
    fail('"scenarios" must be a non-empty array of scenario ids or globs');
  const crasher: Crasher = {
    id: core.id,
    title: core.title,
    fix: core.fix,
    affected: core.affected,
    scenarios: (names as string[]).map((n) => checkScenario(n, scenarios, fail)),
    kind: checkKind(strOf(o, 'kind', fail), fail),
    signature: checkSignature(o.signature, fail),
  };
  if (core.console) crasher.console = core.console;
  if (core.reference !== undefined) crasher.reference = core.reference;
  return crasher;
}

/** Validates the `bugs` array of a file: known bugs the reports name a failure by (no scenario is skipped for them). */
export function parseBugs(list: Json, source: string, crashers: readonly Crasher[] = []): KnownBug[] {
  if (!Array.isArray(list)) throw new UsageError(`--expect ${source}: "bugs" must be an array of bug records`);
  const out = list.map((b, index) => {
    const fail: Fail = (what) => {
      throw new UsageError(`--expect ${source}: bugs[${index}]: ${what}`);
    };
    const o = keysOf(b, 'a bug record', BUG_KEYS, fail);
    const core = parseBugCore(o, fail);
    if (!core.console)
      fail(
        '"console" is missing: give the fault as the console shows it, e.g. {"function": "eventfs_iterate", "kind": "NULL pointer dereference"}',
      );
    const bug: KnownBug = { ...core, console: core.console!, crasher: false };
    if (o.note !== undefined) bug.note = strOf(o, 'note', fail);
    return bug;
  });
  const seen = new Set(crashers.map((c) => c.id));
  out.forEach((b, i) => {
    if (seen.has(b.id))
      throw new UsageError(
        `--expect ${source}: bugs[${i}]: "id" ${b.id} is given twice (crashers and bugs hold one record per bug)`,
      );
    seen.add(b.id);
  });
  return out;
}

/** The bugs a report names failures by: the crashers that carry a console signature, then the `bugs` records. */
export function knownBugsOf(crashers: readonly Crasher[], bugs: readonly KnownBug[]): KnownBug[] {
  const named = crashers
    .filter((c) => c.console)
    .map((c): KnownBug => ({
      id: c.id,
      title: c.title,
      console: c.console!,
      fix: c.fix,
      affected: c.affected,
      ...(c.reference !== undefined ? { reference: c.reference } : {}),
      crasher: true,
    }));
  return [...named, ...bugs];
}

function strOf(obj: { [k: string]: Json }, k: string, fail: Fail, where = ''): string {
  const v = obj[k];
  if (typeof v !== 'string' || v.trim() === '') fail(`"${where}${k}" must be a non-empty string`);
  return v as string;
}

interface BugCore {
  id: string;
  title: string;
  fix: { commit: string; subject: string };
  affected: AffectedRanges;
  console?: ConsoleSignature;
  reference?: string;
}

/** What a crasher and a bug record share: id, title, the fix and the releases that carry the bug, the console signature. */
function parseBugCore(o: { [k: string]: Json }, fail: Fail): BugCore {
  const str = (obj: { [k: string]: Json }, k: string, where = ''): string => strOf(obj, k, fail, where);
  const version = (obj: { [k: string]: Json }, k: string, where: string): string => {
    const v = str(obj, k, where);
    if (!VERSION.test(v))
      fail(`"${where}${k}" ${JSON.stringify(v)} is not a kernel version: write e.g. "6.8", "7.1.9" or "7.2-rc7"`);
    return v;
  };
  const id = str(o, 'id');
  if (!ID.test(id)) fail(`"id" ${JSON.stringify(id)}: use the bug's name, e.g. "CVE-2026-74605"`);
  const fix = keysOf(o.fix ?? null, '"fix"', FIX_KEYS, fail);
  const commit = str(fix, 'commit', 'fix.');
  if (!COMMIT.test(commit))
    fail(`"fix.commit" ${JSON.stringify(commit)}: give the upstream commit's hash, at least 12 lowercase hex digits`);
  const mainline = version(fix, 'mainline', 'fix.');
  const aff = keysOf(o.affected ?? null, '"affected"', AFFECTED_KEYS, fail);
  const introduced = version(aff, 'introduced', 'affected.');
  const cmp = (a: string, b: string) => compareVersions(parseVersion(a)!, parseVersion(b)!);
  if (cmp(introduced, mainline) >= 0)
    fail(`"affected.introduced" ${introduced} is not older than "fix.mainline" ${mainline}`);
  const stable = listOf(aff.stable ?? null, '"affected.stable"', fail).map((s, i) => {
    const where = `affected.stable[${i}].`;
    const e = keysOf(s, `"${where.slice(0, -1)}"`, STABLE_KEYS, fail);
    const series = seriesIn(str(e, 'series', where), where, fail);
    const from =
      e.introduced === undefined
        ? undefined
        : inSeries(version(e, 'introduced', where), series, where, fail, 'introduced');
    // A backport can bring the bug into a series older than the mainline release that introduced it.
    if ((from === undefined && cmp(`${series}.0`, introduced) < 0) || cmp(`${series}.0`, mainline) >= 0)
      fail(
        `"${where}series" ${series} is outside ${introduced} .. ${mainline}: only the series between carry the bug ` +
          '(a series the bug reached by a backport gives "introduced": its first release with the bug)',
      );
    if (e.fixed !== null && e.fixed !== undefined) inSeries(version(e, 'fixed', where), series, where, fail);
    else if (e.fixed === undefined)
      fail(`"${where}fixed" is missing: the first ${series}.y release with the fix, or null while none has it`);
    const r: StableFix = {
      series,
      ...(from !== undefined ? { introduced: from } : {}),
      fixed: (e.fixed as string | null) ?? null,
    };
    if (e.note !== undefined) r.note = str(e, 'note', where);
    return r;
  });
  const dup = stable.find((s, i) => stable.findIndex((t) => t.series === s.series) !== i);
  if (dup) fail(`"affected.stable" names ${dup.series} twice`);
  const distros = listOf(aff.distros ?? [], '"affected.distros"', fail).map((d, i) => {
    const where = `affected.distros[${i}].`;
    const e = keysOf(d, `"${where.slice(0, -1)}"`, DISTRO_KEYS, fail);
    const series = seriesIn(str(e, 'series', where), where, fail);
    const r: DistroFix = {
      distro: str(e, 'distro', where),
      release: checkRelease(str(e, 'release', where), fail),
      series,
      fixed: inSeries(version(e, 'fixed', where), series, where, fail),
    };
    if (e.note !== undefined) r.note = str(e, 'note', where);
    return r;
  });
  const core: BugCore = {
    id,
    title: str(o, 'title'),
    fix: { commit, subject: str(fix, 'subject', 'fix.') },
    affected: { introduced, fixed: mainline, stable, distros },
  };
  if (o.console !== undefined) core.console = parseConsole(o.console, fail);
  if (o.reference !== undefined) core.reference = str(o, 'reference');
  return core;
}

/** A symbol as the kernel names it: no offset (`+0x..`), no module, no clone suffix. */
const FUNCTION = /^[A-Za-z_][A-Za-z0-9_]{2,100}$/;

function parseConsole(v: Json, fail: Fail): ConsoleSignature {
  const o = keysOf(v, '"console"', CONSOLE_KEYS, fail);
  const fns = typeof o.function === 'string' ? [o.function] : Array.isArray(o.function) ? o.function : [null];
  for (const fn of fns.length ? fns : [null])
    if (typeof fn !== 'string' || !FUNCTION.test(fn))
      fail(
        `"console.function" ${JSON.stringify(fn ?? null)} is not a function name: write the bare symbol (e.g. "eventfs_iterate"), without an offset such as +0x29c/0x340, which changes with every build`,
      );
  const kinds = typeof o.kind === 'string' ? [o.kind] : Array.isArray(o.kind) ? o.kind : undefined;
  if (!kinds || kinds.length === 0 || kinds.some((k) => !(FAULT_KINDS as readonly Json[]).includes(k)))
    fail(
      `"console.kind" ${JSON.stringify(o.kind ?? null)} is not a fault kind: use one of ${FAULT_KINDS.map((k) => `"${k}"`).join(', ')} (or an array of them)`,
    );
  return { functions: fns as string[], kinds: kinds as FaultKind[] };
}

function listOf(v: Json, what: string, fail: Fail): Json[] {
  if (!Array.isArray(v)) fail(`${what} must be an array`);
  return v as Json[];
}

function seriesIn(series: string, where: string, fail: Fail): string {
  if (!SERIES.test(series))
    fail(`"${where}series" ${JSON.stringify(series)} is not a stable series: write e.g. "6.18"`);
  return series;
}

function inSeries(version: string, series: string, where: string, fail: Fail, key = 'fixed'): string {
  if (!version.startsWith(`${series}.`) || version.split('.').length !== 3)
    fail(`"${where}${key}" ${version} is not a ${series}.y release: write e.g. "${series}.9"`);
  return version;
}

/** "f0ece16ffca7 ("eventfs: ...")" */
export const fixText = (c: Crasher): string => `${c.fix.commit} ("${c.fix.subject}")`;

/** Where the fix is: "v7.2-rc7, 7.1.9; no 6.18.y or 6.12.y release yet". */
export function fixedWhere(c: Crasher): string {
  const fixed = c.affected.stable.filter((s) => s.fixed).map((s) => s.fixed!);
  const open = c.affected.stable.filter((s) => !s.fixed).map((s) => `${s.series}.y`);
  return [
    [`v${c.affected.fixed}`, ...fixed].join(', '),
    ...(open.length ? [`no ${open.join(' or ')} release yet`] : []),
  ].join('; ');
}

/** One `skip` entry per scenario pattern of each crasher, covering the crasher's affected releases. */
export function crasherEntries(crashers: readonly Crasher[], source: string): ExpectEntry[] {
  return crashers.flatMap((c, index) =>
    c.scenarios.map((scenario) => ({
      scenario,
      kind: c.kind,
      release: '*',
      signature: [...c.signature],
      action: 'skip' as const,
      why: `${c.id}, ${c.title}; fixed by ${fixText(c)} (${fixedWhere(c)})`,
      ...(c.reference !== undefined ? { reference: c.reference } : {}),
      source,
      index,
      crasher: c,
    })),
  );
}

/**
 * The one line per known crasher a run says before it starts, when the
 * crasher keeps scenarios of this selection from running on this kernel:
 * what is not run, the bug, the fix, and how to run them anyway.
 */
export function crasherNotices(skipped: ReadonlyMap<Crasher, readonly string[]>, release: string): string[] {
  return [...skipped].map(
    ([c, names]) =>
      `NOT RUN on ${release}: ${names.join(', ')}: they crash kernels with ${c.id} (${c.title}), ` +
      `fixed by ${fixText(c)} (${fixedWhere(c)}). Run them anyway: --run-known-crashers (this kernel may oops), ` +
      'or in a disposable guest: tracefs-regress vm --kernel <image> -- -s <scenario>',
  );
}
