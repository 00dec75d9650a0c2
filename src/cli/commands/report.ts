// `tracefs-regress report FILE`: a saved JSON report rendered again in any
// format, e.g. a CI artefact as a mail for the kernel's list (--format lkml).
import { Command, Option } from 'commander';
import { EXIT, EnvironmentError, UsageError } from '../../errors.js';
import { FORMATS, nothingToReport, render, renderMany, type Format } from '../../report/index.js';
import { parseSavedReport } from '../../report/load.js';
import { OutputFile, writeStdout } from '../../util/output.js';
import { InputFileError, readBounded } from '../../util/read-bounded.js';
import { describeScenario } from '../../scenarios/catalogue.js';

/** Larger than any report a run writes (the VM host refuses guest reports over 64 MiB as well). */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

interface ReportOpts {
  /** commander's .choices() refused anything else. */
  format: Format;
  output?: string;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('render a saved JSON report (run/vm --format json) in another format, e.g. lkml')
    .argument('<file>', 'a JSON report written by `run --format json` or `vm --format json`')
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('pretty'))
    .option(
      '-o, --output <file>',
      'write it to FILE instead of stdout (renamed into place when complete; - for stdout)',
    )
    .action((file: string, o: ReportOpts) => {
      process.exitCode = report(file, o);
    });
}

function report(file: string, o: ReportOpts): number {
  const runs = parseSavedReport(readReport(file), file);
  const opts = {
    color: false,
    describe: describeScenario,
  };
  const text = runs.length === 1 ? render(o.format, runs[0]!, opts) : renderMany(o.format, runs, opts);
  if (o.format === 'lkml' && text === '') process.stderr.write(nothingToReport(runs) + '\n');
  if (!o.output || o.output === '-') {
    writeStdout(text);
    return EXIT.ok;
  }
  try {
    OutputFile.open(o.output).writeAndClose(text);
  } catch (e) {
    if (!(e instanceof EnvironmentError)) throw e;
    writeStdout(text);
    throw new EnvironmentError(`${e.message}; the report went to stdout instead`);
  }
  return EXIT.ok;
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
