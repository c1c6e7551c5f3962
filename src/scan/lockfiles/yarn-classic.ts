import { createRequire } from 'node:module';
import type { InputError, LockedSource, Lockfile } from '../../model/references.js';
import type { KeyLines } from '../json-lines.js';
import type { LockfileRead } from './reader.js';
import { addEntry, entryError, isRecord, type Fields, type ReadContext } from './entries.js';
import { sourceOf, specSource, splitNameRef } from './source.js';

// A webpack bundle marked __esModule whose parse is on module.exports: Node's ESM default import
// and vite's disagree about it; require is the same everywhere.
const { parse } = createRequire(import.meta.url)('@yarnpkg/lockfile') as typeof import('@yarnpkg/lockfile');

/**
 * yarn.lock of yarn 1. An entry is keyed by every descriptor (`name@range`) it satisfies; the
 * parser repeats one shared object under each, which groups them back into one entry.
 */
export function readYarnClassicLockfile(relPath: string, text: string): LockfileRead {
  if (text.includes('\0'))
    return {
      errors: [{ file: relPath, reason: 'binary', message: 'binary file (contains NUL bytes), not a yarn.lock' }],
    };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const guarded = guardTokenizer(relPath, body);
  if ('error' in guarded) return { errors: [guarded.error] };
  let parsed: ReturnType<typeof parse>;
  try {
    // The parser's tokenizer loops forever on a string with no closing quote anywhere after it,
    // and on a comment at the very end without a newline: a last line holding a comment with a
    // quote ends both, and changes nothing in a file that was whole.
    parsed = parse(`${guarded.text}\n#"\n`);
  } catch (err) {
    return { errors: [syntaxError(relPath, body, err)] };
  }
  if (parsed.type === 'conflict') {
    return { errors: [{ file: relPath, reason: 'invalid-syntax', message: 'unresolved merge conflict' }] };
  }
  const ctx: ReadContext = { file: relPath, lines: headerLines(body), packages: [], errors: [] };
  const groups = new Map<Fields, string[]>();
  for (const [key, value] of Object.entries(parsed.object as Record<string, unknown>)) {
    if (!isRecord(value)) {
      ctx.errors.push(entryError(ctx, [key], 'invalid-entry', 'entry is not a mapping'));
      continue;
    }
    const keys = groups.get(value);
    if (keys) keys.push(key);
    else groups.set(value, [key]);
  }
  for (const [entry, keys] of groups) readEntry(ctx, keys, entry);
  const lockfile: Lockfile = { path: relPath, format: 'yarn-classic', lockfileVersion: 1, packages: ctx.packages };
  return { lockfile, errors: ctx.errors };
}

function readEntry(ctx: ReadContext, keys: string[], entry: Fields): void {
  const at = [keys[0]!];
  const id = splitNameRef(keys[0]!);
  if (!id || typeof entry.version !== 'string' || entry.version === '') {
    const why = id ? 'entry has no version string' : 'key is not name@range';
    ctx.errors.push(entryError(ctx, at, 'invalid-entry', why));
    return;
  }
  let name = id.name;
  let range = id.ref;
  // `alias@npm:real@^1` installs `real` under the name `alias`.
  if (range.startsWith('npm:')) {
    const real = splitNameRef(range.slice(4));
    name = real?.name ?? name;
    range = real?.ref ?? range.slice(4);
  }
  const resolved = typeof entry.resolved === 'string' ? entry.resolved : undefined;
  const source = rangeSource(range) ?? sourceOf(name, entry.version, resolved) ?? 'registry';
  addEntry(ctx, at, {
    path: keys.join(', '),
    name,
    version: entry.version,
    source,
    resolved,
    integrity: typeof entry.integrity === 'string' ? entry.integrity : undefined,
    alias: id.name,
  });
}

/** Non-registry ranges, including yarn's GitHub shorthand `user/repo#ref`. */
function rangeSource(range: string): LockedSource | undefined {
  return specSource(range) ?? (/^[\w-][\w.-]*\/[\w.-]+(#.*)?$/.test(range) ? 'git' : undefined);
}

/** Lines of entry headers (`"a@^1", a@^1.2:` at column 0), by each key they hold. */
function headerLines(text: string): KeyLines {
  const lines = new Map<string, number>();
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const header = raw.trimEnd();
    const c = header.charCodeAt(0);
    // Indented lines are fields, `#` comments; headers end in `:`.
    if (c === 32 || c === 9 || c === 35 || !header.endsWith(':')) continue;
    for (const key of header.slice(0, -1).split(',')) {
      const trimmed = key.trim();
      lines.set(trimmed.startsWith('"') ? unquote(trimmed) : trimmed, line);
    }
  }
  return { lineOf: (path) => (path.length === 1 ? lines.get(path[0]!) : undefined) };
}

function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** The parser says where it stopped as `3:4 in lockfile` at the end of its message. */
function syntaxError(file: string, text: string, err: unknown): InputError {
  const message = (err instanceof Error ? err.message : String(err)).replace(/[\u0000-\u001f\u007f]/g, ' ');
  const at = /(\d+):(\d+) in lockfile$/.exec(message);
  const error: InputError = { file, reason: 'invalid-syntax', message: `invalid yarn.lock: ${message}` };
  if (at) {
    error.line = fileLine(text, Number(at[1]));
    error.column = Math.max(1, Number(at[2]));
  }
  return error;
}

/**
 * The file line of the parser's line `n`: its tokenizer takes `\n\n` for one line break (as it
 * should `\r\n`), so every blank line puts it one line behind.
 */
function fileLine(text: string, n: number): number {
  let theirs = 1;
  let line = 1;
  for (let i = 0; i < text.length && theirs < n; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    theirs++;
    if (c === 10) line++;
    if (text.charCodeAt(i + 1) === 10) {
      line++;
      i++;
    }
  }
  return line;
}

/** Longer comments are cut: the parser reads only `# yarn lockfile v1` from them. */
const MAX_COMMENT = 256;

/**
 * What the parser's tokenizer cannot take in linear time, settled first: it builds each string
 * and comment a character at a time, so a string left open runs to the end of the file and a
 * long comment costs far more than its length. A string in a yarn.lock never spans lines, so an
 * open one is an error at its line; long comments are shortened in place (lines are kept).
 */
function guardTokenizer(file: string, text: string): { text: string } | { error: InputError } {
  const lines = text.split('\n');
  let changed = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    let inString = false;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (inString) {
        if (c === 92) i++;
        else if (c === 34) inString = false;
        continue;
      }
      const prev = i === 0 ? 32 : line.charCodeAt(i - 1);
      const tokenStart = prev === 32 || prev === 9 || prev === 44 || prev === 58;
      if (c === 34 && tokenStart) inString = true;
      else if (c === 35 && tokenStart) {
        if (line.length - i > MAX_COMMENT) {
          lines[n] = line.slice(0, i + MAX_COMMENT);
          changed = true;
        }
        break;
      }
    }
    if (inString)
      return {
        error: { file, line: n + 1, reason: 'invalid-syntax', message: 'invalid yarn.lock: unterminated string' },
      };
  }
  return { text: changed ? lines.join('\n') : text };
}
