/** Every registry package the project's source files import, with where each import is. */
import path from 'node:path';
import type { ImportSite, InputError, Manifest } from '../model/references.js';
import { componentCode } from './component-scripts.js';
import { readDenoScope } from './deno.js';
import { frameworkModules } from './frameworks.js';
import { decodeUtf8, readErrorOf, readRegularFile } from './read-text.js';
import { type CommittedModules, listSourceFiles, type SourceFileList } from './source-files.js';
import type { RawImport, ReadImportsResult } from './parse-imports.js';
import { classifySpecifier, nodeBuiltinName } from './classify-specifier.js';

export interface ScanImportsOptions {
  /** The project's own name and its workspace packages: imported, but not from the registry. */
  isLocalPackage(name: string): boolean;
  /** Workspace directories (relative): each may have a tsconfig/jsconfig with aliases of its own. */
  workspaceDirs?: readonly string[];
  /** `ignore.paths` (gitignore patterns from the root): files and directories never read. */
  ignorePaths?: readonly string[];
  /** Larger files are skipped with an InputError (generated bundles, not code anyone wrote). */
  maxFileBytes?: number;
  /** The file list when the caller already walked the tree (listSourceFiles). */
  listed?: SourceFileList;
  /**
   * The project's package.json files: frameworks they depend on provide modules of their own
   * (`@theme/Layout`), and a legacy-only name (`SERVER`) is a package only where one declares it.
   */
  manifests?: readonly Manifest[];
  /** Parses kept from an earlier run: a hit needs no parser (nor the TypeScript compiler). */
  parseMemo?: ParseMemo;
}

/**
 * What a file's text parses to, kept between runs (cache/parse-memo.ts). A parse is a function
 * of the name it is parsed under (its extension picks the grammar) and the text.
 */
export interface ParseMemo {
  get(name: string, text: string): ReadImportsResult | undefined;
  set(name: string, text: string, result: ReadImportsResult): void;
}

export interface ImportScan {
  /** Sorted by file, line, column. */
  imports: ImportSite[];
  errors: InputError[];
  /** Syntax errors that lost no import, and configuration that names a missing file (absent when none). */
  warnings?: InputError[];
  /** Number of source files read. */
  sourceFiles: number;
  /** Imports of Node's own modules (`fs`, `node:crypto`), `packageName` being `node:<module>`: their members are checked against @types/node. */
  builtins?: ImportSite[];
}

const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
const READ_CONCURRENCY = 16;

type FileResult = { raw: RawImport[]; errors: InputError[]; warnings?: InputError[]; read: boolean };

