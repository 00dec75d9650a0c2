// SPDX-License-Identifier: GPL-2.0-only
// schema/report.schema.json compiled once by a maintained validator (ajv,
// draft 2020-12, strict: a mistake in the schema itself throws here), for the
// unit, live and package tests alike.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const SCHEMA_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../schema/report.schema.json',
);

export function compileReportSchema(file = SCHEMA_FILE) {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: false });
  return ajv.compile(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
}

const validate = compileReportSchema();

/** The validator's errors for a report document, one line each; [] when it is valid. */
export function reportSchemaErrors(doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
}
