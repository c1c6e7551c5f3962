/** What an import specifier refers to: a registry package, or one of the things that are not. */
import { builtinModules } from 'node:module';
import { isValidNewPackageName, isValidPackageName } from './package-name.js';

export type SpecifierClass =
  | {
      kind: 'package';
      name: string;
      subpath?: string;
      /** A name npm no longer accepts for new packages (`JSONStream`): only old packages have one. */
      legacy?: true;
      /** Written `npm:name@range` (Deno): the specifier itself declares the dependency. */
      selfDeclared?: true;
    }
  /** `provided`: a module a framework or runtime configuration supplies (`@theme/Layout`, an import map key). */
  | { kind: 'builtin' | 'relative' | 'absolute' | 'url' | 'subpath-import' | 'alias' | 'provided' | 'invalid' };

export interface ClassifyContext {
  /** True for specifiers a tsconfig/jsconfig maps to project files. */
  aliases?: (specifier: string) => boolean;
  /** True for modules a framework of the file's project or a Deno import map provides. */
  provided?: (specifier: string) => boolean;
}

/** Modules of runtimes other than Node that are written as bare names. */
const RUNTIME_BUILTINS: ReadonlySet<string> = new Set(['bun']);

const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

// A scheme is at least two characters so that a Windows drive (`C:`) is never read as one.
const SCHEME = /^[a-z][a-z\d+.-]+:/i;
const WINDOWS_ABSOLUTE = /^[a-z]:[\\/]/i;

export function classifySpecifier(specifier: string, ctx: ClassifyContext = {}): SpecifierClass {
  if (specifier === '') return { kind: 'invalid' };
  if (isRelative(specifier)) return { kind: 'relative' };
  if (specifier.startsWith('/') || specifier.startsWith('\\') || WINDOWS_ABSOLUTE.test(specifier)) {
    return { kind: 'absolute' };
  }
  if (specifier.startsWith('file:')) return { kind: 'absolute' };
  // Every `node:` specifier is core: some (`node:test`, `node:sqlite`) exist only with the prefix.
  if (specifier.startsWith('node:')) return { kind: 'builtin' };
  if (ctx.provided?.(specifier) === true) return { kind: 'provided' };
  // Deno's `npm:name@range/sub` is an npm package, declared by the specifier itself.
  if (specifier.startsWith('npm:')) return npmSpecifier(specifier.slice(4));
  // `jsr:`, `bun:`, `cloudflare:`, `virtual:` and the like are not resolved from the registry by Node.
  if (SCHEME.test(specifier)) return { kind: 'url' };
  if (specifier.startsWith('#')) return { kind: 'subpath-import' };
  if (BUILTINS.has(specifier) || RUNTIME_BUILTINS.has(specifier)) return { kind: 'builtin' };
  if (ctx.aliases?.(specifier) === true) return { kind: 'alias' };
  // `~/x` and `@/x` are the bundler root aliases (Nuxt, Vite, webpack), never registry packages.
  if (specifier === '~' || specifier.startsWith('~/') || specifier.startsWith('@/')) return { kind: 'alias' };
  // Loader prefixes (`raw-loader!./x`) are bundler syntax, never a plain package import.
  if (specifier.includes('!')) return { kind: 'invalid' };
  return parsePackageSpecifier(specifier);
}

/**
 * `node:<module>` for a specifier of Node's own modules (`fs`, `node:fs/promises`), undefined
 * for anything else (other runtimes' modules such as `bun` included).
 */
export function nodeBuiltinName(specifier: string): string | undefined {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (!/^[a-z_][a-z0-9_]*(?:\/[a-z0-9_]+)*$/.test(bare)) return undefined;
  return specifier.startsWith('node:') || BUILTINS.has(bare) ? `node:${bare}` : undefined;
}

/** The registry package a bare specifier imports, or undefined when it is not a package import. */
export function packageNameOf(specifier: string): string | undefined {
  const c = classifySpecifier(specifier);
  return c.kind === 'package' ? c.name : undefined;
}

function isRelative(s: string): boolean {
  return (
    s === '.' ||
    s === '..' ||
    s.startsWith('./') ||
    s.startsWith('../') ||
    // CommonJS on Windows accepts backslashes.
    s.startsWith('.\\') ||
    s.startsWith('..\\')
  );
}

function parsePackageSpecifier(specifier: string): SpecifierClass {
  const parts = specifier.split('/');
  const scoped = specifier.startsWith('@');
  const nameParts = scoped ? 2 : 1;
  if (parts.length < nameParts) return { kind: 'invalid' };
  const name = parts.slice(0, nameParts).join('/');
  // Old packages with capitals (`JSONStream`) are still installable, so the legacy rules apply to
  // unscoped names. Scopes are younger than the rule against capitals: `@docusaurus/Link` can
  // never be published, so it is never a registry package.
  if (!isValidPackageName(name)) return { kind: 'invalid' };
  const legacy = !isValidNewPackageName(name);
  if (legacy && scoped) return { kind: 'invalid' };
  const subpath = parts.slice(nameParts).join('/');
  return {
    kind: 'package',
    name,
    ...(subpath === '' ? {} : { subpath }),
    ...(legacy ? { legacy: true as const } : {}),
  };
}

function npmSpecifier(rest: string): SpecifierClass {
  const body = rest.startsWith('/') ? rest.slice(1) : rest;
  const scoped = body.startsWith('@');
  const at = body.indexOf('@', scoped ? 1 : 0);
  const slash = scoped ? body.indexOf('/', body.indexOf('/') + 1) : body.indexOf('/');
  const end = [at, slash].filter((i) => i > 0).reduce((a, b) => Math.min(a, b), body.length);
  const parsed = parsePackageSpecifier(body.slice(0, end));
  return parsed.kind === 'package' ? { ...parsed, selfDeclared: true } : { kind: 'invalid' };
}
