/**
 * A workspace package as the project resolves it once built: where the declarations its manifest
 * names (`types`, `exports`, `main`) are not there (`dist/` not built), a stub at that path
 * re-exports the package's sources (`dist/index.d.ts` → `src/index.ts`, by the package's tsconfig
 * `outDir`/`declarationDir` and `rootDir`, else `src/` for a build folder), so its types and
 * augmentations (`declare module 'vfile' { … }`) are what the project's own tools see.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as TypeScript from 'typescript';
import ts from '../scan/typescript.js';

/** Folders a build writes to, when the package's tsconfig does not say. */
const BUILD_DIRS = new Set(['dist', 'lib', 'build', 'out', 'types', 'esm', 'cjs', 'dts']);
const MAX_TARGETS = 64;
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
const DEFAULT_EXPORT = /\bexport\s+default\b|\bas\s+default\b/;

const memo = new WeakMap<Map<string, string>, Map<string, string>>();

/** Stub declaration files (absolute path on disk → text) for the unbuilt entries of the workspace packages. */
export function unbuiltStubs(workspaces: Map<string, string>): Map<string, string> {
  const known = memo.get(workspaces);
  if (known) return known;
  const stubs = new Map<string, string>();
  for (const dir of new Set(workspaces.values())) for (const [file, text] of stubsOf(dir)) stubs.set(file, text);
  memo.set(workspaces, stubs);
  return stubs;
}

function stubsOf(dir: string): Map<string, string> {
  const stubs = new Map<string, string>();
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return stubs;
  }
  const targets = new Set<string>();
  const add = (value: unknown, depth = 0): void => {
    if (targets.size >= MAX_TARGETS) return;
    if (typeof value === 'string') {
      if (!value.includes('*') && !value.endsWith('.json')) targets.add(path.normalize(value));
    } else if (value && typeof value === 'object' && depth < 6) for (const v of Object.values(value)) add(v, depth + 1);
  };
  for (const field of ['types', 'typings', 'main', 'module', 'exports']) add(manifest[field]);
  let layout: { outDirs: string[]; rootDir: string } | undefined;
  for (const target of targets) {
    const declaration = declarationOf(target);
    if (!declaration) continue;
    const at = path.join(dir, declaration);
    if (!at.startsWith(dir + path.sep) || stubs.has(at) || existsSync(at)) continue;
    // Built JavaScript beside it (declarations shipped elsewhere, or none): not an unbuilt package.
    if (declaration !== target && existsSync(path.join(dir, target))) continue;
    layout ??= layoutOf(dir);
    const source = sourceOf(dir, at, layout, target === targets.values().next().value);
    if (!source) continue;
    let text: string;
    try {
      text = readFileSync(source, 'utf8');
    } catch {
      continue;
    }
    const specifier = relativeSpecifier(path.dirname(at), source);
    stubs.set(
      at,
      `export * from ${JSON.stringify(specifier)};\n${DEFAULT_EXPORT.test(text) ? `export { default } from ${JSON.stringify(specifier)};\n` : ''}`,
    );
  }
  return stubs;
}

/** The declaration file TypeScript looks for at a manifest target. */
function declarationOf(target: string): string | undefined {
  if (/\.d\.[mc]?ts$/.test(target)) return target;
  const js = /\.([mc]?)js$/.exec(target);
  return js ? `${target.slice(0, -js[0].length)}.d.${js[1]}ts` : undefined;
}

/** Where the package's build writes (outDir, declarationDir) and what it builds from (rootDir, else src). */
function layoutOf(dir: string): { outDirs: string[]; rootDir: string } {
  const outDirs: string[] = [];
  let rootDir: string | undefined;
  for (const name of ['tsconfig.build.json', 'tsconfig.json']) {
    const file = path.join(dir, name);
    if (!existsSync(file)) continue;
    try {
      const read = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
      if (read.error) continue;
      // `extends` chains are followed; the files themselves are not listed (no directory is read).
      const host: TypeScript.ParseConfigHost = { ...ts.sys, readDirectory: () => [] };
      const options = ts.parseJsonConfigFileContent(read.config, host, dir, undefined, file).options;
      for (const o of [options.declarationDir, options.outDir]) if (o) outDirs.push(path.resolve(dir, o));
      rootDir ??= options.rootDir ? path.resolve(dir, options.rootDir) : undefined;
      if (outDirs.length) break;
    } catch {
      // A config the compiler cannot read says nothing about the layout.
    }
  }
  return { outDirs, rootDir: rootDir ?? path.join(dir, 'src') };
}

function sourceOf(
  dir: string,
  declaration: string,
  layout: { outDirs: string[]; rootDir: string },
  isEntry: boolean,
): string | undefined {
  const stem = declaration.replace(/\.d\.[mc]?ts$/, '');
  const candidates: string[] = [];
  const under = layout.outDirs.find((o) => stem.startsWith(o + path.sep));
  const rel = under ? path.relative(under, stem) : path.relative(dir, stem);
  const [first, ...rest] = rel.split(path.sep);
  if (under) candidates.push(path.join(layout.rootDir, rel));
  else if (first && BUILD_DIRS.has(first) && rest.length)
    candidates.push(path.join(layout.rootDir, ...rest), path.join(dir, 'src', ...rest));
  for (const base of candidates) {
    for (const ext of SOURCE_EXTENSIONS) if (existsSync(base + ext)) return base + ext;
    for (const ext of SOURCE_EXTENSIONS)
      if (existsSync(path.join(base, `index${ext}`))) return path.join(base, `index${ext}`);
  }
  // The package's main entry: its sources' index, next to the manifest's src.
  if (isEntry || path.basename(stem) === 'index')
    for (const ext of SOURCE_EXTENSIONS)
      if (existsSync(path.join(dir, 'src', `index${ext}`))) return path.join(dir, 'src', `index${ext}`);
  return undefined;
}

/** `./src/index.js` for `src/index.ts`: the specifier every module resolution maps to the source. */
function relativeSpecifier(from: string, source: string): string {
  const js = source
    .replace(/\.tsx?$/, '.js')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs');
  const rel = path.relative(from, js).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
