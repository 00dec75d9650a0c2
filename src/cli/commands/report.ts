// SPDX-License-Identifier: GPL-2.0-only
// `tracefs-regress report FILE`: a saved JSON report rendered again in any
// format, e.g. a CI artefact as a mail for the kernel's list (--format lkml).
// `report merge A B ...`: the JSON of a sharded vm run's jobs as one report.
import { Command, Option } from 'commander';
import { EXIT, EnvironmentError, UsageError } from '../../errors.js';
import {
  FORMATS,
  exitCodeForAll,
  nothingToReport,
  render,
  renderMany,
  type Format,
  type RunReport,
} from '../../report/index.js';
import { parseSavedReport } from '../../report/load.js';
import { OutputFile, writeStdout } from '../../util/output.js';
import { InputFileError, readBounded } from '../../util/read-bounded.js';
import { describeScenario } from '../../scenarios/catalogue.js';
import { describeMissing, mergeShards } from '../../vm/matrix/merge.js';

/** Larger than any report a run writes (the VM host refuses guest reports over 64 MiB as well). */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

interface ReportOpts {
  /** commander's .choices() refused anything else. */
  format: Format;
  output?: string;
}

const formatOption = () => new Option('-f, --format <format>', 'report format').choices(FORMATS).default('pretty');
const outputOption = () =>
  new Option(
    '-o, --output <file>',
    'write it to FILE instead of stdout (renamed into place when complete; - for stdout)',
  );

export function reportCommand(): Command {
  return (
    new Command('report')
      .description('render a saved JSON report (run/vm --format json) in another format, e.g. lkml')
      .argument('<file>', 'a JSON report written by `run --format json` or `vm --format json`')
      .addOption(formatOption())
      .addOption(outputOption())
      // `report merge a.json -f junit`: merge's own -f, not report's (a file named merge: ./merge).
      .enablePositionalOptions()
      .addCommand(mergeCommand())
      .action((file: string, o: ReportOpts) => {
        process.exitCode = report(file, o);
      })
  );
}

function mergeCommand(): Command {
  return new Command('merge')
    .description(
      "join the JSON reports of a sharded vm run (each `vm --shard i/n ... -f json` job's) into the unsharded run's report; a missing cell is UNRESOLVED (exit 1)",
    )
    .argument('<files...>', 'the JSON reports of the shards of one vm command, in any order')
    .addOption(formatOption())
    .addOption(outputOption())
    .action((files: string[], o: ReportOpts) => {
      process.exitCode = merge(files, o);
    });
}

function report(file: string, o: ReportOpts): number {
  const runs = parseSavedReport(readReport(file), file);
  output(runs, o);
  return EXIT.ok;
}

/** The exit code the unsharded vm run would have had: its boots' verdicts, and 1 for each cell no shard reported. */
function merge(files: string[], o: ReportOpts): number {
  const { runs, missing, notes } = mergeShards(
    files.map((file) => ({ file, runs: parseSavedReport(readReport(file), file) })),
  );
  for (const n of notes) process.stderr.write(`tracefs-regress: note: ${n}\n`);
  if (missing.length) process.stderr.write(`tracefs-regress: ${describeMissing(missing)}`);
  output(runs, o);
  return exitCodeForAll(runs);
}

/** The runs rendered as the command that made them would have (one run alone, several as a matrix). */
function output(runs: RunReport[], o: ReportOpts): void {
  const opts = {
    color: false,
    describe: describeScenario,
  };
  const text = runs.length === 1 ? render(o.format, runs[0]!, opts) : renderMany(o.format, runs, opts);
  if (o.format === 'lkml' && text === '') process.stderr.write(nothingToReport(runs) + '\n');
  if (!o.output || o.output === '-') {
    writeStdout(text);
    return;
  }
  try {
    OutputFile.open(o.output).writeAndClose(text);
  } catch (e) {
    if (!(e instanceof EnvironmentError)) throw e;
    writeStdout(text);
    throw new EnvironmentError(`${e.message}; the report went to stdout instead`);
  }
}

/** The file's text: a regular file of sane size (a FIFO or device refused unread), or a UsageError saying what it is instead. */
function readReport(file: string): string {
  try {
    return readBounded(file, MAX_REPORT_BYTES);
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw new UsageError(`${file} ${e.message}: give a saved JSON report`);
  }
}
