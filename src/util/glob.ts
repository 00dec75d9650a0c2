// SPDX-License-Identifier: GPL-2.0-only
// Shell-style globs (`*` any run of characters, `?` one character, nothing
// else special) for scenario ids and kernel releases. Matched by a two-pointer
// scan that remembers only the last `*`: at most (|glob|+1)(|text|+1)+|glob|
// steps, linear in the text for any glob, where a `.*`-per-star regex
// backtracks polynomially on patterns like `*a*a*a*b` (and a pattern comes
// from a user's file, so it must stay cheap). Code units, like a regex
// without the u flag: `?` matches one UTF-16 unit.

export interface GlobScan {
  matched: boolean;
  /** Loop iterations taken: what the linear-time bound is stated in (test/unit/util). */
  steps: number;
}

/** globMatch with the count of steps it took. */
export function globScan(glob: string, text: string): GlobScan {
  let steps = 0;
  let g = 0;
  let t = 0;
  let star = -1; // index in glob just after the last '*'
  let mark = 0; // where in text that '*' currently stops
  while (t < text.length) {
    steps++;
    const c = glob[g];
    if (c === '*') {
      star = ++g;
      mark = t;
    } else if (g < glob.length && (c === '?' || c === text[t])) {
      g++;
      t++;
    } else if (star >= 0) {
      // let the last '*' swallow one more character and retry from there
      g = star;
      t = ++mark;
    } else {
      return { matched: false, steps };
    }
  }
  while (glob[g] === '*') {
    steps++;
    g++;
  }
  return { matched: g === glob.length, steps };
}

/** Whether `text` matches `glob` as a whole. */
export function globMatch(glob: string, text: string): boolean {
  return globScan(glob, text).matched;
}

/** Whether `s` contains a wildcard (then it may match several ids). */
export function isGlob(s: string): boolean {
  return s.includes('*') || s.includes('?');
}
