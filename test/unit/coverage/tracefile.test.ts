// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import {
  parseTracefile,
  pct,
  summarise,
  summaryTable,
  TracefileError,
  unreachedFunctions,
} from '../../../src/coverage/tracefile.js';
import { compareTable, unreachedByAll } from '../../../src/coverage/compare.js';

const TREE = '/b/tiny-coverage/tree';
const GOOD = `TN:
SF:${TREE}/fs/tracefs/inode.c
FN:10,tracefs_create_file
FN:40,tracefs_remove
FNDA:3,tracefs_create_file
FNDA:0,tracefs_remove
FNF:2
FNH:1
BRDA:12,0,0,2
BRDA:12,0,1,-
BRDA:13,0,0,0
BRF:3
BRH:1
DA:10,3
DA:11,3
DA:40,0
LF:3
LH:2
end_of_record
`;

describe('parseTracefile', () => {
  it('counts lines, functions and branches from the records', () => {
    const s = summarise(parseTracefile(GOOD), 'fs/tracefs/inode.c');
    expect(s).toEqual({
      file: 'fs/tracefs/inode.c',
      present: true,
      lines: { hit: 2, total: 3 },
      functions: { hit: 1, total: 2 },
      branches: { hit: 1, total: 3 },
    });
  });

  it('adds up two records of one file', () => {
    const again = GOOD.replace('FNDA:0,tracefs_remove', 'FNDA:1,tracefs_remove').replace('DA:40,0', 'DA:40,1');
    const s = summarise(parseTracefile(GOOD + again), 'fs/tracefs/inode.c');
    expect(s.lines).toEqual({ hit: 3, total: 3 });
    expect(s.functions).toEqual({ hit: 2, total: 2 });
  });

  it.each([
    ['a line that is no record', GOOD.replace('LF:3', 'garbage here')],
    ['a count that is not a number', GOOD.replace('DA:11,3', 'DA:11,x')],
    ['a record cut short (no end_of_record)', GOOD.replace('end_of_record\n', '')],
    ['a record outside SF', `DA:1,1\n${GOOD}`],
    ['an unknown key', GOOD.replace('LH:2', 'XX:2')],
    ['a BRDA with three fields', GOOD.replace('BRDA:13,0,0,0', 'BRDA:13,0,0')],
  ])('refuses %s', (_why, text) => {
    expect(() => parseTracefile(text)).toThrow(TracefileError);
  });
});

describe('summarise', () => {
  it('shows a file missing from the tracefile as 0/0, not as 100%', () => {
    const t = parseTracefile(GOOD);
    const s = summarise(t, 'fs/tracefs/event_inode.c');
    expect(s.present).toBe(false);
    expect(s.lines).toEqual({ hit: 0, total: 0 });
    expect(pct(s.lines)).toBe('-');
    expect(summaryTable(t, ['fs/tracefs/event_inode.c'])).toContain('0/0 (-)');
    expect(summaryTable(t, ['fs/tracefs/event_inode.c'])).toContain('not in the tracefile');
  });

  it('matches a file by its path under the tree, not by its base name', () => {
    const t = parseTracefile(GOOD.replace('fs/tracefs/inode.c', 'fs/proc/inode.c'));
    expect(summarise(t, 'fs/tracefs/inode.c').present).toBe(false);
  });

  it('lists the functions never entered, by line', () => {
    expect(unreachedFunctions(parseTracefile(GOOD), 'fs/tracefs/inode.c')).toEqual([
      { name: 'tracefs_remove', line: 40 },
    ]);
  });

  it('prints hit/total and a percentage per file', () => {
    const table = summaryTable(parseTracefile(GOOD), ['fs/tracefs/inode.c']);
    expect(table.split('\n')[1]).toMatch(
      /^fs\/tracefs\/inode\.c\s+2\/3 \(66\.7%\)\s+1\/2 \(50\.0%\)\s+1\/3 \(33\.3%\)$/,
    );
  });
});

describe('compareTable and unreachedByAll', () => {
  const a = parseTracefile(GOOD);
  const b = parseTracefile(
    GOOD.replace('FNDA:3,tracefs_create_file', 'FNDA:0,tracefs_create_file').replace(
      'FNDA:0,tracefs_remove',
      'FNDA:1,tracefs_remove',
    ),
  );
  const c = parseTracefile(GOOD);

  it('puts suites side by side, a file a tracefile lacks as 0/0 (-)', () => {
    const t = compareTable([{ name: 'x', tracefile: a }], ['fs/tracefs/inode.c', 'fs/tracefs/event_inode.c']);
    expect(t).toBe(
      '| file | x: lines | x: branches |\n| --- | --- | --- |\n' +
        '| fs/tracefs/inode.c | 2/3 (66.7%) | 1/3 (33.3%) |\n| fs/tracefs/event_inode.c | 0/0 (-) | 0/0 (-) |\n',
    );
  });

  it('lists a function only when no suite entered it', () => {
    expect(
      unreachedByAll(
        [
          { name: 'a', tracefile: a },
          { name: 'c', tracefile: c },
        ],
        'fs/tracefs/inode.c',
      ),
    ).toEqual([{ name: 'tracefs_remove', line: 40 }]);
    expect(
      unreachedByAll(
        [
          { name: 'a', tracefile: a },
          { name: 'b', tracefile: b },
        ],
        'fs/tracefs/inode.c',
      ),
    ).toEqual([]);
    expect(unreachedByAll([{ name: 'a', tracefile: a }], 'fs/tracefs/event_inode.c')).toEqual([]);
  });
});
