import type { LockedSource, Lockfile } from '../../model/references.js';
import type { KeyFilter } from '../json-lines.js';
import type { LockfileRead } from './reader.js';
import { indexYamlKeyLines, parseYaml } from '../yaml-lines.js';
import { addEntry, entryError, isRecord, shownValue, type ReadContext, unsupportedVersion } from './entries.js';
import { specSource, splitNameRef } from './source.js';

/** `__metadata.version` of yarn 2 (4), 3 (6) and 4 (8, 10), and those between; the entry layout has not changed. */
const SUPPORTED_VERSIONS = new Set([4, 5, 6, 7, 8, 9, 10]);

const BERRY_KEYS: KeyFilter = (p) => p.length === 0 || (p.length === 1 && p[0] === '__metadata');

interface Resolved {
  name: string;
  /** For registry packages: the version the registry has. */
  version?: string;
  source: LockedSource;
  resolved?: string;
}

/**
 * yarn.lock of yarn 2 and later (berry): YAML whose keys are descriptor lists
 * (`"a@npm:^1, a@npm:^1.2"`) and whose `resolution` locator (`a@npm:1.2.3`) names the package.
 * `checksum` is a hash of yarn's own cache archive, not the registry's integrity: it is left out.
 */
export function readYarnBerryLockfile(relPath: string, text: string): LockfileRead {
  // Every scalar a string, repeated keys overriding: how yarn itself reads the file.
  const parsed = parseYaml(relPath, text, { failsafe: true, json: true, shared: 'refuse' });
  if (parsed.error) return { errors: [parsed.error] };
  const doc = parsed.value;
  if (!isRecord(doc))
    return { errors: [{ file: relPath, reason: 'wrong-type', message: 'lockfile is not a YAML mapping' }] };
  const ctx: ReadContext = {
    file: relPath,
    lines: indexYamlKeyLines(text, BERRY_KEYS, parsed.start),
    packages: [],
    errors: [],
  };
  const meta = doc.__metadata;
  const version = isRecord(meta) && typeof meta.version === 'string' ? Number(meta.version) : NaN;
  if (!SUPPORTED_VERSIONS.has(version)) {
    const shown = isRecord(meta) ? shownValue(meta.version) : '(no __metadata)';
    return { errors: [unsupportedVersion(ctx, ['__metadata', 'version'], shown, 'lockfile version')] };
  }
  for (const key of Object.keys(doc)) {
    if (key !== '__metadata') readEntry(ctx, key, doc[key]);
  }
  const lockfile: Lockfile = { path: relPath, format: 'yarn-berry', lockfileVersion: version, packages: ctx.packages };
  return { lockfile, errors: ctx.errors };
}

function readEntry(ctx: ReadContext, key: string, entry: unknown): void {
  const at = [key];
  if (!isRecord(entry)) {
    ctx.errors.push(entryError(ctx, at, 'invalid-entry', 'entry is not a mapping'));
    return;
  }
  const locator = typeof entry.resolution === 'string' ? splitNameRef(entry.resolution) : undefined;
  if (typeof entry.version !== 'string' || entry.version === '' || !locator) {
    const why =
      typeof entry.version !== 'string' || entry.version === ''
        ? 'entry has no version string'
        : 'entry has no resolution';
    ctx.errors.push(entryError(ctx, at, 'invalid-entry', why));
    return;
  }
  const resolved = resolveLocator(locator.name, locator.ref, true);
  // An `npm:` alias is keyed by the name it installs as; merged keys may also hold the real one.
  const idents = key.split(',').map((d) => splitNameRef(d.trim())?.name);
  const alias = idents.includes(resolved.name) ? undefined : idents[0];
  addEntry(ctx, at, {
    name: resolved.name,
    version: resolved.version ?? entry.version,
    source: resolved.source,
    resolved: resolved.resolved,
    alias,
  });
}

/**
 * What a locator reference points at. `patch:` wraps the locator of the package it patches
 * (URL-encoded, before `#`): that package is what to check. `::key=value` bindings
 * (`::locator=app%40workspace%3A.`) only say which workspace asked.
 */
function resolveLocator(name: string, ref: string, unwrap: boolean): Resolved {
  if (ref.startsWith('npm:')) return { name, version: ref.slice(4), source: 'registry' };
  if (unwrap && ref.startsWith('patch:')) {
    const hash = ref.indexOf('#');
    const inner = splitNameRef(decodeLocator(ref.slice(6, hash === -1 ? undefined : hash)));
    if (inner) return resolveLocator(inner.name, inner.ref, false);
  }
  const bindings = ref.indexOf('::');
  const bare = bindings === -1 ? ref : ref.slice(0, bindings);
  // Git references pin a commit with a `#commit=` (or head/tag/semver) selector.
  const source = /#(commit|head|tag|semver)=/.test(bare) ? 'git' : (specSource(bare) ?? 'remote');
  return { name, source, resolved: bare };
}

/** A malformed escape (`%E0%A4%A`) leaves the locator as written: it then names no package. */
function decodeLocator(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
