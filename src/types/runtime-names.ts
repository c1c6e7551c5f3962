/**
 * What a package's JavaScript defines, found by a text search of the tarball (the code is never
 * run), so that a member the declarations lag behind (`router.onBadUrl` set in a constructor,
 * `ejs.__express`) is not called invented. Kept per file with the files it loads, so a question is
 * answered from the module the user imports and what it reaches, not from a plugin or an old
 * major bundled beside it (`dayjs/plugin/isBetween`, `zod/v3`).
 */
import path from 'node:path/posix';
import { isRecord, isStringArray } from '../model/json.js';

export interface RuntimeFile {
  /** Names on the file's export surface: `exports.x =`, `export { x }`, `module.exports = { x }`. */
  e: string[];
  /** Names a constructor, prototype or class sets: `this.x =`, `X.prototype.x =`, `x(…) {`. */
  v: string[];
  /** Files whose exports it re-exports (`export * from`, `module.exports = require(…)`), as joined paths. */
  r: string[];
  /** Every other file it loads, as joined paths. */
  d: string[];
}

/** By file path in the package. */
export interface RuntimeNames {
  files: Record<string, RuntimeFile>;
}

const ID = '[A-Za-z_$][\\w$]*';
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with']);
const EXPORT_PATTERNS = [
  new RegExp(`\\b(?:module\\.)?exports\\s*\\.\\s*(${ID})\\s*=(?!=)`, 'g'),
  new RegExp(`\\b(?:module\\.)?exports\\s*\\[\\s*['"\`](${ID})['"\`]\\s*\\]\\s*=(?!=)`, 'g'),
  new RegExp(`defineProperty\\(\\s*(?:module\\.)?exports\\s*,\\s*['"](${ID})['"]`, 'g'),
  new RegExp(`\\bexport\\s+(?:default\\s+)?(?:async\\s+)?(?:function\\s*\\*?|class|const|let|var)\\s*(${ID})`, 'g'),
];
/** `export { a, b as c }`, `module.exports = { a, b: …, c() {} }`, a bundler's `__export(x, { a: () => a })`. */
const EXPORT_LISTS = [/\bexport\s*\{([^}]*)\}/g, /\bmodule\.exports\s*=\s*\{([^}]*)\}/g, /__export\(\s*[\w$]+\s*,\s*\{([^}]*)\}/g];
const VALUE_PATTERNS = [
  new RegExp(`\\b(?:this|self|prototype)\\s*\\.\\s*(${ID})\\s*=(?!=)`, 'g'),
  new RegExp(`\\b(?:this|self|prototype)\\s*\\[\\s*['"\`](${ID})['"\`]\\s*\\]\\s*=(?!=)`, 'g'),
  new RegExp(`^[ \\t]*(?:static\\s+)?(?:async\\s+)?(?:get\\s+|set\\s+)?\\*?\\s*(${ID})\\s*\\([^)]*\\)\\s*\\{`, 'gm'),
  new RegExp(`defineProperty\\(\\s*(?:this|[\\w$]+\\.prototype)\\s*,\\s*['"](${ID})['"]`, 'g'),
];
const SPEC = `['"](\\.{1,2}/[^'"]*|\\.{1,2})['"]`;
const REEXPORTS = [
  new RegExp(`\\bexport\\s*(?:\\*|\\{[^}]*\\})\\s*(?:as\\s+${ID}\\s*)?from\\s*${SPEC}`, 'g'),
  new RegExp(`\\bmodule\\.exports\\s*=\\s*require\\(\\s*${SPEC}\\s*\\)`, 'g'),
  new RegExp(`(?:__exportStar|__reExport|_export_star|Object\\.assign)\\(\\s*(?:[\\w$.]+\\s*,\\s*)?require\\(\\s*${SPEC}\\s*\\)`, 'g'),
];
const LOADS = [new RegExp(`\\brequire\\(\\s*${SPEC}\\s*\\)`, 'g'), new RegExp(`\\b(?:from|import)\\s*\\(?\\s*${SPEC}`, 'g')];

