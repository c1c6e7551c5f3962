/**
 * Path aliases from the root tsconfig.json / jsconfig.json (`compilerOptions.paths`, `baseUrl`), so
 * that `@/lib/x` is not taken for a registry package. Reads the disk synchronously: a handful of
 * small files, once per run.
 */
import { readFileSync, statSync } from './observed-fs.js';
import path from 'node:path';
import type * as TS from 'typescript';
import { jsoncToJson } from './jsonc.js';
import { loadTypeScript } from './load-typescript.js';
import type { InputError } from '../model/references.js';
import { MAX_PROJECT_FILE_BYTES } from './read-text.js';
import { SOURCE_EXTENSIONS } from './source-files.js';

export interface PathAliases {
  isAlias(specifier: string): boolean;
  /**
   * The absolute paths (without a file extension added) `paths` and `baseUrl` may resolve the
   * specifier to, in every config read: each target of each matching pattern, and `baseUrl`
   * joined with it. Empty when no config maps it.
   */
  targets(specifier: string): string[];
  errors: InputError[];
  /** Problems that lose nothing the project's own tools would have (a generated base not made yet). */
  warnings: InputError[];
}

interface PathPattern {
  prefix: string;
  suffix: string;
  wildcard: boolean;
  /** Absolute target patterns, for the catch-all `*` key only. */
  targets: string[];
}

