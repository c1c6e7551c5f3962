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

export interface VirtualProgram {
  program: TypeScript.Program;
  /** The files the program read from disk (the project's own), with their text. */
  diskFiles: Map<string, string>;
  /** The package a file of the virtual node_modules belongs to, if it does. */
  packageOf(fileName: string): string | undefined;
}

export const COMPILER_OPTIONS: TypeScript.CompilerOptions = {
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

export function createVirtualProgram(root: string, rootFiles: string[], packages: Iterable<LoadedPackage>): VirtualProgram {
  const modulesDir = path.join(root, 'node_modules');
  const files = new Map<string, string>();
  const dirs = new Set<string>();
  const owners = new Map<string, string>();
  for (const pkg of packages) {
    const base = path.join(modulesDir, ...pkg.name.split('/'));
    // Files not kept (JavaScript) exist empty: resolution checks for them, and a type-less
    // `exports` target must exist for TypeScript to go on to @types, as it would after an install.
    for (const rel of pkg.paths) files.set(path.join(base, rel), '');
    for (const [rel, text] of pkg.files) {
      const abs = path.join(base, rel);
      files.set(abs, text);
      owners.set(abs, pkg.name);
    }
  }
  for (const abs of files.keys()) for (let d = path.dirname(abs); d.startsWith(modulesDir) && !dirs.has(d); d = path.dirname(d)) dirs.add(d);
  dirs.add(modulesDir);
  const diskFiles = new Map<string, string>();
  const libDir = path.dirname(ts.getDefaultLibFilePath(COMPILER_OPTIONS));
  // TypeScript's own lib files live in a node_modules too, but they are the compiler's, not the project's.
  const isLib = (p: string): boolean => p.startsWith(libDir + path.sep);
  const inModules = (p: string): boolean =>
    !isLib(p) && (p === modulesDir || p.startsWith(modulesDir + path.sep) || p.includes(`${path.sep}node_modules${path.sep}`));
  const readDisk = (p: string): string | undefined => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };

  const host: TypeScript.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const lib = isLib(fileName);
      if (lib && libSourceFiles.has(fileName)) return libSourceFiles.get(fileName);
      const fromDisk = !inModules(fileName);
      const text = fromDisk ? readDisk(fileName) : files.get(fileName);
      if (text === undefined) return undefined;
      if (fromDisk && !lib) diskFiles.set(fileName, text);
      const sf = ts.createSourceFile(fileName, text, languageVersion);
      // Lib files are the same on every run in this process: parse them once.
      if (lib) libSourceFiles.set(fileName, sf);
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
    fileExists: (p) => (inModules(p) ? files.has(p) : isFile(p)),
    readFile: (p) => (inModules(p) ? files.get(p) : readDisk(p)),
    directoryExists: (p) => (inModules(p) ? dirs.has(p) : isDirectory(p)),
    getDirectories: (p) => (inModules(p) ? [...dirs].filter((d) => path.dirname(d) === p).map((d) => path.basename(d)) : []),
    realpath: (p) => p,
    // What tsc itself uses: JSDoc is parsed in JavaScript files (where it carries types) and not
    // in TypeScript and declaration files, where it cannot change a type error. Declarations are
    // mostly comments (lib.dom, @types/node), so this is a large part of parsing them.
    jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors,
  };
  // TypeScript 6 no longer includes every @types package by default; an install with the classic
  // default would, and @types/node's globals (process, Buffer) are what user code expects.
  const types = [...new Set([...owners.values()].filter((n) => n.startsWith('@types/')).map((n) => n.slice('@types/'.length)))];
  const program = ts.createProgram({ rootNames: rootFiles, options: { ...COMPILER_OPTIONS, types }, host });
  return { program, diskFiles, packageOf: (fileName) => owners.get(fileName) };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
