import type { Lockfile } from '../../model/references.js';
import type { KeyFilter } from '../json-lines.js';
import type { LockfileRead } from './reader.js';
import { indexYamlKeyLines, parseYaml } from '../yaml-lines.js';
import {
  addEntry,
  entryError,
  isRecord,
  shownValue,
  type Fields,
  type ReadContext,
  unsupportedVersion,
} from './entries.js';
import { parsePnpmKey, pnpmSource, withoutPeers, type PnpmLayout } from './pnpm-keys.js';
import { specSource } from './source.js';

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;
const SECTIONS = new Set<string>(['packages', 'snapshots', 'importers', ...DEP_FIELDS]);

/** Lines wanted: top-level keys, entries of the sections, and importers' dependencies. */
const PNPM_KEYS: KeyFilter = (p) =>
  p.length === 0 ||
  (p.length === 1 && SECTIONS.has(p[0]!)) ||
  (p[0] === 'importers' && (p.length === 2 || p.length === 3));

/** 5.x was written as a number (`5.4`), later versions as strings (`'9.0'`). */
function layoutOf(version: unknown): PnpmLayout | undefined {
  const major =
    typeof version === 'number' || (typeof version === 'string' && version !== '') ? Math.floor(Number(version)) : NaN;
  return major === 5 || major === 6 || major === 9 ? major : undefined;
}

/**
 * pnpm-lock.yaml, lockfileVersion 5.x, 6.x and 9.x. `packages` lists each package once by its
 * registry name (an `npm:` alias appears under the real name); `link:` dependencies of the
 * importers (workspace packages, linked folders) are added as local entries. Catalogs only
 * repeat versions that `packages` holds.
 */
export function readPnpmLockfile(relPath: string, text: string): LockfileRead {
  const parsed = parseYaml(relPath, text, { shared: 'refuse' });
  if (parsed.error) return { errors: [parsed.error] };
  const doc = parsed.value;
  if (!isRecord(doc))
    return { errors: [{ file: relPath, reason: 'wrong-type', message: 'lockfile is not a YAML mapping' }] };
  const ctx: ReadContext = {
    file: relPath,
    lines: indexYamlKeyLines(text, PNPM_KEYS, parsed.start),
    packages: [],
    errors: [],
  };
  const layout = layoutOf(doc.lockfileVersion);
  if (!layout) {
    return { errors: [unsupportedVersion(ctx, ['lockfileVersion'], shownValue(doc.lockfileVersion))] };
  }
  // 9.x moved the optional flag from packages to their snapshots (one per peer set).
  const optional = layout === 9 ? optionalPackages(ctx, doc.snapshots) : undefined;
  readPackages(ctx, doc.packages, layout, optional);
  const importers: Importers = {};
  if (doc.importers !== undefined) readImporters(ctx, doc.importers, importers);
  // Single-project 5.x and 6.x files keep the root's dependencies at the top level.
  else readLinks(ctx, doc, [], importers);
  const lockfile: Lockfile = {
    path: relPath,
    format: 'pnpm',
    lockfileVersion: String(doc.lockfileVersion),
    packages: ctx.packages,
    importers,
  };
  return { lockfile, errors: ctx.errors };
}

function readPackages(
  ctx: ReadContext,
  packages: unknown,
  layout: PnpmLayout,
  optional: Set<string> | undefined,
): void {
  // A project without dependencies has no packages section.
  if (packages === undefined || packages === null) return;
  if (!isRecord(packages)) {
    ctx.errors.push(entryError(ctx, ['packages'], 'wrong-type', 'packages is not a mapping'));
    return;
  }
  for (const key of Object.keys(packages)) {
    const entry = packages[key];
    const at = ['packages', key];
    if (!isRecord(entry)) {
      ctx.errors.push(entryError(ctx, at, 'invalid-entry', 'entry is not a mapping'));
      continue;
    }
    const id = parsePnpmKey(key, layout);
    const name = typeof entry.name === 'string' ? entry.name : id.name;
    // Registry keys hold name and version; other entries carry their own, or are a spec (`file:…`).
    const version =
      entry.version !== undefined ? entry.version : id.name !== undefined ? id.ref : specSource(key) ? key : undefined;
    if (!name || typeof version !== 'string' || version === '') {
      const missing = !name ? 'package name' : 'version string';
      ctx.errors.push(entryError(ctx, at, 'invalid-entry', `entry has no ${missing}`));
      continue;
    }
    const resolution = entry.resolution ?? {};
    if (!isRecord(resolution)) {
      ctx.errors.push(entryError(ctx, [...at, 'resolution'], 'wrong-type', 'resolution is not a mapping'));
      continue;
    }
    const { source, resolved } = pnpmSource(id, resolution);
    addEntry(ctx, at, {
      name,
      version,
      source,
      resolved,
      integrity: typeof resolution.integrity === 'string' ? resolution.integrity : undefined,
      dev: entry.dev === true,
      optional: entry.optional === true || optional?.has(key) === true,
    });
  }
}

