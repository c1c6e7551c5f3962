/**
 * Wildcard matching without a backtracking regex: `*a*a*a*b` as a RegExp takes time polynomial in
 * the name's length with the number of stars for its exponent, and globs and names both come from
 * files an attacker may write. This is the greedy two-pointer algorithm: O(pattern × name) at worst.
 */

/** One character of a pattern: a test, or a star (`*`, any run of characters). */
export type WildcardToken = '*' | ((c: string) => boolean);

export function matchTokens(tokens: readonly WildcardToken[], name: string): boolean {
  let t = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token === '*') {
      star = t++;
      resume = n;
    } else if (token !== undefined && token(name[n]!)) {
      t++;
      n++;
    } else if (star !== -1) {
      // Let the last star take one more character and retry what follows it.
      t = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (tokens[t] === '*') t++;
  return t === tokens.length;
}

/** A pattern whose only wildcard is `*`. */
export function starPattern(pattern: string): (name: string) => boolean {
  const tokens: WildcardToken[] = pattern.split('').map((c) => (c === '*' ? '*' : (x: string) => x === c));
  return (name) => matchTokens(tokens, name);
}
