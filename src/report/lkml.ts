// SPDX-License-Identifier: GPL-2.0-only
// `--format lkml`: a plain-text bug report per FAIL, for the kernel's mailing
// list (linux-trace-kernel@vger.kernel.org): a suggested Subject, the kernel,
// the config lines that matter, what the test does, expected against got,
// the kernel's own lines, the upstream fix the test guards and, when the run
// wrote one, the reproducer inline with how to build and run it.
//
// Several FAILs give several mails, one per failure (a maintainer answers
// and fixes them one by one, and one bug per thread is the list's habit),
// each starting with its "Subject:" line and separated by git's scissors
// line "-- >8 --", so each is cut out and sent on its own. A run with nothing
// to report renders as nothing: the CLI says so on stderr (nothingToReport).
import { oneLine, evidenceDetail, evidenceSummary, healthProblems, MAX_EVIDENCE_SHOWN } from './text.js';
import { layout, type Block } from './lkml-layout.js';
import { subjectOf } from './lkml-subject.js';
import type { RunReport, ScenarioResult } from './types.js';

/** What the report alone does not hold: the catalogue's descriptions and the reproducer files. */
export interface LkmlOptions {
  /** The scenario's one-paragraph description, by id. */
  describe?: (scenario: string) => string | undefined;
  /** The text of a result's reproducer (its file in the report's reproDir), undefined when unreadable. */
  reproducer?: (report: RunReport, r: ScenarioResult) => string | undefined;
}

/** git am's scissors: what comes before it is not part of the mail after it. */
export const MAIL_SEPARATOR = '-- >8 --';

/** The results a report is written for: FAIL (a regression). XFAIL is a bug already known; UNRESOLVED and TIMEOUT are no kernel verdict. */
export const reportable = (r: ScenarioResult): boolean => r.status === 'FAIL';

/** One mail: its Subject and its body's blocks (kept apart so the layout can be checked). */
export interface Mail {
  subject: string;
  blocks: Block[];
}

export function lkmlMails(report: RunReport, opts: LkmlOptions = {}): Mail[] {
  return report.results.filter(reportable).map((r) => mailFor(report, r, opts));
}

export function renderLkml(report: RunReport, opts: LkmlOptions = {}): string {
  return renderMails(lkmlMails(report, opts));
}

/** Several runs (the VM matrix): the mails of all of them, in kernel order. */
export function renderLkmlMatrix(reports: readonly RunReport[], opts: LkmlOptions = {}): string {
  return renderMails(reports.flatMap((r) => lkmlMails(r, opts)));
}

export function renderMails(mails: readonly Mail[]): string {
  if (mails.length === 0) return '';
  const texts = mails.map((m) => [`Subject: ${m.subject}`, '', ...layout(m.blocks)].join('\n') + '\n');
  return texts.join(`\n${MAIL_SEPARATOR}\n\n`);
}

/** The stderr line for a run without a FAIL; "3 expected failures (XFAIL)" are mentioned, not mailed. */
export function nothingToReport(reports: readonly RunReport[]): string {
  const xfail = reports.flatMap((r) => r.results).filter((r) => r.status === 'XFAIL').length;
  const known = xfail ? ` (${xfail} expected failure${xfail === 1 ? '' : 's'} (XFAIL): already known)` : '';
  return `tracefs-regress: nothing to report: no scenario failed${known}`;
}

function mailFor(report: RunReport, r: ScenarioResult, opts: LkmlOptions): Mail {
  const env = report.env;
  const b: Block[] = [];
  const where = env.accelerator ? ` in a QEMU guest (${env.accelerator})` : '';
  b.push(
    prose(
      `tracefs-regress ${report.tool.version}, a regression suite for tracefs, finds ${r.name} ` +
        `failing on ${env.kernel.release}${where}. The test checks that ${lcFirst(r.title)}.`,
    ),
  );
  b.push(prose('Kernel (uname -r, uname -v, machine):'));
  b.push({
    quote: [env.kernel.release, env.kernel.version || '(version not recorded)', env.kernel.machine].map(oneLine),
  });
  if (env.config && env.config.lines.length > 0) {
    b.push(prose('Config (the options that matter here; the full config is in the file the first line names):'));
    b.push({ quote: [`# ${env.config.source}`, ...env.config.lines].map(oneLine) });
  } else {
    b.push(prose('Config: not found at run time (no /proc/config.gz or /boot/config-<release>).'));
  }
  const about = opts.describe?.(r.scenario);
  if (about) b.push(prose(`What the test does (with a fresh ${r.kind} event of its own): ${about}`));
  if (r.race) b.push(prose(raceText(r.race)));
  b.push(...expectedGot(r));
  b.push(...kernelOwn(r));
  b.push(...knownBugBlocks(r));
  if (r.references.length > 0) {
    b.push(prose('The test guards the area of these upstream fixes:'));
    b.push({ quote: r.references.map((x) => `  ${oneLine(x)}`) });
  }
  b.push(...reproducerBlocks(report, r, opts));
  b.push(prose(`Found by tracefs-regress ${report.tool.version} (run started ${report.startedAt}).`));
  return { subject: oneLine(subjectOf(r, env.kernel.release)), blocks: b };
}

