/**
 * What a package's JavaScript defines, found by a text search of the tarball (the code is never
 * run), so that a member the declarations lag behind (`router.onBadUrl` set in a constructor,
 * `ejs.__express`) is not called invented. Kept per file with the files it loads, so a question is
 * answered from the module the user imports and what it reaches, not from a plugin or an old
 * major bundled beside it (`dayjs/plugin/isBetween`, `zod/v3`).
 */
import path from 'node:path/posix';

export interface RuntimeFile {
  /** Names on the file's export surface: `exports.x =`, `export { x }`, `module.exports = { x }`. */
  e: string[];
  /** Names a constructor, prototype or class sets: `this.x =`, `X.prototype.x =`, `x(…) {`. */
  v: string[];
  /** Names set as a property of some other object: `util.x =`, `util['x'] =` (node-forge's `forge.util`). */
  p: string[];
  /**
   * Names defined through a string that is exactly the name: `Object.defineProperty(x, 'name'`,
   * `Reflect.defineProperty(…)`, an argument of a define-like call (`define('NumberPrompt', …)`,
   * enquirer). A string that merely contains the name (a message) is not one.
   */
  s: string[];
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
/** `a.b.name =`, `a['name'] =`: the receiver (group 1) and the name (group 2). */
const PROPERTY_SETS = [
  new RegExp(`(?<![\\w$.])(${ID}(?:\\s*\\.\\s*${ID})*)\\s*\\.\\s*(${ID})\\s*=(?![=>])`, 'g'),
  new RegExp(`(?<![\\w$.])(${ID}(?:\\s*\\.\\s*${ID})*)\\s*\\[\\s*['"\`](${ID})['"\`]\\s*\\]\\s*=(?![=>])`, 'g'),
];
/** The file's own export objects, whose properties are its exports (EXPORT_PATTERNS), not another object's. */
const EXPORTS_RECEIVER = /^(?:module\s*\.\s*)?exports$/;
/**
 * A string that is exactly a name, as the first or second argument of a call whose callee says
 * it defines (`defineProperty`, `define`, `defineExport`, `__defineGetter__`; not `isUndefined`).
 */
const STRING_DEFINES = new RegExp(`\\b([\\w$]*[Dd]efine[\\w$]*)\\s*\\(\\s*(?:[\\w$.]+\\s*,\\s*)?['"\`](${ID})['"\`]\\s*[,)]`, 'g');
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
  const p = new Set<string>();
  const s = new Set<string>();
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
  // The object the file exports (`module.exports = Enquirer`, `var util = module.exports = …`):
  // what is set on it is on the export surface too.
  const exported = new Set([...text.matchAll(new RegExp(`\\bmodule\\.exports\\s*=\\s*(${ID})\\s*;?\\s*$`, 'gm'))].map((m) => m[1]!));
  for (const m of text.matchAll(new RegExp(`\\b(${ID})\\s*=\\s*module\\.exports\\s*=`, 'g'))) exported.add(m[1]!);
  for (const re of PROPERTY_SETS) {
    for (const m of text.matchAll(re)) {
      const receiver = m[1]!.replace(/\s+/g, '');
      if (EXPORTS_RECEIVER.test(receiver)) continue;
      p.add(m[2]!);
      if (exported.has(receiver)) e.add(m[2]!);
    }
  }
  for (const m of text.matchAll(STRING_DEFINES)) if (!/ndefined/i.test(m[1]!)) s.add(m[2]!);
  const dir = path.dirname(file);
  const join = (spec: string): string => path.join(dir, spec);
  const r = new Set<string>();
  for (const re of REEXPORTS) for (const m of text.matchAll(re)) r.add(join(m[1]!));
  const d = new Set<string>();
  for (const re of LOADS) for (const m of text.matchAll(re)) if (!r.has(join(m[1]!))) d.add(join(m[1]!));
  return { e: [...e].sort(), v: [...v].sort(), p: [...p].sort(), s: [...s].sort(), r: [...r].sort(), d: [...d].sort() };
}

export function isRuntimeNames(x: unknown): x is RuntimeNames {
  const strings = (xs: unknown): boolean => Array.isArray(xs) && xs.every((s) => typeof s === 'string');
  if (typeof x !== 'object' || x === null) return false;
  const files = (x as { files?: unknown }).files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return false;
  return Object.values(files).every((f: unknown) => typeof f === 'object' && f !== null && ['e', 'v', 'p', 's', 'r', 'd'].every((k) => strings((f as Record<string, unknown>)[k])));
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

/** Bounds on the files one question reads: a bundle of thousands of modules is not walked whole. */
const MAX_DEPTH = 12;
const MAX_FILES = 400;

/**
 * Whether the runtime defines `name` where the user looks for it. From the module `specifier`
 * loads, relative loads are followed (at most MAX_DEPTH steps, MAX_FILES files of the tarball).
 * A member of the module itself: on the export surface of that module and what it re-exports,
 * or defined through its exact string (`define('NumberPrompt')`, `Reflect.defineProperty(x,
 * 'name'`) in any file it reaches, as enquirer defines its prompts. A member of a value it makes:
 * anything defined or set as a property in the files it reaches (`util.bytesFromIP =` in the
 * `./util` node-forge's entry requires).
 */
export function runtimeDefines(runtime: RuntimeNames, manifestText: string | undefined, packageName: string, specifier: string, name: string, of: 'module' | 'value'): boolean {
  const seen = new Set<string>();
  /** A file, and whether the module re-exports it (every step a re-export). */
  const queue: { file: string; surface: boolean; depth: number }[] = entryFiles(runtime, manifestText, packageName, specifier).map((file) => ({ file, surface: true, depth: 0 }));
  while (queue.length && seen.size < MAX_FILES) {
    const { file, surface, depth } = queue.shift()!;
    const key = `${surface ? 'e' : 'd'}:${file}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const info = runtime.files[file]!;
    if ((surface && info.e.includes(name)) || info.s.includes(name)) return true;
    if (of === 'value' && (info.e.includes(name) || info.v.includes(name) || info.p.includes(name))) return true;
    if (depth >= MAX_DEPTH) continue;
    for (const [next, reexported] of [...info.r.map((r) => [r, true] as const), ...info.d.map((d) => [d, false] as const)]) {
      const resolved = resolveFile(runtime, next);
      if (resolved) queue.push({ file: resolved, surface: surface && reexported, depth: depth + 1 });
    }
  }
  return false;
}
