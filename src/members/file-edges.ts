/**
 * Which of a project's source files each one reaches through its imports, so that after an edit
 * only the files the edit can reach are checked again (result-cache.ts). Read from the text with
 * TypeScript's pre-processor (imports, re-exports, `require`, `import()`, `/// <reference path>`);
 * a relative specifier is kept as the path it names, matched later against the paths of the files
 * that changed (so a file created since still counts). A workspace package's name reaches the
 * files of its folder (`packages/ui/`, a path ending in `/`). A `paths` alias or a `baseUrl`
 * specifier reaches the paths its tsconfig's targets name. Any other specifier that is neither
 * relative nor a package (a bundler's alias, a `#` import) may reach any file: `'*'`. So may a
 * component file (`.vue`, `.svelte`), whose script is not read here.
 */
import path from 'node:path';
import { nodeBuiltinName, packageNameOf } from '../scan/classify-specifier.js';
import { jsoncToJson } from '../scan/jsonc.js';
import { loadTypeScript } from '../scan/load-typescript.js';

/**
 * Per file (relative, `/`-separated): the paths its relative specifiers name, without and with
 * their extension (`src/x`, `src/x.js`), whether or not a file is there yet; or `'*'` when it
 * may reach any file.
 */
export type FileEdges = Record<string, string[] | '*'>;

const SCRIPT = /\.[cm]?[jt]sx?$/;
// Module syntax outside comments: a statement starting with import or export, or CommonJS.
const MODULE_SYNTAX = /(?:^|[;{}])\s*(?:import|export)\b|\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/m;
const DECLARES = /\bdeclare\s+(?:module\s*['"]|global\s*\{)/;

/**
 * Whether a file's text can change what other files see without their importing it: it declares
 * a module or a global, or it is a script (no import, export or require), whose top-level
 * declarations are global.
 */
export function declaresForOthers(file: string, text: string): boolean {
  return !SCRIPT.test(file) || DECLARES.test(text) || !MODULE_SYNTAX.test(jsoncToJson(text));
}

/**
 * What a bare specifier's package name is: a registry package the project installs, a workspace
 * package (its folder, relative, `/`-separated), or neither (undefined: an alias).
 */
export type BareName = (name: string) => 'registry' | { workspace: string } | undefined;

/**
 * Where a `paths` alias or a `baseUrl` specifier written in `file` may resolve: paths relative
 * to the root, `/`-separated, without an added extension; undefined when nothing maps it (it
 * may then reach any file).
 */
export type AliasTargets = (file: string, specifier: string) => string[] | undefined;

/**
 * @param texts every source file the result key covers (relative path → text)
 */
export function fileEdges(texts: Map<string, string>, bareName: BareName, aliasTargets?: AliasTargets): FileEdges {
  const edges: FileEdges = {};
  for (const [file, text] of texts) {
    if (!SCRIPT.test(file)) {
      edges[file] = '*';
      continue;
    }
    const info = loadTypeScript().preProcessFile(text, true, true);
    const named = new Set<string>();
    let anywhere = false;
    const add = (base: string): void => {
      named.add(base);
      const ext = path.posix.extname(base);
      if (ext) named.add(base.slice(0, -ext.length));
    };
    const relative = (spec: string): void => add(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
    for (const ref of info.referencedFiles) relative(ref.fileName.startsWith('.') ? ref.fileName : `./${ref.fileName}`);
    for (const ref of info.importedFiles) {
      const spec = ref.fileName;
      if (spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../')) relative(spec);
      else if (nodeBuiltinName(spec)) continue;
      else {
        const name = packageNameOf(spec);
        const kind = name === undefined ? undefined : bareName(name);
        if (kind === 'registry') continue;
        if (kind) {
          named.add(`${kind.workspace}/`);
          continue;
        }
        // A `paths` alias: the files its targets name (every target, in every config read). Not
        // a `#` import: TypeScript falls back to package.json `imports` when no target is there.
        const targets = spec.startsWith('#') ? undefined : aliasTargets?.(file, spec);
        if (targets?.length) {
          // A target may be a folder its package.json or index resolves within: all of it counts.
          for (const target of targets) {
            add(target);
            named.add(`${target}/`);
          }
          continue;
        }
        anywhere = true;
        break;
      }
    }
    edges[file] = anywhere ? '*' : [...named].sort();
  }
  return edges;
}

/**
 * The paths an edge naming `file` can hold: itself, without its extension (`./x.js` names x.ts
 * too: TypeScript maps the extension), its folder for an index, and every folder above it
 * (`packages/ui/`, as a workspace package's edge is written).
 */
function namesOf(file: string): string[] {
  const ext = path.posix.extname(file);
  const bare = ext ? file.slice(0, -ext.length) : file;
  const names = [file, bare];
  if (path.posix.basename(bare) === 'index') names.push(path.posix.dirname(bare));
  if (bare.endsWith('.d')) names.push(bare.slice(0, -2));
  for (let i = file.indexOf('/'); i !== -1; i = file.indexOf('/', i + 1)) names.push(file.slice(0, i + 1));
  return names;
}

/**
 * The files to check again after `changed` (relative paths whose text differs, appeared or went
 * away): those, and every file that reaches one of them, directly or not. A file whose edges
 * are `'*'` is always among them; so is a file no edges are known for.
 */
export function affectedFiles(edges: FileEdges, files: Iterable<string>, changed: Iterable<string>): Set<string> {
  const dirty = new Set(changed);
  const names = new Set([...dirty].flatMap(namesOf));
  const pending = [...files].filter((f) => !dirty.has(f));
  let grew = true;
  while (grew) {
    grew = false;
    for (let i = pending.length - 1; i >= 0; i--) {
      const file = pending[i]!;
      const out = edges[file];
      if (out === undefined || out === '*' || out.some((n) => names.has(n))) {
        dirty.add(file);
        for (const n of namesOf(file)) names.add(n);
        pending.splice(i, 1);
        grew = true;
      }
    }
  }
  return dirty;
}
