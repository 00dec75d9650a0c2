// SPDX-License-Identifier: GPL-2.0-only
// The packed tarball: LICENSE in it, and no source maps or declarations that
// point at sources it does not ship (dist/ is compiled from src/, which is not
// packed, and nothing imports the package's types: no "types" or "exports").
// Checked on the settings that decide it, so no `npm pack` is needed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;

type CompilerOptions = {
  declaration?: boolean;
  declarationMap?: boolean;
  sourceMap?: boolean;
  inlineSourceMap?: boolean;
};
interface Settings {
  pkg: { files?: string[]; types?: unknown; typings?: unknown; exports?: unknown; license?: unknown };
  /** tsconfig.build.json's compilerOptions over those it extends. */
  build: CompilerOptions;
}

/** What would put maps or dangling declarations into the tarball, or leave LICENSE out. */
function tarballProblems({ pkg, build }: Settings): string[] {
  const problems: string[] = [];
  if (pkg.license !== 'GPL-2.0-only') problems.push(`license is ${String(pkg.license)}, not GPL-2.0-only`);
  if (!pkg.files?.includes('LICENSE')) problems.push('"files" does not name LICENSE');
  if (build.sourceMap || build.inlineSourceMap) problems.push('the build writes source maps of unshipped sources');
  if (build.declarationMap) problems.push('the build writes declaration maps of unshipped sources');
  const typed = pkg.types !== undefined || pkg.typings !== undefined || pkg.exports !== undefined;
  if (build.declaration && !typed) problems.push('the build writes .d.ts files that nothing ("types", "exports") uses');
  return problems;
}

function settings(): Settings {
  const base = readJson('tsconfig.json').compilerOptions as CompilerOptions;
  const own = readJson('tsconfig.build.json').compilerOptions as CompilerOptions;
  return { pkg: readJson('package.json') as Settings['pkg'], build: { ...base, ...own } };
}

describe('the tarball', () => {
  it('ships LICENSE and no .map or unused .d.ts files', () => {
    expect(tarballProblems(settings())).toEqual([]);
  });

  it('LICENSE is the GPL version 2 text', () => {
    const text = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');
    expect(text).toContain('GNU GENERAL PUBLIC LICENSE');
    expect(text).toContain('Version 2, June 1991');
  });

  it('fails on planted settings: maps back on, LICENSE left out, declarations without a consumer', () => {
    const good = settings();
    expect(tarballProblems({ ...good, build: { ...good.build, sourceMap: true } })).toEqual([
      'the build writes source maps of unshipped sources',
    ]);
    expect(tarballProblems({ ...good, build: { ...good.build, declarationMap: true } })).toHaveLength(1);
    expect(tarballProblems({ ...good, build: { ...good.build, declaration: true } })).toHaveLength(1);
    expect(
      tarballProblems({ pkg: { ...good.pkg, types: 'dist/index.d.ts' }, build: { ...good.build, declaration: true } }),
    ).toEqual([]);
    expect(tarballProblems({ ...good, pkg: { ...good.pkg, files: ['dist/'] } })).toEqual([
      '"files" does not name LICENSE',
    ]);
  });
});
