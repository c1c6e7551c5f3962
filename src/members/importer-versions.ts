/**
 * Which version of each package a file's imports get: the one its own importer installs. A
 * workspace or a nested project (its own package.json, often its own lockfile) may install
 * another version than the rest of the project, and its members are checked against that one.
 * Files are grouped into variants by the versions they see; each variant gets its own
 * declaration closure and programs, so no file is checked against a version it does not install.
 */
import { componentKind } from '../scan/component-scripts.js';
import path from 'node:path';
import { resolveVersion } from '../plan/resolve-version.js';
import type { Lookup } from '../model/facts.js';
import type { Location } from '../model/finding.js';
import type { DeclaredDependency, ImportSite, Lockfile, Manifest, ProjectScan } from '../model/references.js';
import type { PackageRequest } from '../model/request.js';

export interface Variant {
  /** '' for the files that see the run-wide versions; else what differs, for the cache key. */
  key: string;
  /** The files of this variant (absolute, sorted). */
  files: string[];
  /** Imported package → where its files import it. */
  sites: Map<string, Location[]>;
  /** Imported package → the version these files' importer installs. */
  imported: Map<string, string>;
  /** `@types` versions these files' importer installs. */
  projectTypes: Map<string, string>;
  /** Versions the governing lockfile holds, by name (a nested project's own lockfile first). */
  locked: Map<string, string[]>;
  /** Files (relative) of this variant that import Node's own modules. */
  builtinFiles: Set<string>;
  /**
   * Imported names that a package.json installs under another name (`"my-x": "npm:x@^1"`):
   * installed name → the registry package. npm puts x's files in node_modules/my-x.
   */
  aliases: Map<string, string>;
}

/** The version of `name` the project would install: locked, else the manifest range's pick, else latest. */
function versionFor(name: string, lookup: Lookup, requests: PackageRequest[]): string | undefined {
  if (lookup.state !== 'found') return undefined;
  const mine = requests.filter((r) => r.name === name);
  const order = [
    ...mine.filter((r) => r.locked !== undefined && r.source === 'manifest'),
    ...mine.filter((r) => r.source === 'manifest'),
    ...mine,
  ];
  for (const request of order.length ? order : [{ name, source: 'import' as const, locations: [] }]) {
    const resolution = resolveVersion(lookup.facts, request);
    if (resolution.ok) return resolution.version;
  }
  return undefined;
}

function lockedVersions(lockfile: Lockfile | undefined, into = new Map<string, string[]>()): Map<string, string[]> {
  for (const entry of lockfile?.packages ?? []) {
    if (entry.local || (entry.source && entry.source !== 'registry')) continue;
    const list = into.get(entry.name) ?? [];
    list.push(entry.version);
    into.set(entry.name, list);
  }
  return into;
}

