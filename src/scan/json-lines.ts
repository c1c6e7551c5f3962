import type { InputError } from '../model/references.js';

/** Decides, for an object reached by a recorded key path, whether its own keys are recorded. */
export type KeyFilter = (path: readonly string[]) => boolean;

/** 1-based lines of object keys, looked up by key path (`['dependencies', 'left-pad']`). */
export interface KeyLines {
  lineOf(path: readonly string[]): number | undefined;
}

interface KeyNode {
  line: number;
  children: Map<string, KeyNode> | undefined;
}

interface Frame {
  /** Undefined when this container's keys are not recorded. */
  keys: Map<string, KeyNode> | undefined;
  /** The last key read in this object, whose value any `{` that follows is. */
  lastKey: KeyNode | undefined;
  lastName: string;
}

const BOM = 0xfeff;

/**
 * Parses JSON text. A leading BOM is dropped (editors on Windows write one and JSON.parse rejects
 * it); text with NUL bytes is reported as binary rather than as a confusing syntax error.
 */
export function parseJson(file: string, text: string): { value?: unknown; error?: InputError } {
  const body = text.charCodeAt(0) === BOM ? text.slice(1) : text;
  if (body.includes('\0')) {
    return { error: { file, reason: 'binary', message: 'binary file (contains NUL bytes), not JSON' } };
  }
  try {
    return { value: JSON.parse(body) as unknown };
  } catch (err) {
    // V8 quotes a piece of the file in its message; keep control characters out of reports.
    const message = (err instanceof Error ? err.message : String(err)).replace(/[\u0000-\u001f\u007f]/g, ' ');
    const position = jsonErrorPosition(body, message);
    return { error: { file, reason: 'invalid-json', ...position, message: `invalid JSON: ${message}` } };
  }
}

/**
 * Line and column of a JSON.parse failure, from whichever form V8's message takes: Node 20 says
 * `at position N`, later V8 `(line L column C)`; some messages carry neither.
 */
export function jsonErrorPosition(text: string, message: string): { line?: number; column?: number } {
  const lc = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /at position (\d+)/.exec(message);
  if (pos) return lineColumn(text, Math.min(Number(pos[1]), text.length));
  // "Unexpected end of JSON input" carries no position but can only mean the end.
  if (/end of JSON input/.test(message)) return lineColumn(text, text.length);
  return {};
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Records the line of object keys, in linear time, for text JSON.parse accepted (so strings hold
 * no raw newline and are jumped over with indexOf). Keys are recorded for the root object (when
 * `keysOf([])`) and for each object reached through a recorded key whose path `keysOf` accepts; a
 * string is a key when the next non-blank character is `:`. Containers whose keys are not wanted,
 * the bulk of a lockfile, go through the small `containerEnd` loop, which V8 optimises quickly:
 * on a cold start that halved the time of this pass.
 */
export function indexKeyLines(text: string, keysOf: KeyFilter = () => true): KeyLines {
  const root = new Map<string, KeyNode>();
  const stack: Frame[] = [];
  const path: string[] = [];
  let top: Frame | undefined;
  let line = 1;
  // The next newline at or after the skipped container: searched for once, not from each one
  // (in one-line JSON every search would run to the end: quadratic time).
  let nextNewline = text.indexOf('\n');
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
    } else if (c === 34) {
      let end = text.indexOf('"', i + 1);
      if (end === -1) break;
      if (text.charCodeAt(end - 1) === 92) end = stringEnd(text, i);
      if (top?.keys && nextNonBlank(text, end + 1) === 58) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        // Every node gets `children` up front, so all share one hidden class.
        const node: KeyNode = { line, children: undefined };
        top.keys.set(key, node);
        top.lastKey = node;
        top.lastName = key;
      }
      i = end;
    } else if (c === 123 || c === 91) {
      let keys: Map<string, KeyNode> | undefined;
      if (c === 123 && !top) {
        if (keysOf(path)) keys = root;
      } else if (c === 123 && top?.lastKey) {
        path.push(top.lastName);
        if (keysOf(path)) keys = top.lastKey.children = new Map();
        else path.pop();
      }
      if (!keys) {
        const end = containerEnd(text, i);
        if (nextNewline !== -1 && nextNewline < i) nextNewline = text.indexOf('\n', i);
        for (; nextNewline !== -1 && nextNewline < end; nextNewline = text.indexOf('\n', nextNewline + 1)) line++;
        i = end;
        continue;
      }
      top = { keys, lastKey: undefined, lastName: '' };
      stack.push(top);
    } else if (c === 125 || c === 93) {
      stack.pop();
      if (stack.length > 0) path.pop();
      // Reading past the end of the stack would deoptimize this loop.
      top = stack.length > 0 ? stack[stack.length - 1] : undefined;
    }
  }
  return { lineOf: (p) => lookup(root, p) };
}

/** Index of the bracket closing the container that opens at `start`; strings are jumped over. */
function containerEnd(text: string, start: number): number {
  let depth = 0;
  const n = text.length;
  for (let j = start; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) {
      let end = text.indexOf('"', j + 1);
      if (end === -1) break;
      if (text.charCodeAt(end - 1) === 92) end = stringEnd(text, j);
      j = end;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if ((c === 125 || c === 93) && --depth === 0) {
      return j;
    }
  }
  return n;
}

function nextNonBlank(text: string, from: number): number {
  let c = text.charCodeAt(from);
  while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++from);
  return c;
}

/** Index of the quote closing the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let q = text.indexOf('"', start + 1);
  while (q !== -1) {
    let backslashes = 0;
    for (let j = q - 1; text.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return text.length;
}

function lookup(root: Map<string, KeyNode>, path: readonly string[]): number | undefined {
  let keys: Map<string, KeyNode> | undefined = root;
  let node: KeyNode | undefined;
  for (const key of path) {
    node = keys?.get(key);
    if (!node) return undefined;
    keys = node.children;
  }
  return node?.line;
}
