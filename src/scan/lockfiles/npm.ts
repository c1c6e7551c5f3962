import type { LockedPackage, Lockfile } from '../../model/references.js';
import { isRecord, type JsonObject } from '../../model/json.js';
import { indexKeyLines, parseJson, type KeyFilter } from '../json-lines.js';
import { entryError, type ReadContext, shownValue, unsupportedVersion } from './entries.js';
import type { LockfileRead } from './reader.js';
import { sourceOf } from './source.js';

type Context = ReadContext;

/** package-lock.json's layouts: 1 (a tree of `dependencies`), 2 (both), 3 (only `packages`). */
const SUPPORTED_VERSIONS = new Set([1, 2, 3]);

const ROOT_KEYS: KeyFilter = (p) => p.length === 0;
/** Keys of the root and of the `packages` map: all that v2/v3 locations need. */
const PACKAGES_KEYS: KeyFilter = (p) => p.length === 0 || (p.length === 1 && p[0] === 'packages');
/**
 * v1 nests node_modules folders as `dependencies` of entries. npm never wrote trees anywhere near
 * this deep; the limit keeps a hostile file from costing time quadratic in its depth (each key
 * path is as long as the depth).
 */
const MAX_TREE_DEPTH = 256;
/**
 * v1: record keys along `dependencies.<name>.dependencies…` only. The filter sees only paths whose
 * parent it accepted, so the last segment decides.
 */
const TREE_KEYS: KeyFilter = (p) =>
  p.length === 0 || (p.length <= 2 * MAX_TREE_DEPTH && (p.length % 2 === 0 || p[p.length - 1] === 'dependencies'));

/** package-lock.json and npm-shrinkwrap.json, lockfileVersion 1 to 3. */
export function readNpmLockfile(relPath: string, text: string): LockfileRead {
  const parsed = parseJson(relPath, text);
  if (parsed.error) return { errors: [parsed.error] };
  const json = parsed.value;
  if (!isRecord(json)) {
    return { errors: [{ file: relPath, reason: 'wrong-type', message: 'lockfile is not a JSON object' }] };
  }
  const version = json.lockfileVersion;
  const usePackages = (version === 2 || version === 3) && isRecord(json.packages);
  const keysOf = usePackages ? PACKAGES_KEYS : version === 1 || version === 2 ? TREE_KEYS : ROOT_KEYS;
  const lines = indexKeyLines(text, keysOf);
  if (typeof version !== 'number' || !SUPPORTED_VERSIONS.has(version)) {
    return { errors: [unsupportedVersion({ file: relPath, lines }, ['lockfileVersion'], shownValue(version))] };
  }
  const ctx: Context = { file: relPath, lines, packages: [], errors: [] };
  if (usePackages) readPackagesMap(ctx, json.packages as JsonObject);
  else if (isRecord(json.dependencies)) readTree(ctx, json.dependencies, ['dependencies'], '');
  else if (version === 3 || json.dependencies !== undefined) {
    const field = version === 3 ? 'packages' : 'dependencies';
    ctx.errors.push(entryError(ctx, [field], 'wrong-type', `${field} is not an object`));
  }
  const lockfile: Lockfile = { path: relPath, format: 'npm', lockfileVersion: version, packages: ctx.packages };
  return { lockfile, errors: ctx.errors };
}

/** The name a `node_modules/…` key installs under, or undefined for folders outside node_modules. */
function installedName(key: string): string | undefined {
  const nested = key.lastIndexOf('/node_modules/');
  const start = nested !== -1 ? nested + 14 : key.startsWith('node_modules/') ? 13 : -1;
  if (start === -1) return undefined;
  const name = key.slice(start);
  const slash = name.indexOf('/');
  const shaped = slash === -1 ? !name.startsWith('@') : name.startsWith('@') && name.indexOf('/', slash + 1) === -1;
  return shaped ? name : undefined;
}

