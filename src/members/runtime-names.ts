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
  /**
   * Names defined through a string that is exactly the name: `Object.defineProperty(x, 'name'`,
   * `Reflect.defineProperty(…)`, an argument of a define-like call (`define('NumberPrompt', …)`,
   * enquirer). A string that merely contains the name (a message) is not one.
   */
  s: string[];
  /**
   * Classes whose prototype gets members under names computed from a list the file does not
   * spell out (`methods.forEach((m) => { TestAgent.prototype[m] = … })`, see dynamicTargets):
   * what their instances have cannot be read from the text.
   */
  k: string[];
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
const EXPORT_LISTS = [
  /\bexport\s*\{([^}]*)\}/g,
  /\bmodule\.exports\s*=\s*\{([^}]*)\}/g,
  /__export\(\s*[\w$]+\s*,\s*\{([^}]*)\}/g,
];
const VALUE_PATTERNS = [
  new RegExp(`\\b(?:this|self|prototype)\\s*\\.\\s*(${ID})\\s*=(?!=)`, 'g'),
  new RegExp(`\\b(?:this|self|prototype)\\s*\\[\\s*['"\`](${ID})['"\`]\\s*\\]\\s*=(?!=)`, 'g'),
  new RegExp(`^[ \\t]*(?:static\\s+)?(?:async\\s+)?(?:get\\s+|set\\s+)?\\*?\\s*(${ID})\\s*\\([^)]*\\)\\s*\\{`, 'gm'),
  new RegExp(`defineProperty\\(\\s*(?:this|[\\w$]+\\.prototype)\\s*,\\s*['"](${ID})['"]`, 'g'),
];
/**
 * `a.b.name =`, `a['name'] =`: the receiver (group 1) and the name (group 2). Only what is set on
 * the object a file exports counts: a property set on any other local (axios's
 * `resolvedOptions.body = null`, express's `app.param = function`) is no API of the package's
 * values, and would hide a `response.body` or a `req.param` that is not there.
 */
const PROPERTY_SETS = [
  new RegExp(`(?<![\\w$.])(${ID}(?:\\s*\\.\\s*${ID})*)\\s*\\.\\s*(${ID})\\s*=(?![=>])`, 'g'),
  new RegExp(`(?<![\\w$.])(${ID}(?:\\s*\\.\\s*${ID})*)\\s*\\[\\s*['"\`](${ID})['"\`]\\s*\\]\\s*=(?![=>])`, 'g'),
];
/** `module.exports = X` ending a line, `X = module.exports =`: X is the object the file exports. */
const MODULE_EXPORTS_IS = new RegExp(`\\bmodule\\.exports\\s*=\\s*(${ID})\\s*;?\\s*$`, 'gm');
const IS_MODULE_EXPORTS = new RegExp(`\\b(${ID})\\s*=\\s*module\\.exports\\s*=`, 'g');
/** The file's own export objects, whose properties are its exports (EXPORT_PATTERNS), not another object's. */
const EXPORTS_RECEIVER = /^(?:module\s*\.\s*)?exports$/;
/**
 * A string that is exactly a name (group 3), as the first or second argument (after group 2) of
 * a call whose callee (group 1) says it defines (`defineProperty`, `define`, `defineExport`,
 * `__defineGetter__`; not `isUndefined`).
 */
const STRING_DEFINES = new RegExp(
  `\\b([\\w$]*[Dd]efine[\\w$]*)\\s*\\(\\s*(?:([\\w$.]+)\\s*,\\s*)?['"\`](${ID})['"\`]\\s*[,)]`,
  'g',
);
/**
 * A loop whose variable (group 2, or 1 for the for statement) runs over a list (group 1, or 2):
 * `methods.forEach(function (m) {`, `Object.keys(x).forEach((m) =>`, `for (const m of list)`.
 * A list the file spells out (`const list = [`, `['a', 'b'].forEach`) is not dynamic.
 */
