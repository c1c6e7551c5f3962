/**
 * Optimal string alignment distance (Damerau-Levenshtein where an adjacent transposition costs 1
 * and no substring is edited twice), bounded: only the diagonal band of width 2·max+1 is filled,
 * and a row whose every cell exceeds max ends the comparison. Against a length bucket of a large
 * index most pairs stop after two or three rows, which is what makes a full scan affordable.
 * fastest-levenshtein is not used because it counts a transposition as two edits.
 */

// Three rows reused across calls; grown when a longer name comes along.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

/** The distance between a and b when it is at most max, otherwise max + 1. */
export function boundedOsa(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0 || m === 0) return Math.max(n, m);
  if (rows[0].length <= m + 1) rows = [new Int32Array(m + 2), new Int32Array(m + 2), new Int32Array(m + 2)];
  const over = max + 1;
  const shift = n - m;
  let [prev2, prev, cur] = rows;
  // Rows 1 and 2 read row 0 no further right than max + 1.
  for (let j = 0, end = Math.min(m, max + 1); j <= end; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(m, i + max);
    // The cells just outside the band are read by this row and the next: fence them off.
    cur[lo - 1] = lo === 1 ? i : over;
    if (hi < m) cur[hi + 1] = over;
    const ai = a.charCodeAt(i - 1);
    const aPrev = i > 1 ? a.charCodeAt(i - 2) : -1;
    // A cell's value plus the length difference still to cover is a lower bound on the result.
    // Column 0 counts too: a path may leave it diagonally into the next row's band.
    let rowMin = lo === 1 ? i + Math.abs(shift - i) : over;
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (j > 1 && ai === b.charCodeAt(j - 2) && aPrev === bj) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      const bound = v + Math.abs(shift - i + j);
      if (bound < rowMin) rowMin = bound;
    }
    if (rowMin > max) return over;
    const spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  return Math.min(prev[m]!, over);
}
