import type { LockedSource, Lockfile } from '../../model/references.js';
import { isRecord, type JsonObject } from '../../model/json.js';
import { indexKeyLines, parseJson, type KeyFilter } from '../json-lines.js';
import { jsoncToJson } from '../jsonc.js';
import { addEntry, entryError, lastName, shownValue, type ReadContext, unsupportedVersion } from './entries.js';
import type { LockfileRead } from './reader.js';
import { isTarballPath, specSource, splitNameRef } from './source.js';

/** bun.lock versions seen: 0 (bun 1.1.39), 1 (bun 1.2), 2 (bun 1.3 and later); same entry layout. */
const SUPPORTED_VERSIONS = new Set([0, 1, 2]);
const BUN_KEYS: KeyFilter = (p) => p.length === 0 || (p.length === 1 && p[0] === 'packages');
const INTEGRITY = /^sha(1|256|384|512)-/;

const BUN_BINARY_MESSAGE =
  "bun.lockb is bun's binary lockfile, which cannot be read; run `bun install --save-text-lockfile` " +
  '(bun 1.1.39 or later) or upgrade to bun 1.2 or later to get a text bun.lock';

/**
 * bun.lock: JSONC whose `packages` map an install path (`parent/child` when nested) to
 * `[name@ref, …]`: for registry packages `[name@version, registry tarball or "", info, integrity]`,
 * for others the resolution comes first (`workspace:`, `link:`, `file:`, a URL, `github:`, `git+`).
 */
export function readBunLockfile(relPath: string, text: string): LockfileRead {
  if (relPath.endsWith('.lockb'))
    return { errors: [{ file: relPath, reason: 'unsupported-version', message: BUN_BINARY_MESSAGE }] };
  const json = jsoncToJson(text);
  const parsed = parseJson(relPath, json);
  if (parsed.error) return { errors: [parsed.error] };
  const doc = parsed.value;
  if (!isRecord(doc))
    return { errors: [{ file: relPath, reason: 'wrong-type', message: 'lockfile is not a JSON object' }] };
  const ctx: ReadContext = { file: relPath, lines: indexKeyLines(json, BUN_KEYS), packages: [], errors: [] };
  const version = doc.lockfileVersion;
  if (typeof version !== 'number' || !SUPPORTED_VERSIONS.has(version)) {
    return { errors: [unsupportedVersion(ctx, ['lockfileVersion'], shownValue(version))] };
  }
  const packages = doc.packages ?? {};
  if (!isRecord(packages)) ctx.errors.push(entryError(ctx, ['packages'], 'wrong-type', 'packages is not an object'));
  else {
    const workspaces = isRecord(doc.workspaces) ? doc.workspaces : {};
    for (const key of Object.keys(packages)) readEntry(ctx, key, packages[key], workspaces);
  }
  const lockfile: Lockfile = { path: relPath, format: 'bun', lockfileVersion: version, packages: ctx.packages };
  return { lockfile, errors: ctx.errors };
}

function readEntry(ctx: ReadContext, key: string, entry: unknown, workspaces: JsonObject): void {
  const at = ['packages', key];
  const id = Array.isArray(entry) && typeof entry[0] === 'string' ? splitNameRef(entry[0]) : undefined;
  if (!Array.isArray(entry) || !id || id.ref === '') {
    const why = Array.isArray(entry) ? 'entry has no name@version' : 'entry is not an array';
    ctx.errors.push(entryError(ctx, at, 'invalid-entry', why));
    return;
  }
  const fields: unknown[] = entry;
  const info = fields.find(isRecord);
  const integrity = fields.find((v, i): v is string => i > 0 && typeof v === 'string' && INTEGRITY.test(v));
  const { source, version, resolved } = resolve(id.ref, fields[1], workspaces);
  addEntry(ctx, at, {
    name: id.name,
    version,
    source,
    resolved,
    integrity,
    alias: lastName(key),
    bundled: info?.bundled === true,
  });
}

/**
 * Registry packages are `name@version`, the second field their tarball URL when the registry is
 * not the default one. A workspace's version is in `workspaces`, keyed by its folder.
 */
function resolve(
  ref: string,
  second: unknown,
  workspaces: JsonObject,
): { source: LockedSource; version: string; resolved?: string } {
  const first = ref.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    return typeof second === 'string' && second !== ''
      ? { source: 'registry', version: ref, resolved: second }
      : { source: 'registry', version: ref };
  }
  if (ref.startsWith('workspace:')) {
    const workspace = workspaces[ref.slice(10)];
    const version = isRecord(workspace) && typeof workspace.version === 'string' ? workspace.version : '';
    return { source: 'link', version, resolved: ref };
  }
  if (ref.startsWith('root:')) return { source: 'link', version: '', resolved: ref };
  // Local tarballs are written as their bare path; anything unknown is flagged, never sent.
  const source = specSource(ref) ?? (isTarballPath(ref) ? 'file' : 'remote');
  return { source, version: ref, resolved: ref };
}