/** v2/v3: a flat map keyed by install path. */
function readPackagesMap(ctx: Context, packages: JsonObject): void {
  for (const key of Object.keys(packages)) {
    // The root entry is the project itself, read from package.json instead.
    if (key === '') continue;
    const entry = packages[key];
    const path = ['packages', key];
    if (!isRecord(entry)) {
      ctx.errors.push(entryError(ctx, path, 'invalid-entry', 'entry is not an object'));
      continue;
    }
    const keyName = installedName(key);
    const link = entry.link === true;
    const local = link || keyName === undefined;
    const name = typeof entry.name === 'string' ? entry.name : (keyName ?? key.slice(key.lastIndexOf('/') + 1));
    let version = entry.version;
    // A link entry has no version of its own; its target folder entry has one.
    if (link && version === undefined) {
      const target = typeof entry.resolved === 'string' ? packages[entry.resolved] : undefined;
      version = isRecord(target) && typeof target.version === 'string' ? target.version : '';
    }
    if (typeof version !== 'string') {
      ctx.errors.push(entryError(ctx, path, 'invalid-entry', 'entry has no version string'));
      continue;
    }
    const resolved = typeof entry.resolved === 'string' ? entry.resolved : undefined;
    const pkg = lockedPackage(ctx, path, key, name, version, entry, resolved);
    if (keyName !== undefined && keyName !== name) pkg.alias = keyName;
    if (local) {
      pkg.local = true;
      pkg.source = 'link';
    } else {
      const source = sourceOf(name, version, resolved);
      if (source) pkg.source = source;
    }
    if (entry.inBundle === true) pkg.bundled = true;
    if (entry.devOptional === true) pkg.devOptional = true;
    ctx.packages.push(pkg);
  }
}

interface TreeLevel {
  deps: JsonObject;
  keys: string[];
  next: number;
  keyPath: string[];
  installPath: string;
}

/**
 * v1: a tree of `dependencies`, each entry possibly nesting its own, read depth first in file
 * order with a stack of its own (a hostile file may nest far deeper than the call stack).
 */
function readTree(ctx: Context, root: JsonObject, rootPath: string[], rootInstallPath: string): void {
  const levels: TreeLevel[] = [
    { deps: root, keys: Object.keys(root), next: 0, keyPath: rootPath, installPath: rootInstallPath },
  ];
  while (levels.length > 0) {
    const level = levels[levels.length - 1]!;
    if (level.next === level.keys.length) {
      levels.pop();
      continue;
    }
    const { deps, keyPath, installPath } = level;
    const key = level.keys[level.next++]!;
    const entry = deps[key];
    const path = [...keyPath, key];
    const at = `${installPath}node_modules/${key}`;
    if (!isRecord(entry)) {
      ctx.errors.push(entryError(ctx, path, 'invalid-entry', 'entry is not an object'));
      continue;
    }
    if (typeof entry.version !== 'string') {
      ctx.errors.push(entryError(ctx, path, 'invalid-entry', 'entry has no version string'));
    } else {
      let name = key;
      let version = entry.version;
      // v1 writes an alias's version as `npm:<real name>@<version>`.
      if (version.startsWith('npm:')) {
        const sep = version.lastIndexOf('@');
        if (sep > 4) {
          name = version.slice(4, sep);
          version = version.slice(sep + 1);
        }
      }
      const resolved = typeof entry.resolved === 'string' ? entry.resolved : undefined;
      const pkg = lockedPackage(ctx, path, at, name, version, entry, resolved);
      if (name !== key) pkg.alias = key;
      const source = sourceOf(name, version, resolved);
      if (source) pkg.source = source;
      if (source === 'link') pkg.local = true;
      if (entry.bundled === true) pkg.bundled = true;
      ctx.packages.push(pkg);
    }
    if (isRecord(entry.dependencies) && levels.length >= MAX_TREE_DEPTH) {
      ctx.errors.push(
        entryError(
          ctx,
          [...path, 'dependencies'],
          'too-deep',
          `dependencies nested more than ${MAX_TREE_DEPTH} deep, not read`,
        ),
      );
    } else if (isRecord(entry.dependencies)) {
      const nested = entry.dependencies;
      levels.push({
        deps: nested,
        keys: Object.keys(nested),
        next: 0,
        keyPath: [...path, 'dependencies'],
        installPath: `${at}/`,
      });
    } else if (entry.dependencies !== undefined) {
      ctx.errors.push(entryError(ctx, [...path, 'dependencies'], 'wrong-type', 'dependencies is not an object'));
    }
  }
}

function lockedPackage(
  ctx: Context,
  keyPath: string[],
  path: string,
  name: string,
  version: string,
  entry: JsonObject,
  resolved: string | undefined,
): LockedPackage {
  const pkg: LockedPackage = { name, version, path, lockfile: ctx.file };
  const line = ctx.lines.lineOf(keyPath);
  if (line !== undefined) pkg.line = line;
  if (resolved !== undefined) pkg.resolved = resolved;
  if (typeof entry.integrity === 'string') pkg.integrity = entry.integrity;
  if (entry.dev === true) pkg.dev = true;
  if (entry.optional === true) pkg.optional = true;
  return pkg;
}
