/**
 * A TypeScript program over the user's files as they are on disk and a virtual `node_modules`
 * holding only the declarations depverify fetched, at the versions the project would install.
 * A real `node_modules` on disk is never read (it may be stale, or not what the lockfile says),
 * and the host cannot write.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type * as TypeScript from 'typescript';
import ts from '../scan/typescript.js';
import type { LoadedPackage } from './declarations.js';
import { declarationBeside } from './tarball-files.js';
import { unbuiltStubs } from './unbuilt-workspaces.js';

export interface VirtualProgram {
  program: TypeScript.Program;
  /** The files the program read from disk (the project's own), with their text. */
  diskFiles: Map<string, string>;
  /** The package a file of the virtual node_modules belongs to, if it does. */
  packageOf(fileName: string): string | undefined;
}

const COMPILER_OPTIONS: TypeScript.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
  checkJs: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  noEmit: true,
  // Member checks only: implicit any and friends are the user's business, not depverify's.
  strict: false,
  allowImportingTsExtensions: true,
  allowArbitraryExtensions: true,
};

const libSourceFiles = new Map<string, TypeScript.SourceFile>();

export interface ProgramSetup {
  /** The governing tsconfig's options; the member check's own settings are laid over them. */
  projectOptions?: TypeScript.CompilerOptions | undefined;
  /** Workspace packages by name → their directory on disk: `node_modules/<name>` is that directory, as a link. */
  workspaces?: Map<string, string>;
  /** Extra root files: the project's own declarations its config includes. */
  declarations?: string[];
  /** Parsed declaration files shared between the programs of one run. */
  parsed?: Map<string, TypeScript.SourceFile>;
}

/** Options from the project's config that decide what its compiler reports; the rest are the check's. */
export function effectiveOptions(
  project: TypeScript.CompilerOptions | undefined,
  types: string[],
): TypeScript.CompilerOptions {
  const base: TypeScript.CompilerOptions = { ...COMPILER_OPTIONS, types };
  if (!project) return base;
  const {
    configFile: _configFile,
    configFilePath: _configFilePath,
    outDir: _outDir,
    outFile: _outFile,
    declarationDir: _declarationDir,
    rootDir: _rootDir,
    composite: _composite,
    incremental: _incremental,
    tsBuildInfoFile: _tsBuildInfoFile,
    declaration: _declaration,
    emitDeclarationOnly: _emitDeclarationOnly,
    sourceMap: _sourceMap,
    noEmit: _noEmit,
    plugins: _plugins,
    ...rest
  } = project;
  return {
    ...base,
    ...rest,
    // What the check needs whatever the project says: JavaScript is read (a JavaScript file is
    // checked as the project's compiler checks it: with checkJs or `// @ts-check`), declarations
    // of packages are not the user's to type-check.
    allowJs: true,
    checkJs: project.checkJs === true,
    skipLibCheck: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    allowArbitraryExtensions: true,
    resolveJsonModule: true,
    // TypeScript 6 deprecates options older projects still set (baseUrl, node10): they still apply.
    ignoreDeprecations: '6.0',
    // The project's `types` plus every @types package in the program: a global one adds names
    // only (never takes one away), and a dependency's declarations may lean on its globals (Chai).
    types: [...new Set([...(project.types ?? []), ...types])],
  };
}

/** A path as the host compares it: normalised, without a trailing separator. */
export const norm = (p: string): string => {
  const n = path.normalize(p);
  return n.length > 1 && n.endsWith(path.sep) ? n.replace(/[\\/]+$/, '') || path.sep : n;
};

/** The virtual node_modules and the rules for what is read from where, shared by both engines. */
export interface VirtualTree {
  modulesDir: string;
  /** Virtual files by absolute path ('' for a file that exists only to be found). */
  files: Map<string, string>;
  dirs: Set<string>;
  /** Package of each kept virtual file. */
  owners: Map<string, string>;
  /** Where `raw` is read from: the disk (project files, linked workspaces) or the virtual node_modules; `isLib`: the compiler's own files. */
  locate(raw: string, isLib: (p: string) => boolean): { disk: boolean; path: string };
  linked(p: string): string | undefined;
  /** The @types packages in the tree, as `types` entries. */
  types: string[];
  /** `name@version` of each virtual file: programs of one run share parsed files of the same version only. */
  ids: Map<string, string>;
}