export async function scanImports(root: string, opts: ScanImportsOptions): Promise<ImportScan> {
  const listed = opts.listed ?? (await listSourceFiles(root, opts.ignorePaths ?? []));
  const errors = [...listed.errors];
  if (listed.files.length === 0) return { imports: [], errors, sourceFiles: 0 };

  const [{ readPathAliases }, { readBundlerAliases, matchesAlias, isBundlerConfig }] = await Promise.all([
    import('./tsconfig-aliases.js'),
    import('./bundler-aliases.js'),
  ]);
  // The parser loads the TypeScript compiler (~200 ms): only when a file's parse is not kept.
  let parser: Promise<typeof import('./parse-imports.js')> | undefined;
  const memo = opts.parseMemo;
  const parse = async (name: string, text: string): Promise<ReadImportsResult> => {
    const kept = memo?.get(name, text);
    if (kept) return kept;
    parser ??= import('./parse-imports.js');
    const result = (await parser).readImports(name, text);
    memo?.set(name, text, result);
    return result;
  };
  // A file sees the root's aliases and those of the deepest workspace that contains it.
  const dirs = [...new Set(opts.workspaceDirs ?? [])].filter((d) => d !== '').sort((a, b) => b.length - a.length);
  const rootAliases = readPathAliases(root);
  const workspaceAliases = new Map(dirs.map((dir) => [dir, readPathAliases(root, dir)]));
  errors.push(...rootAliases.errors, ...[...workspaceAliases.values()].flatMap((a) => a.errors));
  const configWarnings = [...rootAliases.warnings, ...[...workspaceAliases.values()].flatMap((a) => a.warnings)];
  // Vite/webpack `resolve.alias` keys of the config next to each package.json, for the files below it.
  // Also every directory holding a config of its own (an example with no package.json).
  const configDirs = listed.files
    .filter(isBundlerConfig)
    .map((f) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : ''));
  const bundlerDirs = [...new Set(['', ...dirs, ...(opts.manifests ?? []).map((m) => m.dir), ...configDirs])];
  const bundlerAliases = bundlerDirs
    .map((dir) => ({ dir, keys: readBundlerAliases(root, dir) }))
    .filter((b) => b.keys.length > 0);
  const aliasesFor = (file: string): ((specifier: string) => boolean) => {
    const dir = dirs.find((d) => file.startsWith(`${d}/`));
    const own = dir === undefined ? undefined : workspaceAliases.get(dir);
    const tsconfig = own
      ? (specifier: string) => own.isAlias(specifier) || rootAliases.isAlias(specifier)
      : rootAliases.isAlias;
    const bundler = bundlerAliases.filter((b) => b.dir === '' || file.startsWith(`${b.dir}/`));
    return bundler.length === 0
      ? tsconfig
      : (specifier) => tsconfig(specifier) || bundler.some((b) => matchesAlias(b.keys, specifier));
  };
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const committed = committedResolver(listed.committedModules ?? []);
  const manifests = opts.manifests ?? [];
  const framework = frameworkModules(manifests, root);
  const declaredFor = (file: string, name: string): boolean =>
    manifests.some(
      (m) => (m.dir === '' || file.startsWith(`${m.dir}/`)) && m.dependencies.some((d) => d.name === name),
    );
  const denoScope = readDenoScope(root);

  const readOne = async (file: string): Promise<FileResult> => {
    let bytes: Buffer;
    try {
      // Size is checked before reading: a generated bundle or a planted huge file is never loaded.
      bytes = await readRegularFile(path.join(root, file), maxBytes);
    } catch (err) {
      return { raw: [], read: false, errors: [readErrorOf(file, err)] };
    }
    const decoded = decodeUtf8(file, bytes);
    const { encodingError } = decoded;
    // A component's module code (script blocks, frontmatter) is read in place: same lines, same columns.
    const component = componentCode(file, decoded.text);
    const text = component?.code ?? decoded.text;
    const read = await parse(component ? `${file}${component.extension}` : file, text);
    const { imports, lostImports } = read;
    const error = read.error && component ? { ...read.error, file } : read.error;
    // TypeScript's parser recovers: a syntax error that lost no import (a Flow annotation, a
    // syntax TypeScript does not know, an answer cut off after its imports) is a warning, and the
    // imports read are checked. One that lost an import leaves the file unread.
    if (error && error.reason === undefined && !encodingError && lostImports === false) {
      return { raw: imports, read: true, errors: [], warnings: [error] };
    }
    // A binary file's encoding is beside the point: it is reported as binary only. A replacement
    // character the parser trips on is the bad byte already reported.
    const errors =
      error?.reason === 'binary'
        ? [error]
        : encodingError && error?.reason === 'invalid-encoding'
          ? [encodingError]
          : [encodingError, error].filter((e) => e !== undefined);
    return { raw: imports, read: true, errors };
  };
  const results = await mapBounded(listed.files, READ_CONCURRENCY, readOne);
  const inputs = snapshotInputs(listed.files, results, listed.snapshotDirs ?? []);

  const imports: ImportSite[] = [];
  const builtins: ImportSite[] = [];
  const warnings: InputError[] = [...configWarnings];
  let sourceFiles = 0;
  results.forEach((result, i) => {
    const file = listed.files[i] as string;
    if (inputs.has(file)) return;
    if (result.read) sourceFiles++;
    errors.push(...result.errors);
    warnings.push(...(result.warnings ?? []));
    const aliases = aliasesFor(file);
    const provided = (specifier: string): boolean => framework(file, specifier);
    for (const raw of result.raw) {
      // A Deno import map decides first: `npm:` targets are npm packages, the rest (JSR, URLs, paths) are not.
      const deno = denoScope.resolve(file, raw.specifier);
      if (deno !== undefined && ('jsr' in deno || !deno.target.startsWith('npm:'))) continue;
      const c = classifySpecifier(deno === undefined ? raw.specifier : deno.target, { aliases, provided });
      if (c.kind === 'builtin' && deno === undefined) {
        const name = nodeBuiltinName(raw.specifier);
        if (name)
          builtins.push({
            specifier: raw.specifier,
            packageName: name,
            kind: raw.kind,
            file,
            line: raw.line,
            column: raw.column,
          });
        continue;
      }
      if (c.kind !== 'package' || opts.isLocalPackage(c.name) || committed(file, c.name)) continue;
      // A name npm refuses for new packages is never sent unless a package.json in scope declares it.
      if (c.legacy && !declaredFor(file, c.name)) continue;
      imports.push({
        specifier: raw.specifier,
        packageName: c.name,
        kind: raw.kind,
        file,
        line: raw.line,
        column: raw.column,
        ...(c.selfDeclared || deno !== undefined ? { selfDeclared: true as const } : {}),
        ...(deno !== undefined ? { target: deno.target } : {}),
      });
    }
  });
  errors.push(...denoScope.errors);
  imports.sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column);
  builtins.sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column);
  errors.sort((a, b) => compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return {
    imports,
    errors,
    ...(warnings.length ? { warnings } : {}),
    sourceFiles,
    ...(builtins.length ? { builtins } : {}),
  };
}

