// SPDX-License-Identifier: GPL-2.0-only
// A saved report checked against schema/report.schema.json (shipped with the
// package) by ajv, the validator the tests use too: `report FILE` renders only
// documents the reporters are written for, and names the first place a file
// differs instead of failing inside a reporter.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { EnvironmentError } from '../errors.js';
import { packageRoot } from '../package.js';

export const REPORT_SCHEMA_FILE = path.join(packageRoot, 'schema', 'report.schema.json');

let validate: ValidateFunction | undefined;

/** One error as `<JSON pointer> <message>`, with the value ajv allowed or refused when it says which. */
export function schemaErrorText(e: ErrorObject): string {
  const p = e.params as { additionalProperty?: string; allowedValues?: unknown[]; allowedValue?: unknown };
  const detail =
    p.additionalProperty !== undefined
      ? ` ("${p.additionalProperty}")`
      : p.allowedValues
        ? ` (${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`
        : p.allowedValue !== undefined
          ? ` (${JSON.stringify(p.allowedValue)})`
          : '';
  return `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}${detail}`;
}

/** The packaged schema; a package without it is broken, not the user's input. */
function schema(): object {
  try {
    return JSON.parse(fs.readFileSync(REPORT_SCHEMA_FILE, 'utf8')) as object;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new EnvironmentError(
      `cannot read the report schema ${REPORT_SCHEMA_FILE} (${why}): reinstall tracefs-regress`,
    );
  }
}

/** The first place `doc` breaks the report schema, or undefined when it fits. */
export function reportSchemaProblem(doc: unknown): string | undefined {
  // Compiled on first use: only `report` reads the schema, and only once.
  validate ??= new Ajv2020({ strict: true, allErrors: false }).compile(schema());
  if (validate(doc)) return undefined;
  const first = validate.errors?.[0];
  return first ? schemaErrorText(first) : 'does not fit the schema';
}