/** Packages all of whose snapshots are optional. */
function optionalPackages(ctx: ReadContext, snapshots: unknown): Set<string> {
  const all = new Map<string, boolean>();
  if (snapshots === undefined || snapshots === null) return new Set();
  if (!isRecord(snapshots)) {
    ctx.errors.push(entryError(ctx, ['snapshots'], 'wrong-type', 'snapshots is not a mapping'));
    return new Set();
  }
  for (const key of Object.keys(snapshots)) {
    const snapshot = snapshots[key];
    if (!isRecord(snapshot))
      ctx.errors.push(entryError(ctx, ['snapshots', key], 'invalid-entry', 'snapshot is not a mapping'));
    const base = withoutPeers(key);
    all.set(base, (all.get(base) ?? true) && isRecord(snapshot) && snapshot.optional === true);
  }
  return new Set([...all].filter(([, optional]) => optional).map(([key]) => key));
}

type Importers = NonNullable<Lockfile['importers']>;

/**
 * The version an importer's dependency is locked at: `1.2.3`, `1.2.3(peer@1)` (6, 9),
 * `1.2.3_peer@1` (5), `chalk@4.1.2` or `/chalk/4.1.2` for an alias; references (`link:`) as written.
 */
function lockedRef(version: string): string {
  if (/^(link|file|workspace):/.test(version)) return version;
  const bare = withoutPeers(version);
  const match = /(?:^|[@/])(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)(?:_.*)?$/.exec(bare);
  return match ? match[1]! : bare;
}

function readImporters(ctx: ReadContext, importers: unknown, into: Importers): void {
  if (!isRecord(importers)) {
    ctx.errors.push(entryError(ctx, ['importers'], 'wrong-type', 'importers is not a mapping'));
    return;
  }
  for (const dir of Object.keys(importers)) {
    const importer = importers[dir];
    if (isRecord(importer)) readLinks(ctx, importer, ['importers', dir], into);
    else ctx.errors.push(entryError(ctx, ['importers', dir], 'invalid-entry', 'importer is not a mapping'));
  }
}

/** An importer's `link:` dependencies: workspace packages and linked folders, never fetched. */
function readLinks(ctx: ReadContext, importer: Fields, at: string[], into: Importers): void {
  const dirKey = at.length === 2 && at[1] !== '.' ? at[1]! : '';
  const declared = (into[dirKey] ??= {});
  for (const field of DEP_FIELDS) {
    const deps = importer[field];
    if (deps === undefined || deps === null) continue;
    if (!isRecord(deps)) {
      ctx.errors.push(entryError(ctx, [...at, field], 'wrong-type', `${field} is not a mapping`));
      continue;
    }
    for (const name of Object.keys(deps)) {
      // 5.x writes `name: 1.0.0`; 6.x and 9.x `name: { specifier, version }`.
      const dep = deps[name];
      const version = isRecord(dep) ? dep.version : dep;
      const keyPath = [...at, field, name];
      if (typeof version !== 'string') {
        ctx.errors.push(entryError(ctx, keyPath, 'invalid-entry', 'dependency has no version string'));
        continue;
      }
      declared[name] = lockedRef(version);
      if (!version.startsWith('link:')) continue;
      // No one key names the link: its path is where pnpm puts it, as npm's reader has it.
      const dir = at.length === 2 && at[1] !== '.' ? `${at[1]}/` : '';
      const fields = {
        path: `${dir}node_modules/${name}`,
        name,
        version: '',
        source: 'link' as const,
        resolved: version,
      };
      addEntry(ctx, keyPath, {
        ...fields,
        dev: field === 'devDependencies',
        optional: field === 'optionalDependencies',
      });
    }
  }
}
