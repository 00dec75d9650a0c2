// SPDX-License-Identifier: GPL-2.0-only
// A saved JSON report read back (`tracefs-regress report FILE`): what
// `run --format json` or `vm --format json` wrote, one run or several (the VM
// matrix's "runs"). Validated against the report schema, so every reporter
// can render it; anything else is a UsageError (exit 2) that names the file,
// the first error's JSON path, and how to make one.
import { UsageError } from '../errors.js';
import { JSON_SCHEMA } from './json.js';
import { reportSchemaProblem } from './schema-check.js';
import type { RunReport } from './types.js';

const HOW = 'give a file written by `tracefs-regress run --format json --output FILE` (or `vm ... --format json`)';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The runs in a saved report's text: one, or each of a matrix's. Throws a UsageError naming `file`. */
export function parseSavedReport(text: string, file: string): RunReport[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not a tracefs-regress JSON report (not JSON: ${(e as Error).message}): ${HOW}`);
  }
  if (!isObj(v) || v.schema !== JSON_SCHEMA)
    throw new UsageError(`${file} is not a tracefs-regress JSON report (no "schema": "${JSON_SCHEMA}"): ${HOW}`);
  const problem = reportSchemaProblem(v);
  if (problem)
    throw new UsageError(
      `${file} is not a valid tracefs-regress JSON report (schema/report.schema.json): first error at ${problem}: ${HOW}`,
    );
  return (Array.isArray(v.runs) ? v.runs : [v]) as RunReport[];
}
