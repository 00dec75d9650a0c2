// A saved JSON report read back (`tracefs-regress report FILE`): what
// `run --format json` or `vm --format json` wrote, one run or several (the VM
// matrix's "runs"). Checked enough that every reporter can render it; anything
// else is a UsageError that names the file and how to make one.
import { UsageError } from '../errors.js';
import { JSON_SCHEMA } from './json.js';
import type { RunReport } from './types.js';

const HOW = 'give a file written by `tracefs-regress run --format json --output FILE` (or `vm ... --format json`)';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `v` is not one run's report, or undefined when it is. */
function runProblem(v: unknown): string | undefined {
  if (!isObj(v)) return 'not a JSON object';
  if (!isObj(v.tool) || v.tool.name !== 'tracefs-regress') return 'no "tool": {"name": "tracefs-regress"}';
  const env = v.env;
  if (!isObj(env) || !isObj(env.kernel) || typeof env.kernel.release !== 'string') return 'no "env.kernel.release"';
  if (!Array.isArray(v.results)) return 'no "results" array';
  for (const [i, r] of v.results.entries()) {
    if (!isObj(r) || typeof r.name !== 'string' || typeof r.status !== 'string' || !Array.isArray(r.evidence))
      return `results[${i}] has no name, status or evidence`;
  }
  return undefined;
}

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
  const runs = Array.isArray(v.runs) ? v.runs : [v];
  for (const [i, r] of runs.entries()) {
    const p = runProblem(r);
    if (p)
      throw new UsageError(
        `${file} is not a tracefs-regress JSON report (${Array.isArray(v.runs) ? `runs[${i}]: ` : ''}${p}): ${HOW}`,
      );
  }
  return runs as RunReport[];
}
