// Shell-style globs (`*` any run of characters, `?` one character, nothing
// else special) for scenario ids and kernel releases. Matched by a two-pointer
// scan that remembers only the last `*`: linear-ish time on any input, where
// a `.*`-per-star regex backtracks polynomially on patterns like `*a*a*a*b`
// (and a pattern comes from a user's file, so it must stay cheap).

/** Whether `text` matches `glob` as a whole. */
export function globMatch(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1; // index in glob just after the last '*'
  let mark = 0; // where in text that '*' currently stops
  while (t < text.length) {
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
      return false;
    }
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

/** Whether `s` contains a wildcard (then it may match several ids). */
export function isGlob(s: string): boolean {
  return s.includes('*') || s.includes('?');
}