/** Compiler options that matter here, with paths already made absolute. */
interface AliasOptions {
  baseUrl?: string;
  paths?: Record<string, unknown>;
  /** Directory `paths` targets are relative to when there is no baseUrl. */
  pathsDir?: string;
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
const MAX_EXTENDS_DEPTH = 16;

/** The aliases of the tsconfig/jsconfig in `dir` (relative to root; '' for the root itself). */
export function readPathAliases(root: string, dir = ''): PathAliases {
  const errors: InputError[] = [];
  const warnings: InputError[] = [];
  const matchers: Matcher[] = [];
  const configs = CONFIG_NAMES.map((n) => path.join(root, dir, n));
  const seen = new Set<string>();
  for (let i = 0; i < configs.length; i++) {
    const file = configs[i] as string;
    if (seen.has(file) || !isFile(file)) continue;
    seen.add(file);
    const loaded = loadTsconfig(root, file, errors, warnings, new Set(), 0);
    if (loaded === undefined) continue;
    matchers.push(buildMatcher(loaded.options, path.dirname(file)));
    // Solution-style configs (Vite's templates) keep the real options in referenced projects.
    for (const ref of loaded.references) configs.push(isFile(ref) ? ref : path.join(ref, 'tsconfig.json'));
  }
  const cache = new Map<string, boolean>();
  return {
    errors,
    warnings,
    isAlias(specifier) {
      let hit = cache.get(specifier);
      if (hit === undefined) cache.set(specifier, (hit = matchers.some((m) => m.matches(specifier))));
      return hit;
    },
    targets: (specifier) => [...new Set(matchers.flatMap((m) => m.targets(specifier)))],
  };
}

interface LoadedConfig {
  options: AliasOptions;
  /** Absolute paths of `references` (files or directories), from the top config only. */
  references: string[];
}

function loadTsconfig(
  root: string,
  file: string,
  errors: InputError[],
  warnings: InputError[],
  chain: Set<string>,
  depth: number,
): LoadedConfig | undefined {
  const where = toRel(root, file);
  if (chain.has(file) || depth > MAX_EXTENDS_DEPTH) {
    errors.push({ file: where, field: 'extends', reason: 'invalid-entry', message: 'extends cycle, ignored' });
    return undefined;
  }
  chain.add(file);
  const { config, error } = readConfig(file);
  if (error !== undefined) errors.push(configError(where, error));
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const dir = path.dirname(file);
  let options: AliasOptions = {};
  for (const base of asArray(config.extends)) {
    if (typeof base !== 'string') continue;
    const target = resolveExtends(root, dir, base);
    if (target === undefined) {
      // A package base is expected to be missing before `npm install`. A relative one is often
      // made by a build step (`nuxt prepare` writes `.nuxt/tsconfig.json`): a warning naming the
      // missing file, and the rest of this config is still used.
      if (isPathLike(base)) {
        const missing = toRel(root, path.resolve(dir, base));
        warnings.push({
          file: where,
          field: 'extends',
          reason: 'missing-file',
          message: `extends "${base}", but ${missing} does not exist (made by a build step?); its options were not read`,
        });
      }
      continue;
    }
    const loaded = loadTsconfig(root, target, errors, warnings, chain, depth + 1);
    if (loaded !== undefined) options = { ...options, ...loaded.options };
  }
  chain.delete(file);

  const compilerOptions: unknown = config.compilerOptions;
  if (typeof compilerOptions === 'object' && compilerOptions !== null) {
    const { baseUrl, paths } = compilerOptions as { baseUrl?: unknown; paths?: unknown };
    if (typeof baseUrl === 'string') {
      // `${configDir}` is only known once the top config is; buildMatcher substitutes it.
      options.baseUrl = baseUrl.includes('${configDir}') ? baseUrl : path.resolve(dir, baseUrl);
    }
    if (typeof paths === 'object' && paths !== null) {
      options.paths = paths as Record<string, unknown>;
      options.pathsDir = dir;
    }
  }
  const references = depth === 0 ? asArray(config.references) : [];
  return {
    options,
    references: references.flatMap((r: unknown) => {
      const p = (r as { path?: unknown } | null)?.path;
      return typeof p === 'string' ? [path.resolve(dir, p)] : [];
    }),
  };
}

interface Matcher {
  matches(specifier: string): boolean;
  targets(specifier: string): string[];
}

/** `configDir` is the directory of the config being read, which `${configDir}` stands for. */
function buildMatcher(options: AliasOptions, configDir: string): Matcher {
  const baseUrl =
    options.baseUrl === undefined ? undefined : path.resolve(substituteConfigDir(options.baseUrl, configDir));
  const base = baseUrl ?? options.pathsDir;
  const patterns: PathPattern[] = [];
  for (const [key, targets] of Object.entries(options.paths ?? {})) {
    const star = key.indexOf('*');
    const absTargets = asArray(targets).flatMap((t: unknown) =>
      typeof t === 'string' && base !== undefined ? [path.resolve(base, substituteConfigDir(t, configDir))] : [],
    );
    patterns.push(
      star < 0
        ? { prefix: key, suffix: '', wildcard: false, targets: absTargets }
        : { prefix: key.slice(0, star), suffix: key.slice(star + 1), wildcard: true, targets: absTargets },
    );
  }
  const captured = (p: PathPattern, specifier: string): string | undefined => {
    if (!p.wildcard) return specifier === p.prefix ? '' : undefined;
    if (specifier.length < p.prefix.length + p.suffix.length) return undefined;
    if (!specifier.startsWith(p.prefix) || !specifier.endsWith(p.suffix)) return undefined;
    return specifier.slice(p.prefix.length, specifier.length - p.suffix.length);
  };
  const targets = (specifier: string): string[] => {
    const out = patterns.flatMap((p) => {
      const star = captured(p, specifier);
      return star === undefined ? [] : p.targets.map((t) => t.replace('*', star));
    });
    if (baseUrl !== undefined) out.push(path.resolve(baseUrl, specifier));
    return out;
  };
  const matches = (specifier: string): boolean => {
    for (const p of patterns) {
      if (!p.wildcard) {
        if (specifier === p.prefix) return true;
        continue;
      }
      if (specifier.length < p.prefix.length + p.suffix.length) continue;
      if (!specifier.startsWith(p.prefix) || !specifier.endsWith(p.suffix)) continue;
      // `"*": [...]` matches every specifier, and TypeScript falls back to node_modules when no
      // target exists, so a catch-all only counts where it reaches a project file.
      if (p.prefix !== '' || p.suffix !== '') return true;
      const captured = specifier.slice(p.prefix.length, specifier.length - p.suffix.length);
      if (p.targets.some((t) => !t.includes('node_modules') && existsWithExtensions(t.replace('*', captured))))
        return true;
    }
    return baseUrl !== undefined && existsWithExtensions(path.resolve(baseUrl, specifier));
  };
  return { matches, targets };
}

function resolveExtends(root: string, dir: string, base: string): string | undefined {
  if (isPathLike(base)) {
    const abs = path.resolve(dir, base);
    return [abs, `${abs}.json`].find(isFile);
  }
  // Package bases are looked up in node_modules up to the project root, the way TypeScript does.
  for (let d = path.resolve(dir); isInside(root, d); d = path.dirname(d)) {
    const abs = path.join(d, 'node_modules', base);
    const found = [abs, `${abs}.json`, path.join(abs, 'tsconfig.json')].find(isFile);
    if (found !== undefined) return found;
    if (d === path.dirname(d)) break;
  }
  return undefined;
}

function existsWithExtensions(abs: string): boolean {
  if (exists(abs)) return true;
  // ESM TypeScript imports name the emitted `.js` file; the source is `.ts`.
  const stem = abs.replace(/\.[mc]?jsx?$/, '');
  return SOURCE_EXTENSIONS.some((ext) => exists(stem + ext)) || exists(`${stem}.d.ts`) || exists(`${stem}.json`);
}

/** TypeScript turns a throw here into a "cannot read" diagnostic; a FIFO would block forever. */
function readConfigText(abs: string): string {
  const info = statSync(abs);
  if (!info.isFile()) throw new Error('not a regular file');
  if (info.size > MAX_PROJECT_FILE_BYTES) throw new Error(`file too large (${info.size} bytes)`);
  return readFileSync(abs, 'utf8');
}

function exists(abs: string): boolean {
  return statSync(abs, { throwIfNoEntry: false }) !== undefined;
}

function isFile(abs: string): boolean {
  return statSync(abs, { throwIfNoEntry: false })?.isFile() === true;
}

function isPathLike(s: string): boolean {
  return s.startsWith('.') || path.isAbsolute(s);
}

function isInside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function substituteConfigDir(value: string, configDir: string): string {
  return value.replaceAll('${configDir}', configDir);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function toRel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

// TypeScript's diagnostic for a config whose root is not an object.
const ROOT_NOT_OBJECT = 5092;

/**
 * A config's JSON: plain JSONC (comments, trailing commas) is read without the compiler. What
 * that does not take (a syntax error, a root that is not an object, an unreadable file) goes to
 * TypeScript's reader, which keeps what it could parse next to the first error: closer to what
 * the compiler does than dropping the file, and its diagnostic is the error reported.
 */
function readConfig(file: string): { config?: Record<string, unknown>; error?: TS.Diagnostic } {
  try {
    const config: unknown = JSON.parse(jsoncToJson(readConfigText(file)));
    if (typeof config === 'object' && config !== null && !Array.isArray(config))
      return { config: config as Record<string, unknown> };
  } catch {
    // TypeScript's reader says what is wrong, below.
  }
  return loadTypeScript().readConfigFile(file, readConfigText) as {
    config?: Record<string, unknown>;
    error?: TS.Diagnostic;
  };
}

function configError(file: string, diag: TS.Diagnostic): InputError {
  const message = loadTypeScript().flattenDiagnosticMessageText(diag.messageText, '\n');
  // Without a source file the text could not be read at all.
  if (diag.file === undefined || diag.start === undefined) return { file, reason: 'unreadable', message };
  const { line, character } = diag.file.getLineAndCharacterOfPosition(diag.start);
  const reason = diag.code === ROOT_NOT_OBJECT ? 'wrong-type' : 'invalid-json';
  return { file, line: line + 1, column: character + 1, reason, message };
}