/** The names one JavaScript file (at `file` in the package) defines, and the files it loads. */
export function scanRuntimeFile(file: string, text: string): RuntimeFile {
  const e = new Set<string>();
  const v = new Set<string>();
  for (const re of EXPORT_PATTERNS) for (const m of text.matchAll(re)) e.add(m[1]!);
  for (const re of EXPORT_LISTS) {
    for (const m of text.matchAll(re)) {
      for (const part of m[1]!.split(',')) {
        const item = /^\s*(?:async\s+)?['"]?([A-Za-z_$][\w$]*)['"]?(?:\s+as\s+([A-Za-z_$][\w$]*))?/.exec(part);
        if (item) e.add(item[2] ?? item[1]!);
      }
    }
  }
  for (const re of VALUE_PATTERNS) for (const m of text.matchAll(re)) if (!KEYWORDS.has(m[1]!)) v.add(m[1]!);
  const dir = path.dirname(file);
  const join = (spec: string): string => path.join(dir, spec);
  const r = new Set<string>();
  for (const re of REEXPORTS) for (const m of text.matchAll(re)) r.add(join(m[1]!));
  const d = new Set<string>();
  for (const re of LOADS) for (const m of text.matchAll(re)) if (!r.has(join(m[1]!))) d.add(join(m[1]!));
  return { e: [...e].sort(), v: [...v].sort(), r: [...r].sort(), d: [...d].sort() };
}

export function isRuntimeNames(x: unknown): x is RuntimeNames {
  if (!isRecord(x) || !isRecord(x.files)) return false;
  return Object.values(x.files).every((f) => isRecord(f) && ['e', 'v', 'r', 'd'].every((k) => isStringArray(f[k])));
}

/** A joined path to the file Node would load (`./lib` → `lib.js` or `lib/index.js`). */
function resolveFile(runtime: RuntimeNames, joined: string): string | undefined {
  const base = joined.replace(/^\.\//, '').replace(/\/$/, '');
  for (const candidate of [base, `${base}.js`, `${base}.cjs`, `${base}.mjs`, `${base}/index.js`, `${base}/index.cjs`, `${base}/index.mjs`]) {
    if (runtime.files[candidate]) return candidate;
  }
  return undefined;
}

/** Every JavaScript target of an exports entry, whatever the condition (`types` aside). */
function targetsOf(entry: unknown): string[] {
  if (typeof entry === 'string') return [entry];
  if (Array.isArray(entry)) return entry.flatMap(targetsOf);
  if (entry && typeof entry === 'object') return Object.entries(entry).flatMap(([k, v]) => (k === 'types' || k === 'typings' ? [] : targetsOf(v)));
  return [];
}

/** The files `specifier` (the package or one of its subpaths) loads, per its manifest; empty when not known. */
function entryFiles(runtime: RuntimeNames, manifestText: string | undefined, packageName: string, specifier: string): string[] {
  let manifest: Record<string, unknown> = {};
  try {
    manifest = JSON.parse(manifestText ?? '{}') as Record<string, unknown>;
  } catch {
    return [];
  }
  const sub = specifier === packageName ? '.' : specifier.startsWith(`${packageName}/`) ? `./${specifier.slice(packageName.length + 1)}` : undefined;
  if (!sub) return [];
  let targets: string[];
  const exports = manifest.exports;
  if (exports !== undefined && exports !== null) {
    const keyed = typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
    const entry = keyed ? (exports as Record<string, unknown>)[sub] : sub === '.' ? exports : undefined;
    targets = targetsOf(entry);
  } else {
    targets = sub === '.' ? [typeof manifest.main === 'string' ? manifest.main : 'index.js'] : [sub];
  }
  return targets.map((t) => resolveFile(runtime, path.normalize(t))).filter((f): f is string => f !== undefined);
}

/**
 * Whether the runtime defines `name` where the user looks for it: on the export surface of the
 * module `specifier` loads (following re-exports), for a member of the module itself; or
 * anywhere in the files that module reaches, for a member of a value it makes.
 */
export function runtimeDefines(runtime: RuntimeNames, manifestText: string | undefined, packageName: string, specifier: string, name: string, of: 'module' | 'value'): boolean {
  const entries = entryFiles(runtime, manifestText, packageName, specifier);
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const info = runtime.files[file]!;
    if (info.e.includes(name) || (of === 'value' && info.v.includes(name))) return true;
    for (const next of of === 'value' ? [...info.r, ...info.d] : info.r) {
      const resolved = resolveFile(runtime, next);
      if (resolved) queue.push(resolved);
    }
  }
  return false;
}