const FOR_EACH = new RegExp(
  `(?<![\\w$.])((?:${ID}\\s*\\.\\s*)*${ID}(?:\\([^()]*\\))?)\\s*\\.\\s*forEach\\(\\s*(?:(?:async\\s+)?function\\s*[\\w$]*\\s*)?\\(?\\s*(${ID})`,
  'g',
);
const FOR_OF = new RegExp(
  `\\bfor\\s*\\(\\s*(?:const|let|var)\\s+(${ID})\\s+(?:of|in)\\s+([^;)]+(?:\\([^()]*\\))?)\\)`,
  'g',
);
/** What a loop body needs to set a computed prototype member: without it in the file, dynamicTargets finds none. */
const PROTOTYPE_KEYED = new RegExp(
  `prototype\\s*\\[\\s*[A-Za-z_$]|defineProperty\\(\\s*${ID}\\s*\\.\\s*prototype\\s*,\\s*[A-Za-z_$]`,
);
/** STRING_DEFINES from its literal part on: a file without it has no match (this one is quick to rule out). */
const DEFINE_CALL = /[Dd]efine[\w$]*\s*\(\s*(?:[\w$.]+\s*,\s*)?['"`][A-Za-z_$]/;
const SPEC = `['"](\\.{1,2}/[^'"]*|\\.{1,2})['"]`;
const REEXPORTS = [
  new RegExp(`\\bexport\\s*(?:\\*|\\{[^}]*\\})\\s*(?:as\\s+${ID}\\s*)?from\\s*${SPEC}`, 'g'),
  new RegExp(`\\bmodule\\.exports\\s*=\\s*require\\(\\s*${SPEC}\\s*\\)`, 'g'),
  new RegExp(
    `(?:__exportStar|__reExport|_export_star|Object\\.assign)\\(\\s*(?:[\\w$.]+\\s*,\\s*)?require\\(\\s*${SPEC}\\s*\\)`,
    'g',
  ),
];
const LOADS = [
  new RegExp(`\\brequire\\(\\s*${SPEC}\\s*\\)`, 'g'),
  new RegExp(`\\b(?:from|import)\\s*\\(?\\s*${SPEC}`, 'g'),
];

/**
 * The names one JavaScript file (at `file` in the package) defines, and the files it loads. A
 * pattern runs only over text that holds the words it needs (`module.exports`, `prototype`,
 * `efine`): a cold member check reads tens of megabytes of JavaScript, and most files hold few.
 */
export function scanRuntimeFile(file: string, text: string): RuntimeFile {
  const e = new Set<string>();
  const v = new Set<string>();
  const s = new Set<string>();
  const hasExport = text.includes('export');
  const hasModuleExports = hasExport && text.includes('module.exports');
  if (hasExport) for (const re of EXPORT_PATTERNS) for (const m of text.matchAll(re)) e.add(m[1]!);
  for (const re of EXPORT_LISTS) {
    if (!hasExport) break;
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
  const exported = new Set<string>();
  if (hasModuleExports) {
    for (const m of text.matchAll(MODULE_EXPORTS_IS)) exported.add(m[1]!);
    for (const m of text.matchAll(IS_MODULE_EXPORTS)) exported.add(m[1]!);
  }
  // Only a property set on one of those counts: without them the file's every `a.b =` is skipped.
  for (const re of exported.size ? PROPERTY_SETS : []) {
    for (const m of text.matchAll(re)) {
      const receiver = m[1]!.replace(/\s+/g, '');
      if (!EXPORTS_RECEIVER.test(receiver) && exported.has(receiver)) e.add(m[2]!);
    }
  }
  const k = PROTOTYPE_KEYED.test(text) ? dynamicTargets(text) : [];
  for (const m of DEFINE_CALL.test(text) ? text.matchAll(STRING_DEFINES) : []) {
    if (/ndefined/i.test(m[1]!)) continue;
    // On the file's own exports (a compiled re-export's `Object.defineProperty(exports, "x"`): an
    // export of this file, which is the module's only if the module re-exports the file.
    if (m[2] && EXPORTS_RECEIVER.test(m[2].replace(/\s+/g, ''))) e.add(m[3]!);
    else s.add(m[3]!);
  }
  const dir = path.dirname(file);
  const join = (spec: string): string => path.join(dir, spec);
  const r = new Set<string>();
  for (const re of REEXPORTS) for (const m of text.matchAll(re)) r.add(join(m[1]!));
  const d = new Set<string>();
  for (const re of LOADS) for (const m of text.matchAll(re)) if (!r.has(join(m[1]!))) d.add(join(m[1]!));
  return { e: [...e].sort(), v: [...v].sort(), s: [...s].sort(), k, r: [...r].sort(), d: [...d].sort() };
}

/**
 * The classes a file gives prototype members under names from a list it does not spell out
 * (RuntimeFile.k): a `forEach` or `for…of/in` loop whose variable is the computed key of an
 * assignment to (or defineProperty on) `X.prototype` in the loop's body, over a list that is not
 * an array literal of the file. Only prototypes: a class's statics or a plain object given
 * names so (express's `app[method]`, mongoose's `Document[i]`) say nothing about instances, and
 * a bare object cannot be matched to a declared type.
 */
function dynamicTargets(text: string): string[] {
  const loops: { list: string; variable: string; body: string }[] = [];
  for (const m of text.matchAll(FOR_EACH))
    loops.push({ list: m[1]!, variable: m[2]!, body: loopBody(text, m.index + m[0].length) });
  for (const m of text.matchAll(FOR_OF))
    loops.push({ list: m[2]!.trim(), variable: m[1]!, body: loopBody(text, m.index + m[0].length) });
  const targets = new Set<string>();
  for (const { list, variable, body } of loops) {
    // The list's items are written in this file: every name is a string here, not computed.
    if (/^[A-Za-z_$][\w$]*$/.test(list) && new RegExp(`\\b(?:const|let|var)\\s+${escape(list)}\\s*=\\s*\\[`).test(text))
      continue;
    const v = escape(variable);
    for (const m of body.matchAll(
      new RegExp(`(?<![\\w$.])(${ID})\\s*\\.\\s*prototype\\s*\\[\\s*${v}\\s*\\]\\s*=(?![=>])`, 'g'),
    ))
      targets.add(m[1]!);
    for (const m of body.matchAll(
      new RegExp(`defineProperty\\(\\s*(${ID})\\s*\\.\\s*prototype\\s*,\\s*${v}\\s*,`, 'g'),
    ))
      targets.add(m[1]!);
  }
  return [...targets].sort();
}

/** The loop's body from `from`: to the brace that closes the first one opened (a statement without braces: to the line's end), at most 4,000 characters. */
function loopBody(text: string, from: number): string {
  const open = text.slice(from, from + 200).search(/[{\n]/);
  if (open < 0 || text[from + open] !== '{') return text.slice(from, from + (open < 0 ? 200 : open));
  let depth = 0;
  const end = Math.min(text.length, from + 4000);
  for (let i = from + open; i < end; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(from, i);
  }
  return text.slice(from, end);
}

const escape = (name: string): string => name.replace(/\$/g, '\\$');

export function isRuntimeNames(x: unknown): x is RuntimeNames {
  if (!isRecord(x) || !isRecord(x.files)) return false;
  return Object.values(x.files).every(
    (f) => isRecord(f) && ['e', 'v', 's', 'k', 'r', 'd'].every((k) => isStringArray(f[k])),
  );
}

/** A joined path to the file Node would load (`./lib` → `lib.js` or `lib/index.js`). */
function resolveFile(runtime: RuntimeNames, joined: string): string | undefined {
  const base = joined.replace(/^\.\//, '').replace(/\/$/, '');
  for (const candidate of [
    base,
    `${base}.js`,
    `${base}.cjs`,
    `${base}.mjs`,
    `${base}/index.js`,
    `${base}/index.cjs`,
    `${base}/index.mjs`,
  ]) {
    if (runtime.files[candidate]) return candidate;
  }
  return undefined;
}

/** Every JavaScript target of an exports entry, whatever the condition (`types` aside). */
function targetsOf(entry: unknown): string[] {
  if (typeof entry === 'string') return [entry];
  if (Array.isArray(entry)) return entry.flatMap(targetsOf);
  if (entry && typeof entry === 'object')
    return Object.entries(entry).flatMap(([k, v]) => (k === 'types' || k === 'typings' ? [] : targetsOf(v)));
  return [];
}

/** The files `specifier` (the package or one of its subpaths) loads, per its manifest; empty when not known. */
function entryFiles(
  runtime: RuntimeNames,
  manifestText: string | undefined,
  packageName: string,
  specifier: string,
): string[] {
  let manifest: Record<string, unknown> = {};
  try {
    manifest = JSON.parse(manifestText ?? '{}') as Record<string, unknown>;
  } catch {
    return [];
  }
  const sub =
    specifier === packageName
      ? '.'
      : specifier.startsWith(`${packageName}/`)
        ? `./${specifier.slice(packageName.length + 1)}`
        : undefined;
  if (!sub) return [];
  let targets: string[];
  const exports = manifest.exports;
  if (exports !== undefined && exports !== null) {
    const keyed =
      typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
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
 * The files the module `specifier` loads, following relative loads (at most MAX_DEPTH steps,
 * MAX_FILES files of the tarball), each with whether it is on the module's export surface (every
 * step a re-export).
 */
function* reachedFiles(
  runtime: RuntimeNames,
  manifestText: string | undefined,
  packageName: string,
  specifier: string,
): Generator<{ info: RuntimeFile; surface: boolean }> {
  const seen = new Set<string>();
  const queue: { file: string; surface: boolean; depth: number }[] = entryFiles(
    runtime,
    manifestText,
    packageName,
    specifier,
  ).map((file) => ({ file, surface: true, depth: 0 }));
  while (queue.length && seen.size < MAX_FILES) {
    const { file, surface, depth } = queue.shift()!;
    const key = `${surface ? 'e' : 'd'}:${file}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const info = runtime.files[file]!;
    yield { info, surface };
    if (depth >= MAX_DEPTH) continue;
    for (const [next, reexported] of [
      ...info.r.map((r) => [r, true] as const),
      ...info.d.map((d) => [d, false] as const),
    ]) {
      const resolved = resolveFile(runtime, next);
      if (resolved) queue.push({ file: resolved, surface: surface && reexported, depth: depth + 1 });
    }
  }
}

/**
 * Whether the runtime defines `name` where the user looks for it, in the files the module
 * `specifier` loads (reachedFiles). A member of the module itself: on the export surface of that
 * module and what it re-exports, or defined through its exact string (`define('NumberPrompt')`,
 * `Reflect.defineProperty(x, 'name'`) in any file it reaches, as enquirer defines its prompts. A
 * member of a value it makes: anything those files define or export (`util.bytesFromIP =` on
 * the `util` that `./util`, which node-forge's entry requires, exports).
 */
export function runtimeDefines(
  runtime: RuntimeNames,
  manifestText: string | undefined,
  packageName: string,
  specifier: string,
  name: string,
  of: 'module' | 'value',
): boolean {
  for (const { info, surface } of reachedFiles(runtime, manifestText, packageName, specifier)) {
    if ((surface && info.e.includes(name)) || info.s.includes(name)) return true;
    if (of === 'value' && (info.e.includes(name) || info.v.includes(name))) return true;
  }
  return false;
}

/**
 * Whether one of `classes` (the declared names of a receiver's type) gets prototype members
 * under names the text cannot enumerate (RuntimeFile.k) in the files `specifier` loads: then a
 * member its declarations lack may be one of them, and is not claimed. supertest's TestAgent
 * has a method per `http.METHODS` of the running Node, so `request(app).query('/')` is an HTTP
 * QUERY where its declarations see superagent's query-string setter.
 */
export function runtimeGeneratesMembers(
  runtime: RuntimeNames,
  manifestText: string | undefined,
  packageName: string,
  specifier: string,
  classes: readonly string[],
): boolean {
  if (!classes.length) return false;
  for (const { info } of reachedFiles(runtime, manifestText, packageName, specifier))
    if (info.k.some((k) => classes.includes(k))) return true;
  return false;
}
