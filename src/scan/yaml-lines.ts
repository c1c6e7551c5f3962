import { CORE_SCHEMA, FAILSAFE_SCHEMA, loadAll } from 'js-yaml';
import type { InputError } from '../model/references.js';
import type { KeyFilter, KeyLines } from './json-lines.js';

export interface YamlParse {
  value?: unknown;
  /** Offset where the document read starts (after the last `---` of a multi-document file). */
  start: number;
  error?: InputError;
}

/**
 * Parses YAML with js-yaml, as pnpm and yarn read their own lockfiles: on a 344 KiB pnpm
 * lockfile it takes ~15 ms where the `yaml` package takes ~300 ms. `failsafe` keeps every scalar
 * a string, as yarn berry reads its lockfile; `json` lets a repeated key override instead of
 * failing, as yarn does. pnpm may put an environment document before the lockfile proper: the
 * last document is read.
 */
export function parseYaml(
  file: string,
  text: string,
  options: { failsafe?: boolean; json?: boolean; shared?: 'refuse' } = {},
): YamlParse {
  if (text.includes('\0'))
    return { start: 0, error: { file, reason: 'binary', message: 'binary file (contains NUL bytes), not YAML' } };
  let docs: unknown[];
  try {
    docs = loadAll(text, null, {
      schema: options.failsafe ? FAILSAFE_SCHEMA : CORE_SCHEMA,
      json: options.json ?? false,
    });
  } catch (err) {
    const mark = (err as { mark?: { line?: unknown; column?: unknown } }).mark;
    const reason = (err as { reason?: unknown }).reason;
    const why = typeof reason === 'string' ? reason : err instanceof Error ? err.message : String(err);
    const error: InputError = {
      file,
      reason: 'invalid-syntax',
      message: `invalid YAML: ${why.replace(/[\u0000-\u001f\u007f]/g, ' ')}`,
    };
    if (typeof mark?.line === 'number') error.line = mark.line + 1;
    if (typeof mark?.column === 'number') error.column = mark.column + 1;
    return { start: 0, error };
  }
  let start = 0;
  if (docs.length > 1) for (const m of text.matchAll(/^---(?=[ \t\r\n]|$)/gm)) start = m.index;
  const value = docs[docs.length - 1];
  if (options.shared === 'refuse' && hasSharedNodes(value)) {
    const message =
      'a mapping or list is used twice through a YAML alias, which package managers never write (each use would be read again: a small file can stand for a huge one)';
    return { start, error: { file, reason: 'invalid-syntax', message } };
  }
  return { value, start };
}

/** Whether some mapping or list is reached twice: an alias (`*a`) of an anchored collection. */
function hasSharedNodes(root: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (seen.has(node)) return true;
    seen.add(node);
    for (const value of Object.values(node)) stack.push(value);
  }
  return false;
}

/**
 * 1-based lines of block-mapping keys, by key path, for text js-yaml accepted, in one pass over
 * the lines (js-yaml keeps no positions; a parser that does, `yaml`, is the slow one). Keys are
 * recorded when `keysOf` accepts the path of the mapping they are in. Flow collections,
 * sequences and multi-line scalars are stepped over, never indexed.
 */
export function indexYamlKeyLines(text: string, keysOf: KeyFilter, start = 0): KeyLines {
  const found = new Map<string, number>();
  const keys: string[] = [];
  const indents: number[] = [];
  let line = 1;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < start; nl = text.indexOf('\n', nl + 1)) line++;
  // Inside a `|` or `>` block scalar: lines indented deeper than its key belong to it.
  let blockIndent = -1;
  for (let pos = start; pos < text.length; line++) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    const lineStart = pos;
    pos = end + 1;
    if (text.charCodeAt(end - 1) === 13) end--;
    let i = lineStart;
    while (text.charCodeAt(i) === 32) i++;
    const indent = i - lineStart;
    const c = text.charCodeAt(i);
    if (i >= end || c === 35) continue;
    if (blockIndent >= 0) {
      if (indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (c === 45 && (i + 1 === end || text.charCodeAt(i + 1) === 32 || text.startsWith('--', i + 1))) {
      if (indent === 0 && text.startsWith('---', i)) {
        keys.length = 0;
        indents.length = 0;
      }
      continue;
    }
    while (indents.length > 0 && indents[indents.length - 1]! >= indent) {
      indents.pop();
      keys.pop();
    }
    const read = readKey(text, i, end);
    if (!read) continue;
    if (keysOf(keys)) found.set(keys.length > 0 ? `${keys.join('\0')}\0${read.key}` : read.key, line);
    keys.push(read.key);
    indents.push(indent);
    const v = text.charCodeAt(read.valueStart);
    if (v === 124 || v === 62) blockIndent = indent;
  }
  return { lineOf: (path) => found.get(path.join('\0')) };
}

/** The key a `key: value` line starts with at `i`, quoted or plain, and where its value starts. */
function readKey(text: string, i: number, end: number): { key: string; valueStart: number } | undefined {
  const c = text.charCodeAt(i);
  let key: string;
  let after: number;
  if (c === 39 || c === 34) {
    const close = closingQuote(text, i, end);
    if (close === -1) return undefined;
    const raw = text.slice(i + 1, close);
    key = c === 39 ? raw.replaceAll("''", "'") : unescapeDouble(raw);
    after = close + 1;
    while (text.charCodeAt(after) === 32) after++;
    if (text.charCodeAt(after) !== 58) return undefined;
  } else {
    // Flow collections, complex keys, anchors, aliases, tags and block scalars start no plain key.
    if ('{[?&*!|>%@`'.includes(text[i]!)) return undefined;
    after = text.indexOf(':', i);
    while (after !== -1 && after < end) {
      const next = text.charCodeAt(after + 1);
      if (after + 1 === end || next === 32 || next === 9) break;
      after = text.indexOf(':', after + 1);
    }
    if (after === -1 || after >= end) return undefined;
    key = text.slice(i, after).trimEnd();
  }
  let valueStart = after + 1;
  while (text.charCodeAt(valueStart) === 32) valueStart++;
  return { key, valueStart };
}

function closingQuote(text: string, open: number, end: number): number {
  const quote = text[open]!;
  for (let q = text.indexOf(quote, open + 1); q !== -1 && q < end; q = text.indexOf(quote, q + 1)) {
    if (quote === "'") {
      // `''` is an escaped quote inside single quotes.
      if (text[q + 1] === "'") {
        q++;
        continue;
      }
      return q;
    }
    let backslashes = 0;
    for (let j = q - 1; text.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
  return -1;
}

/** YAML double-quoted escapes are a superset of JSON's; the common ones decode through JSON. */
function unescapeDouble(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
