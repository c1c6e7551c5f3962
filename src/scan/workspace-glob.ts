import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

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

/** One path segment of a minimatch-style glob: `*`, `?`, `[...]` and `{a,b}`. */
function segmentMatcher(segment: string): (name: string) => boolean {
  if (!/[*?[{]/.test(segment)) return (name) => name === segment;
  let source = '';
  let braces = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] ?? '';
    const classEnd = c === '[' ? segment.indexOf(']', i + 2) : -1;
    if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) {
      source += '|';
    } else if (classEnd !== -1) {
      source += `[${segment.slice(i + 1, classEnd).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = classEnd;
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  if (braces > 0) return (name) => name === segment;
  let re: RegExp;
  try {
    re = new RegExp(`^${source}$`);
  } catch {
    // A class like `[z-a]` is not a valid range; minimatch then matches the text literally.
    return (name) => name === segment;
  }
  // As in minimatch, wildcards do not match dot-directories unless the pattern starts with a dot.
  const dotOk = segment.startsWith('.');
  return (name) => (dotOk || !name.startsWith('.')) && re.test(name);
}

function matchPath(matchers: SegmentMatcher[], parts: string[], m: number, p: number): boolean {
  if (m === matchers.length) return p === parts.length;
  const matcher = matchers[m];
  if (matcher === '**') {
    for (let k = p; k <= parts.length; k++) {
      if (k > p && parts[k - 1]?.startsWith('.')) break;
      if (matchPath(matchers, parts, m + 1, k)) return true;
    }
    return false;
  }
  const part = parts[p];
  return part !== undefined && matcher !== undefined && matcher(part) && matchPath(matchers, parts, m + 1, p + 1);
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
