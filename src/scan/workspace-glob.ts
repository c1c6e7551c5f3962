import { lstat, readdir } from './observed-fs.js';
import { join } from 'node:path';
import { matchTokens, type WildcardToken } from './wildcard.js';

type SegmentMatcher = '**' | ((name: string) => boolean);

interface Pattern {
  negate: boolean;
  matchers: SegmentMatcher[];
}

/**
 * Expands npm/yarn `workspaces` globs into member directories (relative, forward slashes) that
 * hold a package.json. Like npm, patterns apply in order and `!pattern` removes what earlier
 * ones added. Symlinks are not followed and node_modules is never entered, so a walk stays inside
 * the project. Patterns that would leave the root are returned in `invalid`.
 */
export async function expandWorkspaces(
  root: string,
  globs: readonly string[],
): Promise<{ dirs: string[]; invalid: string[] }> {
  const found = new Set<string>();
  const invalid: string[] = [];
  for (const glob of globs) {
    const pattern = compile(glob);
    if (!pattern) {
      invalid.push(glob);
      continue;
    }
    if (pattern.negate) {
      for (const dir of found) {
        if (matchPath(pattern.matchers, dir === '' ? [] : dir.split('/'), 0, 0)) found.delete(dir);
      }
      continue;
    }
    const matches = new Set<string>();
    await walk(root, pattern.matchers, '', 0, matches, new Set());
    for (const dir of matches) found.add(dir);
  }
  // The root is read as the root, never as its own member.
  found.delete('');
  return { dirs: [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), invalid };
}

function compile(glob: string): Pattern | undefined {
  const negate = glob.startsWith('!');
  const segments = (negate ? glob.slice(1) : glob).split('/').filter((s) => s !== '' && s !== '.');
  if (glob.startsWith('/') || segments.includes('..')) return undefined;
  return { negate, matchers: segments.map((s) => (s === '**' ? '**' : segmentMatcher(s))) };
}

/** Brace alternatives beyond this are not expanded (`{a,b}{c,d}…` multiplies): the text is literal. */
const MAX_ALTERNATIVES = 256;

/** One path segment of a minimatch-style glob: `*`, `?`, `[...]` and `{a,b}`. */
function segmentMatcher(segment: string): (name: string) => boolean {
  if (!/[*?[{]/.test(segment)) return (name) => name === segment;
  const alternatives = expandBraces(segment);
  if (alternatives === undefined) return (name) => name === segment;
  const patterns = alternatives.map(tokenize);
  if (patterns.some((tokens) => tokens === undefined)) return (name) => name === segment;
  // As in minimatch, wildcards do not match dot-directories unless the pattern starts with a dot.
  const dotOk = segment.startsWith('.');
  return (name) => (dotOk || !name.startsWith('.')) && patterns.some((tokens) => matchTokens(tokens!, name));
}

/** `a{b,c{d,e}}` → `ab`, `acd`, `ace`; undefined when braces do not balance or expand too far. */
function expandBraces(text: string): string[] | undefined {
  const open = text.indexOf('{');
  if (open === -1) return [text];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < text.length && close === -1; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) close = i;
    else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close === -1) return undefined;
  const bounds = [open, ...commas, close];
  const rest = expandBraces(text.slice(close + 1));
  if (rest === undefined) return undefined;
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const inner = expandBraces(text.slice(bounds[k]! + 1, bounds[k + 1]));
    if (inner === undefined) return undefined;
    for (const head of inner) {
      for (const tail of rest) {
        out.push(text.slice(0, open) + head + tail);
        if (out.length > MAX_ALTERNATIVES) return undefined;
      }
    }
  }
  return out;
}

/** `*`, `?` and `[...]` (`[!...]` negated, ranges); a class that is not valid is literal text. */
function tokenize(pattern: string): WildcardToken[] | undefined {
  const tokens: WildcardToken[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const classEnd = c === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (c === '*') {
      if (tokens[tokens.length - 1] !== '*') tokens.push('*');
    } else if (c === '?') {
      tokens.push(() => true);
    } else if (classEnd !== -1) {
      const test = characterClass(pattern.slice(i + 1, classEnd));
      if (!test) return undefined;
      tokens.push(test);
      i = classEnd;
    } else {
      tokens.push((x) => x === c);
    }
  }
  return tokens;
}

/** A one-character test for the body of `[...]`; a single-character regex cannot backtrack. */
function characterClass(body: string): ((c: string) => boolean) | undefined {
  try {
    const re = new RegExp(`^[${body.replace(/^!/, '^').replace(/\\/g, '\\\\')}]$`);
    return (c) => re.test(c);
  } catch {
    // A class like `[z-a]` is not a valid range; minimatch then matches the text literally.
    return undefined;
  }
}

/**
 * Whether `parts` from `p` on match `matchers` from `m` on. Positions that failed are remembered:
 * without that, each `**` multiplies the work by the depth (several double-star segments on a deep tree).
 */
function matchPath(
  matchers: SegmentMatcher[],
  parts: string[],
  m: number,
  p: number,
  failed = new Set<number>(),
): boolean {
  if (m === matchers.length) return p === parts.length;
  const key = m * (parts.length + 1) + p;
  if (failed.has(key)) return false;
  const matcher = matchers[m];
  let matched = false;
  if (matcher === '**') {
    for (let k = p; k <= parts.length && !matched; k++) {
      if (k > p && parts[k - 1]?.startsWith('.')) break;
      matched = matchPath(matchers, parts, m + 1, k, failed);
    }
  } else {
    const part = parts[p];
    matched =
      part !== undefined && matcher !== undefined && matcher(part) && matchPath(matchers, parts, m + 1, p + 1, failed);
  }
  if (!matched) failed.add(key);
  return matched;
}

async function walk(
  root: string,
  matchers: SegmentMatcher[],
  dir: string,
  m: number,
  out: Set<string>,
  seen: Set<string>,
): Promise<void> {
  // Several `**` can reach one directory at one pattern position by different routes.
  const key = `${m}\0${dir}`;
  if (seen.has(key)) return;
  seen.add(key);
  const matcher = matchers[m];
  if (matcher === undefined) {
    if (await isFile(join(root, dir, 'package.json'))) out.add(dir);
    return;
  }
  const child = (name: string): string => (dir === '' ? name : `${dir}/${name}`);
  if (matcher === '**') {
    await walk(root, matchers, dir, m + 1, out, seen);
    for (const name of await subdirectories(join(root, dir))) {
      if (!name.startsWith('.')) await walk(root, matchers, child(name), m, out, seen);
    }
    return;
  }
  for (const name of await subdirectories(join(root, dir))) {
    if (matcher(name)) await walk(root, matchers, child(name), m + 1, out, seen);
  }
}

/** Real directories only: a Dirent for a symlink is not a directory, so links are not followed. */
async function subdirectories(abs: string): Promise<string[]> {
  try {
    const entries = await readdir(abs, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && e.name !== 'node_modules').map((e) => e.name);
  } catch {
    // Unreadable or vanished directory: it holds no workspace members we can read.
    return [];
  }
}

async function isFile(abs: string): Promise<boolean> {
  try {
    return (await lstat(abs)).isFile();
  } catch {
    return false;
  }
}