/** The range an `npm:name@range/sub` specifier (Deno, Bun) asks for itself. */
function npmSpecifierRange(specifier: string): string | undefined {
  if (!specifier.startsWith('npm:')) return undefined;
  const body = specifier.slice(4).replace(/^\//, '');
  const at = body.indexOf('@', body.startsWith('@') ? 1 : 0);
  if (at < 0) return undefined;
  const rest = body.slice(at + 1);
  const slash = rest.indexOf('/');
  return (slash < 0 ? rest : rest.slice(0, slash)) || undefined;
}

export function planVariants(
  scan: ProjectScan,
  requests: PackageRequest[],
  lookups: Map<string, Lookup>,
  builtinSites: readonly ImportSite[] = [],
): Variant[] {
  const found = (name: string): Lookup | undefined =>
    lookups.get(name)?.state === 'found' ? lookups.get(name) : undefined;
  const manifestsByDepth = [...scan.manifests].sort((a, b) => b.dir.length - a.dir.length);
  const scopeOf = (dir: string): Manifest[] =>
    manifestsByDepth.filter((m) => m.dir === '' || dir === m.dir || dir.startsWith(`${m.dir}/`));
  /** The nearest declaration of `name` in `scope` that installs it (peers install nothing). */
  const declarationOf = (
    scope: Manifest[],
    name: string,
  ): { manifest: Manifest; dep: DeclaredDependency } | undefined => {
    for (const manifest of scope) {
      const dep = manifest.dependencies.find(
        (d) =>
          d.name === name &&
          d.field !== 'peerDependencies' &&
          (d.kind === 'registry' || d.kind === 'alias') &&
          d.registryName !== undefined,
      );
      if (dep) return { manifest, dep };
    }
    return undefined;
  };
  /** The registry package an imported name is in these files' scope: itself, or what an `npm:` alias installs under it. */
  const registryNameOf = (scope: Manifest[], name: string): string => {
    const declared = declarationOf(scope, name);
    return declared?.dep.kind === 'alias' ? declared.dep.registryName! : name;
  };
  const rootScope = scopeOf('');
  // The request collectRequests made for a declaration (it carries the lockfile's pin).
  const byDeclaration = new Map<string, PackageRequest>();
  for (const r of requests) {
    const where = r.locations[0];
    if (r.source === 'manifest' && where?.field) byDeclaration.set(`${where.file}\0${where.field}`, r);
  }
  /** The version `name` gets from the nearest manifest in `scope` that installs it: of the package an alias names, for an alias. */
  const declaredVersion = (scope: Manifest[], name: string): string | undefined => {
    const declared = declarationOf(scope, name);
    if (!declared) return undefined;
    const { manifest: m, dep } = declared;
    const registryName = dep.registryName!;
    const lookup = found(registryName);
    if (!lookup || lookup.state !== 'found') return undefined;
    const request = byDeclaration.get(`${m.path}\0${dep.field}.${dep.name}`) ?? {
      name: registryName,
      source: 'manifest' as const,
      locations: [],
      ...(dep.range ? { wanted: dep.range } : {}),
    };
    const resolution = resolveVersion(lookup.facts, request);
    return resolution.ok ? resolution.version : undefined;
  };
  // Run-wide versions: what files no manifest of their own speaks for get.
  const globalVersion = new Map<string, string | undefined>();
  const global = (name: string): string | undefined => {
    if (!globalVersion.has(name)) {
      // The root manifest's alias is the run-wide version of the name it installs.
      const root = declarationOf(rootScope, name);
      const lookup = found(name);
      globalVersion.set(
        name,
        root?.dep.kind === 'alias' ? declaredVersion(rootScope, name) : lookup && versionFor(name, lookup, requests),
      );
    }
    return globalVersion.get(name);
  };
  const globalTypes = new Map<string, string>();
  for (const name of new Set(requests.map((r) => r.name).filter((n) => n.startsWith('@types/')))) {
    const version = global(name);
    if (version) globalTypes.set(name, version);
  }
  const rootLocked = lockedVersions(scan.lockfile);

  const siteVersion = (scope: Manifest[], site: ImportSite): string | undefined => {
    const range = npmSpecifierRange(site.target ?? site.specifier);
    if (range) {
      const lookup = found(site.packageName);
      const resolution =
        lookup?.state === 'found'
          ? resolveVersion(lookup.facts, { name: site.packageName, source: 'manifest', locations: [], wanted: range })
          : undefined;
      if (resolution?.ok) return resolution.version;
    }
    return declaredVersion(scope, site.packageName) ?? global(site.packageName);
  };

  // Per importer (the file's nearest package.json directory): the versions its files see.
  const dirs = scan.manifests.map((m) => m.dir).sort((a, b) => b.length - a.length);
  const importerOf = (file: string): string => dirs.find((d) => d === '' || file.startsWith(`${d}/`)) ?? '';
  const typesByImporter = new Map<string, Map<string, string>>();
  const typesOf = (importer: string, scope: Manifest[]): Map<string, string> => {
    let types = typesByImporter.get(importer);
    if (!types) {
      types = new Map(globalTypes);
      // The nearest declaration of each @types package wins (the scope is nearest first).
      for (const m of [...scope].reverse()) {
        for (const d of m.dependencies) {
          if (!d.name.startsWith('@types/') || d.field === 'peerDependencies') continue;
          const v = declaredVersion([m], d.name);
          if (v) types.set(d.name, v);
        }
      }
      typesByImporter.set(importer, types);
    }
    return types;
  };
  // First the version of every site, grouped by importer.
  const byImporter = new Map<string, { site: ImportSite; version: string }[]>();
  for (const site of scan.imports) {
    if (!found(site.packageName) && !found(registryNameOf(scopeOf(importerOf(site.file)), site.packageName))) continue;
    // A component's script blocks are not a module TypeScript reads on its own: not checked.
    if (componentKind(site.file)) continue;
    const importer = importerOf(site.file);
    const version = siteVersion(scopeOf(importer), site);
    if (!version) continue;
    const list = byImporter.get(importer) ?? [];
    list.push({ site, version });
    byImporter.set(importer, list);
  }
  const variants = new Map<string, Variant>();
  for (const [importer, sites] of [...byImporter].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const scope = scopeOf(importer);
    const types = typesOf(importer, scope);
    const typeDeviations = [...types]
      .filter(([name, v]) => globalTypes.get(name) !== v)
      .map(([name, v]) => `${name}@${v}`);
    const deviating = (list: typeof sites): string[] => [
      ...new Set(
        list
          .filter(({ site, version }) => version !== global(site.packageName))
          .map(({ site, version }) => `${site.packageName}@${version}`),
      ),
    ];
    // One variant for the importer, unless its files disagree among themselves (`npm:x@1` in one
    // file, `x` in another): then one per file.
    const all = deviating(sites);
    const versionsOf = new Map<string, Set<string>>();
    for (const { site, version } of sites)
      versionsOf.set(site.packageName, (versionsOf.get(site.packageName) ?? new Set()).add(version));
    const perFile = [...versionsOf.values()].some((v) => v.size > 1);
    const byFile = new Map<string, typeof sites>();
    if (perFile) for (const s of sites) byFile.set(s.site.file, [...(byFile.get(s.site.file) ?? []), s]);
    const groups = perFile ? [...byFile.values()] : [sites];
    // A nested project's own lockfile pins its dependencies' dependencies too.
    const ownLock = scope.find((m) => m.standalone && m.lockfile)?.lockfile;
    for (const group of groups) {
      const deviations = [...(perFile ? deviating(group) : all), ...typeDeviations].sort();
      const key = deviations.length ? JSON.stringify([...deviations, ownLock?.path ?? '']) : '';
      let variant = variants.get(key);
      if (!variant) {
        const locked = ownLock && key ? new Map([...rootLocked, ...lockedVersions(ownLock)]) : rootLocked;
        variant = {
          key,
          files: [],
          sites: new Map(),
          imported: new Map(),
          projectTypes: key ? types : globalTypes,
          locked,
          builtinFiles: new Set(),
          aliases: new Map(),
        };
        variants.set(key, variant);
      }
      for (const { site, version } of group) {
        variant.files.push(path.join(scan.root, site.file));
        const list = variant.sites.get(site.packageName) ?? [];
        list.push({ file: site.file, line: site.line, column: site.column });
        variant.sites.set(site.packageName, list);
        if (!variant.imported.has(site.packageName)) variant.imported.set(site.packageName, version);
        const registryName = registryNameOf(scope, site.packageName);
        if (registryName !== site.packageName) variant.aliases.set(site.packageName, registryName);
      }
    }
  }
  // A file that imports Node's modules joins its own variant, or the run-wide one when it imports
  // no registry package (its @types/node is the run-wide one).
  const variantOf = new Map<string, Variant>();
  for (const v of variants.values()) for (const file of v.files) if (!variantOf.has(file)) variantOf.set(file, v);
  for (const site of builtinSites) {
    if (componentKind(site.file)) continue;
    const abs = path.join(scan.root, site.file);
    let variant = variantOf.get(abs);
    if (!variant) {
      variant = variants.get('');
      if (!variant) {
        variant = {
          key: '',
          files: [],
          sites: new Map(),
          imported: new Map(),
          projectTypes: globalTypes,
          locked: rootLocked,
          builtinFiles: new Set(),
          aliases: new Map(),
        };
        variants.set('', variant);
      }
      variant.files.push(abs);
      variantOf.set(abs, variant);
    }
    variant.builtinFiles.add(site.file);
  }
  for (const v of variants.values()) v.files = [...new Set(v.files)].sort();
  // The run-wide variant first, the others in key order: the same project always gives the same plan.
  return [...variants.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