const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/i;

/**
 * Inputs of snapshot tests (a formatter's or compiler's test cases: `tests/format/x/input.js`
 * beside `format.test.js` and `__snapshots__/`): files in a directory holding `__snapshots__`
 * that are not test files and that no file imports. A test reads them as data, often broken on
 * purpose; nothing installs their dependencies. A helper a test imports stays code.
 */
function snapshotInputs(
  files: readonly string[],
  results: readonly FileResult[],
  snapshotDirs: readonly string[],
): Set<string> {
  const inputs = new Set<string>();
  if (snapshotDirs.length === 0) return inputs;
  const dirs = new Set(snapshotDirs);
  const dirOf = (file: string): string => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '');
  const candidates = files.filter((file) => dirs.has(dirOf(file)) && !TEST_FILE.test(file));
  if (candidates.length === 0) return inputs;
  // Relative imports by file, each as the paths it may name (`./a` is a.js or a/index.js).
  const targets = files.map((file, i) => {
    const from = dirOf(file);
    return (results[i] as FileResult).raw.flatMap((raw) => {
      if (!raw.specifier.startsWith('.')) return [];
      const target = path.posix.normalize(path.posix.join(from, raw.specifier));
      return [target, target.replace(/\.[cm]?[jt]sx?$/, ''), `${target}/index`];
    });
  });
  // What code (a test, a helper, anything that is not itself an input) imports is code too, and so
  // are its imports in turn; inputs that import each other stay inputs.
  for (const file of candidates) inputs.add(file);
  const stem = (file: string): string => file.replace(/\.[cm]?[jt]sx?$/, '');
  for (let changed = true; changed;) {
    changed = false;
    const imported = new Set<string>();
    files.forEach((file, i) => {
      if (!inputs.has(file)) for (const t of targets[i] as string[]) imported.add(t);
    });
    for (const file of inputs) {
      if (imported.has(file) || imported.has(stem(file))) {
        inputs.delete(file);
        changed = true;
      }
    }
  }
  return inputs;
}

/**
 * Whether `name`, imported from `file`, resolves to a node_modules directory the repository holds
 * in a directory above the file, as Node's lookup finds it: local code, not a registry package.
 */
function committedResolver(list: readonly CommittedModules[]): (file: string, name: string) => boolean {
  if (list.length === 0) return () => false;
  const byDir = list.map((m) => ({ dir: m.dir, names: new Set(m.names) }));
  return (file, name) => byDir.some((m) => (m.dir === '' || file.startsWith(`${m.dir}/`)) && m.names.has(name));
}

/** Like Promise.all over items.map(fn), with at most `limit` calls in flight; results keep input order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
