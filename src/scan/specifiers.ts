/** What an import specifier refers to: a registry package, or one of the things that are not. */
import { builtinModules } from 'node:module';
import { isValidPackageName } from './package-name.js';

export type SpecifierClass =
  | { kind: 'package'; name: string; subpath?: string }
  | { kind: 'builtin' | 'relative' | 'absolute' | 'url' | 'subpath-import' | 'alias' | 'invalid' };

export interface ClassifyContext {
  /** True for specifiers a tsconfig/jsconfig maps to project files. */
  aliases?: (specifier: string) => boolean;
}

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
  // `npm:`, `jsr:`, `bun:`, `virtual:` and the like are not resolved from the registry by Node.
  if (SCHEME.test(specifier)) return { kind: 'url' };
  if (specifier.startsWith('#')) return { kind: 'subpath-import' };
  if (BUILTINS.has(specifier)) return { kind: 'builtin' };
  if (ctx.aliases?.(specifier) === true) return { kind: 'alias' };
  // `~/x` and `@/x` are the bundler root aliases (Nuxt, Vite, webpack), never registry packages.
  if (specifier === '~' || specifier.startsWith('~/') || specifier.startsWith('@/')) return { kind: 'alias' };
  // Loader prefixes (`raw-loader!./x`) are bundler syntax, never a plain package import.
  if (specifier.includes('!')) return { kind: 'invalid' };
  return parsePackageSpecifier(specifier);
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
  // Old packages with capitals (`JSONStream`) are still installable, so the legacy rules apply.
  if (!isValidPackageName(name)) return { kind: 'invalid' };
  const subpath = parts.slice(nameParts).join('/');
  return subpath === '' ? { kind: 'package', name } : { kind: 'package', name, subpath };
}