export function virtualTree(
  root: string,
  packages: Iterable<LoadedPackage>,
  workspaces: Map<string, string> = new Map(),
): VirtualTree {
  const modulesDir = path.join(root, 'node_modules');
  const links = new Map<string, string>();
  for (const [name, dir] of workspaces) links.set(path.join(modulesDir, ...name.split('/')), dir);
  /** A workspace package's path in node_modules, mapped to its directory on disk. */
  const linked = (p: string): string | undefined => {
    if (!links.size || !p.startsWith(modulesDir + path.sep)) return undefined;
    const parts = p.slice(modulesDir.length + 1).split(path.sep);
    const depth = parts[0]?.startsWith('@') ? 2 : 1;
    const target = links.get(path.join(modulesDir, ...parts.slice(0, depth)));
    return target === undefined ? undefined : path.join(target, ...parts.slice(depth));
  };
  const files = new Map<string, string>();
  const dirs = new Set<string>();
  const owners = new Map<string, string>();
  /** `name@version` of each virtual file: programs of one run share parsed files of the same version only. */
  const ids = new Map<string, string>();
  for (const pkg of packages) {
    const base = path.join(modulesDir, ...pkg.name.split('/'));
    // Files not kept (JavaScript) exist empty: resolution checks for them, and a type-less
    // `exports` target must exist for TypeScript to go on to @types, as it would after an install.
    if (links.has(base)) continue; // the workspace's own files win, as the install links them
    // A TypeScript source beside a declaration of its name, not kept (tarball-files.ts keeps those
    // resolution picks), is left out: empty, it would stand before that declaration.
    for (const rel of pkg.paths) {
      const beside = declarationBeside(rel);
      if (beside === undefined || pkg.files.has(rel) || !pkg.files.has(beside)) files.set(path.join(base, rel), '');
    }
    for (const [rel, text] of pkg.files) {
      const abs = path.join(base, rel);
      files.set(abs, text);
      owners.set(abs, pkg.name);
      ids.set(abs, `${pkg.name}@${pkg.version}`);
    }
  }
  for (const abs of [...files.keys(), ...links.keys()])
    for (let d = path.dirname(abs); d.startsWith(modulesDir) && !dirs.has(d); d = path.dirname(d)) dirs.add(d);
  dirs.add(modulesDir);
  // A workspace package not built: stubs at its missing declarations lead to its sources (unbuilt-workspaces.ts).
  const stubbed = new Set<string>();
  for (const [file, text] of workspaces.size ? unbuiltStubs(workspaces) : []) {
    files.set(file, text);
    stubbed.add(file);
    const top = [...workspaces.values()].find((dir) => file.startsWith(dir + path.sep));
    for (let d = path.dirname(file); top && d.length > top.length && !stubbed.has(d); d = path.dirname(d)) {
      dirs.add(d);
      stubbed.add(d);
    }
  }
  // The compiler's own lib files live in a node_modules too, but they are the compiler's, not the project's.
  const inModules = (p: string, isLib: (p: string) => boolean): boolean =>
    !isLib(p) &&
    (p === modulesDir || p.startsWith(modulesDir + path.sep) || p.includes(`${path.sep}node_modules${path.sep}`));
  const locate = (raw: string, isLib: (p: string) => boolean): { disk: boolean; path: string } => {
    const p = norm(raw);
    const link = linked(p);
    if (stubbed.size && stubbed.has(link ?? p)) return { disk: false, path: link ?? p };
    if (link !== undefined) return { disk: true, path: link };
    return { disk: !inModules(p, isLib), path: p };
  };
  // TypeScript 6 no longer includes every @types package by default; an install with the classic
  // default would, and @types/node's globals (process, Buffer) are what user code expects.
  const types = [
    ...new Set([...owners.values()].filter((n) => n.startsWith('@types/')).map((n) => n.slice('@types/'.length))),
  ];
  return { modulesDir, files, dirs, owners, locate, linked, types, ids };
}

