/** The project's own JS/TS source files, as git would see them (ignored files and build output left out). */
import { readdir, realpath, stat } from './observed-fs.js';
import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import type { InputError } from '../model/references.js';
import { COMPONENT_EXTENSIONS } from './component-scripts.js';
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
  // Yarn's own release, plugins and offline cache, committed by Yarn 2+ projects: the package
  // manager's code, not the project's.
  '.yarn',
]);

/** Files a package manager writes (Yarn's Plug'n'Play resolver): generated, not written by anyone. */
const GENERATED_FILES: ReadonlySet<string> = new Set(['.pnp.cjs', '.pnp.js', '.pnp.loader.mjs']);

/**
 * Test fixture trees: inputs for a test, often broken or unresolvable on purpose, never code the
 * project installs dependencies for (knip and eslint leave them out of the project's own code
 * the same way). They are not read; a project that wants one read lists its files in a config of
 * its own. `cases` (and `configCases`, `hot-cases`…) counts only right inside a test directory
 * (`test/cases/`, `test/configCases/`), where it means fixtures.
 */
const FIXTURE_DIRS: ReadonlySet<string> = new Set([
  '__fixtures__',
  '__testfixtures__',
  '__snapshots__',
  'fixtures',
  'fixture',
  'test-fixtures',
]);
const TEST_DIRS: ReadonlySet<string> = new Set(['test', 'tests', '__tests__', 'spec', 'specs']);

/** Whether a directory (root-relative, forward slashes) is, or lies inside, a test fixture tree. */
export function isFixtureDir(rel: string): boolean {
  const parts = rel.split('/');
  return parts.some(
    (part, i) =>
      FIXTURE_DIRS.has(part.toLowerCase()) ||
      (i > 0 && TEST_DIRS.has((parts[i - 1] ?? '').toLowerCase()) && isCasesDir(part)),
  );
}

/** `cases`, or a kind of cases in camel or kebab case (`configCases`, `hotCases`, `watch-cases`). */
function isCasesDir(part: string): boolean {
  return part.toLowerCase() === 'cases' || /[a-z0-9](Cases|[-_]cases)$/.test(part);
}

// Declaration files describe code elsewhere; `foo.d.css.ts` is TypeScript's arbitrary-extension form.
const DECLARATION = /\.d(\.[^./]+)?\.[mc]?ts$/i;

/** JS/TS files, and the components whose script blocks hold module code (`.vue`, `.svelte`, `.astro`). */
export function isSourceFile(name: string): boolean {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot).toLowerCase() : '';
  return (SOURCE_EXTENSIONS.includes(ext) && !DECLARATION.test(name)) || COMPONENT_EXTENSIONS.includes(ext);
}

/** The .gitignore rules of one directory, applied to paths relative to it. */
interface IgnoreScope {
  dir: string;
  rules: Ignore;
}

/** Packages in a `node_modules` directory the repository itself holds (not one an install made). */
export interface CommittedModules {
  /** The directory holding `node_modules` ('' for the root): files below it resolve these names there. */
  dir: string;
  names: string[];
}

export interface SourceFileList {
  /** Root-relative, forward slashes, sorted. */
  files: string[];
  errors: InputError[];
  /** Every package.json below the root (not the root's own), outside skipped and fixture trees; sorted. */
  manifests: string[];
  /** `node_modules` directories where no install puts one (no package.json beside them). */
  committedModules: CommittedModules[];
  /** Directories holding a `__snapshots__` directory (root-relative), where snapshot tests keep their inputs. */
  snapshotDirs?: string[];
}

interface Walk {
  snapshotDirs: string[];
  files: string[];
  errors: InputError[];
  manifests: string[];
  committedModules: CommittedModules[];
  configured?: Ignore;
  /** Real directories already read, and linked ones still to follow. */
  real: Set<string>;
  links: Array<{ rel: string; scopes: IgnoreScope[] }>;
}

