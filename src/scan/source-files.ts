/** The project's own JS/TS source files, as git would see them (ignored files and build output left out). */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import type { InputError } from '../model/references.js';
import { MAX_PROJECT_FILE_BYTES, readErrorOf, readRegularFile } from './read-text.js';

export const SOURCE_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'];

/** Installed packages, VCS data, and the build output of common tools: none of it is the project's source. */
const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.turbo',
  '.vercel',
  '.cache',
]);

// Declaration files describe code elsewhere; `foo.d.css.ts` is TypeScript's arbitrary-extension form.
const DECLARATION = /\.d(\.[^./]+)?\.[mc]?ts$/i;

export function isSourceFile(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && SOURCE_EXTENSIONS.includes(name.slice(dot).toLowerCase()) && !DECLARATION.test(name);
}

/** The .gitignore rules of one directory, applied to paths relative to it. */
interface IgnoreScope {
  dir: string;
  rules: Ignore;
}

export interface SourceFileList {
  /** Root-relative, forward slashes, sorted. */
  files: string[];
  errors: InputError[];
}

/** `ignorePaths`: the configuration's `ignore.paths`, gitignore patterns from the root: never read, not even listed. */
export async function listSourceFiles(root: string, ignorePaths: readonly string[] = []): Promise<SourceFileList> {
  const files: string[] = [];
  const errors: InputError[] = [];
  // Apart from .gitignore's scopes: no `!pattern` in a .gitignore brings these back.
  const configured = ignorePaths.length ? ignore().add([...ignorePaths]) : undefined;
  const walked: Walked = { real: new Set(), links: [] };
  await walk(root, '', [], files, errors, configured, walked);
  // Linked directories (`src/shared -> ../../shared`) are followed once the real tree is read, in
  // name order, each real directory once: a link back up (a loop) or to a directory already read
  // adds nothing, and which path a file is listed under does not depend on timing.
  while (walked.links.length) {
    const [link] = walked.links.sort((a, b) => compareStrings(a.rel, b.rel)).splice(0, 1);
    await walk(root, link!.rel, link!.scopes, files, errors, configured, walked);
  }
  files.sort(compareStrings);
  errors.sort((a, b) => compareStrings(a.file, b.file));
  return { files, errors };
}

/** Real directories already read, and linked ones still to follow. */
interface Walked {
  real: Set<string>;
  links: Array<{ rel: string; scopes: IgnoreScope[] }>;
}

async function walk(root: string, dir: string, scopes: IgnoreScope[], files: string[], errors: InputError[], configured: Ignore | undefined, walked: Walked): Promise<void> {
  const abs = path.join(root, dir);
  const real = await realpath(abs).catch(() => abs);
  if (walked.real.has(real)) return;
  walked.real.add(real);
  let entries;
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (err) {
    errors.push({ file: dir === '' ? '.' : dir, reason: 'unreadable', message: `cannot read directory: ${errorText(err)}` });
    return;
  }

  const here = [...scopes];
  if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
    try {
      // A .gitignore that is a FIFO would block a plain read forever.
      const text = (await readRegularFile(path.join(abs, '.gitignore'), MAX_PROJECT_FILE_BYTES)).toString('utf8');
      here.push({ dir, rules: ignore().add(text) });
    } catch (err) {
      errors.push(readErrorOf(join(dir, '.gitignore'), err));
    }
  }

  const subdirs: Promise<void>[] = [];
  for (const entry of entries) {
    const rel = join(dir, entry.name);
    // A name whose bytes are not UTF-8 is decoded with U+FFFD and can no longer be opened by it:
    // say so plainly, rather than "cannot read: ENOENT" for a file that exists.
    if (entry.name.includes('\uFFFD') && (isSourceFile(entry.name) || entry.isDirectory())) {
      const there = await stat(path.join(abs, entry.name)).then(() => true, () => false);
      if (!there) {
        errors.push({ file: rel, reason: 'unreadable', message: `the ${entry.isDirectory() ? 'directory' : 'file'} name is not UTF-8 (shown with \uFFFD): it cannot be read by name; rename it` });
        continue;
      }
    }
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      // A link that cannot be followed is reported when it looks like a source file and resolves
      // in a loop; a dangling one may name a file not built yet. Linked directories are followed
      // after the real tree (see listSourceFiles).
      const target = await stat(path.join(abs, entry.name)).then(
        (s) => s,
        (err: unknown) => {
          if ((err as { code?: unknown }).code === 'ELOOP' && isSourceFile(entry.name)) {
            errors.push({ file: rel, reason: 'unreadable', message: 'cannot read: ELOOP (a symbolic link loop)' });
          }
          return undefined;
        },
      );
      isFile = !!target?.isFile();
      if (target?.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !configured?.ignores(`${rel}/`) && !isIgnored(here, `${rel}/`)) walked.links.push({ rel, scopes: here });
        continue;
      }
      isDir = false;
    }
    if (isDir) {
      if (SKIPPED_DIRS.has(entry.name) || configured?.ignores(`${rel}/`) || isIgnored(here, `${rel}/`)) continue;
      subdirs.push(walk(root, rel, here, files, errors, configured, walked));
    } else if (isFile && isSourceFile(entry.name) && !configured?.ignores(rel) && !isIgnored(here, rel)) {
      files.push(rel);
    }
  }
  await Promise.all(subdirs);
}

/** Git semantics: the deepest .gitignore with an opinion wins, a `!pattern` can undo a parent's rule. */
function isIgnored(scopes: readonly IgnoreScope[], rel: string): boolean {
  let ignored = false;
  for (const scope of scopes) {
    const result = scope.rules.test(scope.dir === '' ? rel : rel.slice(scope.dir.length + 1));
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorText(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : String(err);
}