export function createVirtualProgram(
  root: string,
  rootFiles: string[],
  packages: Iterable<LoadedPackage>,
  setup: ProgramSetup = {},
): VirtualProgram {
  const tree = virtualTree(root, packages, setup.workspaces);
  const { files, dirs, owners, types, ids } = tree;
  const parsed = setup.parsed ?? new Map<string, TypeScript.SourceFile>();
  const diskFiles = new Map<string, string>();
  const libDir = path.dirname(ts.getDefaultLibFilePath(COMPILER_OPTIONS));
  const isLib = (p: string): boolean => p.startsWith(libDir + path.sep);
  const locate = (raw: string): { disk: boolean; path: string } => tree.locate(raw, isLib);

  const host: TypeScript.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const lib = isLib(fileName);
      if (lib && libSourceFiles.has(fileName)) return libSourceFiles.get(fileName);
      const at = locate(fileName);
      const virtual = !at.disk;
      const format =
        typeof languageVersion === 'object'
          ? `${languageVersion.languageVersion}:${languageVersion.impliedNodeFormat}`
          : String(languageVersion);
      const key = `${fileName}\0${format}\0${ids.get(at.path) ?? ''}`;
      if (virtual && parsed.has(key)) return parsed.get(key);
      const text = at.disk ? readDisk(at.path) : files.get(at.path);
      if (text === undefined) return undefined;
      if (at.disk && !lib) diskFiles.set(at.path, text);
      // A package's `@deprecated` tags are what the deprecation check reads: its declarations
      // holding one get their JSDoc parsed (the rest of JSDoc in declarations changes no verdict).
      const mode = virtual && !lib && text.includes('@deprecated') ? fullJsDoc(languageVersion) : languageVersion;
      const sf = ts.createSourceFile(fileName, text, mode);
      // Lib files are the same on every run in this process: parse them once; packages once per run.
      if (lib) libSourceFiles.set(fileName, sf);
      else if (virtual) parsed.set(key, sf);
      return sf;
    },
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    writeFile: () => {
      throw new Error('depverify never writes through the compiler host');
    },
    getCurrentDirectory: () => root,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (raw) => {
      const at = locate(raw);
      return at.disk ? isFile(at.path) : files.has(at.path);
    },
    readFile: (raw) => {
      const at = locate(raw);
      return at.disk ? readDisk(at.path) : files.get(at.path);
    },
    directoryExists: (raw) => {
      const at = locate(raw);
      return at.disk ? isDirectory(at.path) : dirs.has(at.path);
    },
    getDirectories: (raw) => {
      const at = locate(raw);
      return at.disk ? [] : [...dirs].filter((d) => path.dirname(d) === at.path).map((d) => path.basename(d));
    },
    // A workspace package is a link into the project, as an install makes it.
    realpath: (raw) => {
      const p = norm(raw);
      return tree.linked(p) ?? p;
    },
    // What tsc itself uses: JSDoc is parsed in JavaScript files (where it carries types) and not
    // in TypeScript and declaration files, where it cannot change a type error. Declarations are
    // mostly comments (lib.dom, @types/node), so this is a large part of parsing them.
    jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors,
  };
  const options = effectiveOptions(setup.projectOptions, types);
  // `npm:x@1/sub` (Deno, Bun) is the package x, as those runtimes install it: resolved as `x/sub`.
  const resolutionCache = ts.createModuleResolutionCache(root, (f) => f, options);
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, containingSourceFile) =>
    literals.map((literal) =>
      ts.resolveModuleName(
        npmTarget(literal.text) ?? literal.text,
        containingFile,
        opts,
        host,
        resolutionCache,
        redirected,
        ts.getModeForUsageLocation(containingSourceFile, literal, opts),
      ),
    );
  const rootNames = [...new Set([...rootFiles, ...(setup.declarations ?? [])])];
  const program = ts.createProgram({ rootNames, options, host });
  return { program, diskFiles, packageOf: (fileName) => owners.get(norm(fileName)) };
}

export function readDisk(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** The bare specifier an `npm:name@range/sub` specifier installs: `name/sub`. */
export function npmTarget(specifier: string): string | undefined {
  if (!specifier.startsWith('npm:')) return undefined;
  const body = specifier.slice(4).replace(/^\//, '');
  const scoped = body.startsWith('@');
  const nameEnd = scoped ? body.indexOf('/', 1) : 0;
  if (scoped && nameEnd < 0) return undefined;
  const at = body.indexOf('@', scoped ? nameEnd : 0);
  const slash = body.indexOf('/', scoped ? nameEnd + 1 : 0);
  const end = [at, slash].filter((i) => i > 0).reduce((a, b) => Math.min(a, b), body.length);
  const name = body.slice(0, end);
  const sub = slash > 0 ? body.slice(slash) : '';
  return name ? name + sub : undefined;
}

function fullJsDoc(
  languageVersion: TypeScript.ScriptTarget | TypeScript.CreateSourceFileOptions,
): TypeScript.CreateSourceFileOptions {
  const base = typeof languageVersion === 'object' ? languageVersion : { languageVersion };
  return { ...base, jsDocParsingMode: ts.JSDocParsingMode.ParseAll };
}

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