/** `ignorePaths`: the configuration's `ignore.paths`, gitignore patterns from the root: never read, not even listed. */
export async function listSourceFiles(root: string, ignorePaths: readonly string[] = []): Promise<SourceFileList> {
  // Apart from .gitignore's scopes: no `!pattern` in a .gitignore brings these back.
  const configured = ignorePaths.length ? ignore().add([...ignorePaths]) : undefined;
  const found: Walk = {
    files: [],
    errors: [],
    manifests: [],
    committedModules: [],
    snapshotDirs: [],
    real: new Set(),
    links: [],
    ...(configured ? { configured } : {}),
  };
  await walk(root, '', [], found);
  // Linked directories (`src/shared -> ../../shared`) are followed once the real tree is read, in
  // name order, each real directory once: a link back up (a loop) or to a directory already read
  // adds nothing, and which path a file is listed under does not depend on timing.
  while (found.links.length) {
    const [link] = found.links.sort((a, b) => compareStrings(a.rel, b.rel)).splice(0, 1);
    await walk(root, link!.rel, link!.scopes, found);
  }
  found.files.sort(compareStrings);
  found.manifests.sort(compareStrings);
  found.committedModules.sort((a, b) => compareStrings(a.dir, b.dir));
  found.errors.sort((a, b) => compareStrings(a.file, b.file));
  found.snapshotDirs.sort(compareStrings);
  return {
    files: found.files,
    errors: found.errors,
    manifests: found.manifests,
    committedModules: found.committedModules,
    ...(found.snapshotDirs.length ? { snapshotDirs: found.snapshotDirs } : {}),
  };
}

/** A module file right in node_modules: `require('m1')` loads `node_modules/m1.js`, as Node and bundlers resolve it. */
const MODULE_FILE = /^([^.@][^/]*?)\.(?:js|cjs|mjs|json|node)$/;

/** The package names a node_modules directory holds (`name`, `@scope/name`, and `name` for a `name.js` file). */
async function moduleNames(abs: string): Promise<string[]> {
  const names: string[] = [];
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const file = entry.isFile() ? MODULE_FILE.exec(entry.name) : null;
    if (file) names.push(file[1]!);
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    if (entry.name.startsWith('.')) continue;
    if (!entry.name.startsWith('@')) {
      names.push(entry.name);
      continue;
    }
    const scoped = await readdir(path.join(abs, entry.name), { withFileTypes: true }).catch(() => []);
    for (const inner of scoped)
      if (inner.isDirectory() || inner.isSymbolicLink()) names.push(`${entry.name}/${inner.name}`);
  }
  return names;
}

async function walk(root: string, dir: string, scopes: IgnoreScope[], found: Walk): Promise<void> {
  const { files, errors, configured } = found;
  const abs = path.join(root, dir);
  const real = await realpath(abs).catch(() => abs);
  if (found.real.has(real)) return;
  found.real.add(real);
  let entries;
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (err) {
    errors.push({
      file: dir === '' ? '.' : dir,
      reason: 'unreadable',
      message: `cannot read directory: ${errorText(err)}`,
    });
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
  const hasManifest = entries.some((e) => e.name === 'package.json' && !e.isDirectory());
  if (entries.some((e) => e.name === '__snapshots__' && e.isDirectory())) found.snapshotDirs.push(dir);
  if (
    hasManifest &&
    dir !== '' &&
    !found.configured?.ignores(join(dir, 'package.json')) &&
    !isIgnored(here, join(dir, 'package.json'))
  )
    found.manifests.push(join(dir, 'package.json'));
  for (const entry of entries) {
    const rel = join(dir, entry.name);
    // A name whose bytes are not UTF-8 is decoded with U+FFFD and can no longer be opened by it:
    // say so plainly, rather than "cannot read: ENOENT" for a file that exists.
    if (entry.name.includes('\uFFFD') && (isSourceFile(entry.name) || entry.isDirectory())) {
      const there = await stat(path.join(abs, entry.name)).then(
        () => true,
        () => false,
      );
      if (!there) {
        errors.push({
          file: rel,
          reason: 'unreadable',
          message: `the ${entry.isDirectory() ? 'directory' : 'file'} name is not UTF-8 (shown with \uFFFD): it cannot be read by name; rename it`,
        });
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
        if (
          !SKIPPED_DIRS.has(entry.name) &&
          !configured?.ignores(`${rel}/`) &&
          !isIgnored(here, `${rel}/`) &&
          !isFixtureDir(rel)
        )
          found.links.push({ rel, scopes: here });
        continue;
      }
      isDir = false;
    }
    if (isDir) {
      // An install puts node_modules beside a package.json; one elsewhere is part of the
      // repository, and Node resolves the names in it for every file below `dir`.
      if (entry.name === 'node_modules' && !hasManifest) {
        subdirs.push(
          moduleNames(path.join(abs, entry.name)).then(
            (names) => void (names.length && found.committedModules.push({ dir, names })),
          ),
        );
        continue;
      }
      if (
        SKIPPED_DIRS.has(entry.name) ||
        configured?.ignores(`${rel}/`) ||
        isIgnored(here, `${rel}/`) ||
        isFixtureDir(rel)
      )
        continue;
      subdirs.push(walk(root, rel, here, found));
    } else if (
      isFile &&
      isSourceFile(entry.name) &&
      !GENERATED_FILES.has(entry.name) &&
      !configured?.ignores(rel) &&
      !isIgnored(here, rel)
    ) {
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
