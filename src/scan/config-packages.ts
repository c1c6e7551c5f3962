/**
 * Packages a project's tsconfig/jsconfig files name by configuration: `compilerOptions.types`
 * entries (`"jest"`: TypeScript looks for `@types/jest`, then `jest`'s own declarations) and
 * `jsxImportSource` (`"preact"`: `preact/jsx-runtime`). Only the project's own config files are
 * read (every `tsconfig*.json`/`jsconfig*.json` beside a package.json); a base extended from a
 * package is that package's business. Read synchronously: a handful of small files, once per run.
 */
import { readdirSync, readFileSync, statSync } from './observed-fs.js';
import path from 'node:path';
import type { ConfigPackageReference, Manifest } from '../model/references.js';
import { isRecord } from '../model/json.js';
import { indexKeyLines } from './json-lines.js';
import { jsoncToJson } from './jsonc.js';
import { packageNameOf } from './classify-specifier.js';
import { MAX_PROJECT_FILE_BYTES } from './read-text.js';

const CONFIG_FILE = /^(?:ts|js)config(?:\.[\w.-]+)?\.json$/i;

export function readConfigPackages(root: string, manifests: readonly Manifest[]): ConfigPackageReference[] {
  const refs: ConfigPackageReference[] = [];
  for (const dir of [...new Set(manifests.map((m) => m.dir))].sort()) {
    let names: string[];
    try {
      names = readdirSync(path.join(root, dir))
        .filter((n) => CONFIG_FILE.test(n))
        .sort();
    } catch {
      continue;
    }
    for (const name of names) refs.push(...readOne(root, dir === '' ? name : `${dir}/${name}`));
  }
  return refs;
}

function readOne(root: string, file: string): ConfigPackageReference[] {
  const abs = path.join(root, file);
  let text: string;
  try {
    const info = statSync(abs);
    if (!info.isFile() || info.size > MAX_PROJECT_FILE_BYTES) return [];
    text = readFileSync(abs, 'utf8');
  } catch {
    return [];
  }
  let json: unknown;
  const body = jsoncToJson(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  try {
    json = JSON.parse(body);
  } catch {
    // The alias reader reports a tsconfig that does not parse; here it names nothing.
    return [];
  }
  if (!isRecord(json) || !isRecord(json.compilerOptions)) return [];
  const options = json.compilerOptions;
  const lines = indexKeyLines(body, (p) => p.length <= 1);
  const dir = path.dirname(abs);
  const refs: ConfigPackageReference[] = [];
  if (Array.isArray(options.types)) {
    const keyLine = lines.lineOf(['compilerOptions', 'types']);
    const typeRoots = Array.isArray(options.typeRoots)
      ? options.typeRoots.filter((r): r is string => typeof r === 'string')
      : [];
    for (const entry of options.types) {
      if (typeof entry !== 'string') continue;
      const name = typesEntryPackage(entry);
      if (!name) continue;
      // A typeRoots directory of the project's own holding the entry: local declarations.
      if (
        typeRoots.some(
          (r) => !r.includes('node_modules') && existsLocally(path.resolve(dir, r.replace('${configDir}', '.')), entry),
        )
      )
        continue;
      const line = lineOfValue(body, entry, keyLine);
      refs.push({ entry, packageName: name, option: 'types', file, ...(line === undefined ? {} : { line }) });
    }
  }
  if (typeof options.jsxImportSource === 'string') {
    const name = typesEntryPackage(options.jsxImportSource);
    const line = lines.lineOf(['compilerOptions', 'jsxImportSource']);
    if (name)
      refs.push({
        entry: options.jsxImportSource,
        packageName: name,
        option: 'jsxImportSource',
        file,
        ...(line === undefined ? {} : { line }),
      });
  }
  return refs;
}

/** The package a `types` entry or import source names; undefined for a path or anything else that is not a package name. */
function typesEntryPackage(entry: string): string | undefined {
  const e = entry.trim();
  if (e === '' || e.startsWith('.') || e.startsWith('/') || /^[a-z]:[\\/]/i.test(e) || /[$*\\]/.test(e))
    return undefined;
  return packageNameOf(e);
}

function existsLocally(typeRoot: string, entry: string): boolean {
  const at = path.join(typeRoot, entry);
  return [at, `${at}.d.ts`].some((p) => statSync(p, { throwIfNoEntry: false }) !== undefined);
}

/** The line of `"value"` at or after the key's line (the array's entries follow its key). */
function lineOfValue(text: string, value: string, from: number | undefined): number | undefined {
  if (from === undefined) return undefined;
  const lines = text.split('\n');
  const quoted = JSON.stringify(value);
  for (let i = from - 1; i < lines.length; i++) if (lines[i]!.includes(quoted)) return i + 1;
  return from;
}
