/**
 * JSONC (comments, trailing commas) as JSON text of the same length and lines: comments and
 * trailing commas become spaces, so JSON.parse positions and key lines still point into the file.
 */
export function jsoncToJson(text: string): string {
  const parts: string[] = [];
  let from = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(text, i);
    } else if (c === 47 && (text.charCodeAt(i + 1) === 47 || text.charCodeAt(i + 1) === 42)) {
      const end = commentEnd(text, i);
      parts.push(
        text.slice(from, i),
        text.slice(i, end).replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length)),
      );
      from = end;
      i = end - 1;
    } else if (c === 44) {
      const next = text.charCodeAt(skipBlank(text, i + 1));
      if (next === 125 || next === 93) {
        parts.push(text.slice(from, i), ' ');
        from = i + 1;
      }
    }
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}

/** Index of the quote closing the string opening at `start` (the end of text if none). */
function stringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j;
  }
  return text.length;
}

function commentEnd(text: string, start: number): number {
  if (text.charCodeAt(start + 1) === 47) {
    const nl = text.indexOf('\n', start);
    return nl === -1 ? text.length : nl;
  }
  const close = text.indexOf('*/', start + 2);
  return close === -1 ? text.length : close + 2;
}

function skipBlank(text: string, from: number): number {
  let j = from;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 32 || c === 9 || c === 10 || c === 13) j++;
    else if (c === 47 && (text.charCodeAt(j + 1) === 47 || text.charCodeAt(j + 1) === 42)) j = commentEnd(text, j);
    else return j;
  }
}