/** Expected against got: one quoted line per evidence item, its detail lines under it. */
function expectedGot(r: ScenarioResult): Block[] {
  const own = r.evidence.filter((e) => e.op !== 'kernel health');
  if (own.length === 0) {
    return r.reason ? [prose('Expected against got:'), { quote: [`  ${oneLine(r.reason)}`] }] : [];
  }
  const lines: string[] = [];
  for (const e of own.slice(0, MAX_EVIDENCE_SHOWN)) {
    lines.push(`  ${evidenceSummary(e)}`);
    for (const d of evidenceDetail(e, r.health)) lines.push(`    ${oneLine(d)}`);
  }
  if (own.length > MAX_EVIDENCE_SHOWN) lines.push(`  ... and ${own.length - MAX_EVIDENCE_SHOWN} more`);
  return [
    prose('Expected against got (operation, path: what a correct kernel answers, what this one did):'),
    { quote: lines },
  ];
}

/** Which known bug the failure matches and the fix (to backport, where the release should have it), or that it is new. */
function knownBugBlocks(r: ScenarioResult): Block[] {
  const k = r.knownBug;
  if (r.new)
    return [
      prose(
        "This failure matches no bug in the tool's catalogue of known kernel bugs (kernel/known-bugs.json): it is new.",
      ),
    ];
  if (!k) return [];
  const out: Block[] = [prose(`This failure ${k.text}.`)];
  if (k.verdict === 'should-contain-fix')
    out.push(
      prose(
        `The fix to backport (or whose regression to find): commit ${k.fix.commit} ("${k.fix.subject}"), in mainline since ${k.fix.mainline}.`,
      ),
    );
  if (k.note) out.push(prose(`Not known: ${k.note}.`));
  return out;
}

/** The kernel's own lines (WARN, oops, KASAN trace) from the health delta, as /dev/kmsg gave them. */
function kernelOwn(r: ScenarioResult): Block[] {
  const h = r.health;
  if (!h || h.ok) return [];
  const problems = healthProblems(h);
  if (h.kernelLines.length === 0)
    return [prose(`The kernel printed nothing the test could read, but its health changed: ${problems.join('; ')}.`)];
  return [
    prose(`The kernel's own lines, during the test (${problems.join('; ')}):`),
    { quote: h.kernelLines.map(oneLine) },
  ];
}

/** The reproducer inline: how to build and run it, what its exit codes mean, the file itself. */
function reproducerBlocks(report: RunReport, r: ScenarioResult, opts: LkmlOptions): Block[] {
  if (!r.reproducer) return [];
  const text = opts.reproducer?.(report, r);
  const file = r.reproducer.file;
  const steps = r.reproducer.steps
    ? ` (minimised: ${r.reproducer.steps.kept} of the ${r.reproducer.steps.total} recorded steps kept)`
    : '';
  const what =
    r.reproducer.mode === 'race'
      ? 'It runs the same race (pthreads) and stops at the first violation.'
      : r.reproducer.mode === 'health'
        ? "It repeats the test's steps and watches /sys/kernel/oops_count and warn_count."
        : `It performs the test's system calls as straight-line C${steps}.`;
  const head: Block[] = [
    {
      prose:
        `A reproducer follows (C11, libc and pthreads only). ${what} It creates and removes a probe ` +
        'of its own. Build it and run it as root:',
    },
    { quote: ['  cc -O2 -static -pthread -o repro repro.c && ./repro'] },
    {
      prose:
        'It prints "REPRODUCED: <op> <path>: expected <X>, got <Y>" and exits 1 when the kernel shows the bug, ' +
        'prints "not reproduced" and exits 0 when it does not, and exits 4 when the kernel lacks the probe kind.',
    },
  ];
  if (text === undefined) {
    const where = report.reproDir ? `${report.reproDir}/${file}` : file;
    return [
      ...head,
      prose(`The reproducer was written to ${file} but could not be read back; attach it from:`),
      { quote: [`  ${where}`] },
    ];
  }
  const body = text.replace(/\n$/, '').split('\n');
  return [...head, { quote: [`---- repro.c (${basename(file)}) ----`, ...body, '---- end of repro.c ----'] }];
}

/** How hard the race tried, in one sentence. */
function raceText(x: NonNullable<ScenarioResult['race']>): string {
  return (
    `The race ran ${x.threads} worker threads on ${x.cpus} CPUs: ${x.cycles} create/remove cycles ` +
    `(${x.cyclesPerSec} per second) and ${x.ops} operations; the workers ${x.overlap ? 'could' : 'could not'} overlap` +
    ` (${x.overlapWhy}).`
  );
}

/** A paragraph; data in it (names, titles, a saved report's strings) kept to one line of text. */
const prose = (text: string): Block => ({ prose: oneLine(text) });

/** The report names the file by its basename (run) or its host path (vm --repro-dir): the mail by its basename. */
const basename = (p: string) => p.split('/').at(-1) ?? p;

const lcFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);
