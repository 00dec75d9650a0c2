// SPDX-License-Identifier: GPL-2.0-only
// Every tracked source file carries the kernel's SPDX line (scripts/spdx.mjs;
// `node scripts/spdx.mjs --fix` adds it). Pure: the file list is read from the
// git index, no git process.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { indexPaths, missingSpdx, spdxLine, trackedFiles, withSpdx } from '../../../scripts/spdx.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ID = 'SPDX-License-Identifier: GPL-2.0-only';

describe('SPDX lines', () => {
  it('every source file the repository tracks has one', () => {
    const files = trackedFiles(root);
    // A sanity floor: a broken index reader must not pass by finding nothing.
    expect(files.filter((f) => f.path.startsWith('src/')).length).toBeGreaterThan(100);
    // On failure: node scripts/spdx.mjs --fix
    expect(missingSpdx(files)).toEqual([]);
  });

  it('picks the comment style per language, and leaves non-source alone', () => {
    expect(spdxLine('src/a.ts', '')).toBe(`// ${ID}`);
    expect(spdxLine('native/x.cc', '')).toBe(`// ${ID}`);
    expect(spdxLine('native/x.h', '')).toBe(`/* ${ID} */`);
    expect(spdxLine('kselftest/Makefile', '')).toBe(`# ${ID}`);
    expect(spdxLine('binding.gyp', '')).toBe(`# ${ID}`);
    expect(spdxLine('.ci/run', '#!/usr/bin/env bash\n')).toBe(`# ${ID}`);
    for (const file of ['test/mutants/01-x.patch', 'kernel/known-bugs.json', 'README.md', 'kselftest/settings'])
      expect(spdxLine(file, 'x\n')).toBeUndefined();
    expect(spdxLine('native/race/params.gen.h', '')).toBeUndefined();
  });

  it('fails on planted files: no line, the line below the first, another licence, not right after the #! line', () => {
    const planted = [
      { path: 'src/ok.ts', text: `// ${ID}\nexport {};\n` },
      { path: 'src/none.ts', text: 'export {};\n' },
      { path: 'src/late.ts', text: `// a comment\n// ${ID}\n` },
      { path: 'native/other.h', text: '/* SPDX-License-Identifier: MIT */\n' },
      { path: 'test/x.sh', text: `#!/bin/sh\necho\n# ${ID}\n` },
      { path: 'bin/ok.js', text: `#!/usr/bin/env node\n// ${ID}\n` },
    ];
    expect(missingSpdx(planted)).toEqual(['src/none.ts', 'src/late.ts', 'native/other.h', 'test/x.sh']);
  });

  it('--fix puts the line first, or after the #! line, once; another identifier there is replaced', () => {
    expect(withSpdx('a.ts', 'export {};\n')).toBe(`// ${ID}\nexport {};\n`);
    expect(withSpdx('run.sh', '#!/bin/sh\necho\n')).toBe(`#!/bin/sh\n# ${ID}\necho\n`);
    expect(withSpdx('a.h', '')).toBe(`/* ${ID} */\n`);
    expect(withSpdx('Makefile', '# SPDX-License-Identifier: GPL-2.0\nall:\n')).toBe(`# ${ID}\nall:\n`);
    expect(withSpdx('run.sh', '#!/bin/sh\n# SPDX-License-Identifier: GPL-2.0\n')).toBe(`#!/bin/sh\n# ${ID}\n`);
    const fixed = withSpdx('a.ts', 'x\n');
    expect(withSpdx('a.ts', fixed)).toBe(fixed);
    expect(missingSpdx([{ path: 'run.sh', text: withSpdx('run.sh', '#!/bin/sh') }])).toEqual([]);
  });

  it('reads the paths of a planted git index, versions 2 and 4', () => {
    const entry = (name: string, version: number, strip = 0, suffix = name): Buffer => {
      const head = Buffer.alloc(62);
      head.writeUInt16BE(Math.min(name.length, 0xfff), 60);
      if (version === 4) return Buffer.concat([head, Buffer.from([strip]), Buffer.from(`${suffix}\0`)]);
      const len = Math.ceil((62 + name.length + 1) / 8) * 8;
      return Buffer.concat([head, Buffer.from(name), Buffer.alloc(len - 62 - name.length)]);
    };
    const header = (version: number, n: number): Buffer => {
      const b = Buffer.alloc(12);
      b.write('DIRC', 0, 'latin1');
      b.writeUInt32BE(version, 4);
      b.writeUInt32BE(n, 8);
      return b;
    };
    const v2 = Buffer.concat([header(2, 2), entry('README.md', 2), entry('src/cli/main.ts', 2)]);
    expect(indexPaths(v2)).toEqual(['README.md', 'src/cli/main.ts']);
    const v4 = Buffer.concat([header(4, 2), entry('src/a.ts', 4), entry('src/b.ts', 4, 4, 'b.ts')]);
    expect(indexPaths(v4)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(() => indexPaths(Buffer.from('not an index'))).toThrow(/DIRC/);
  });
});
