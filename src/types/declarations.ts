/**
 * Type declarations of the packages a project imports, at the versions it would install: the
 * package's own, else `@types/<name>`, plus every package those declarations import (found by
 * pre-processing them, so the compiler host never waits on the network). Read from tarballs in
 * memory and cached on disk by registry, name and version (published versions never change).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import semver from 'semver';
import { resolveVersion } from '../checks/resolve-version.js';
import type { Lookup, PackageFacts } from '../model/facts.js';
import type { RegistryClient } from '../registry/client.js';
import type * as TypeScript from 'typescript';
import { packageNameOf } from '../scan/specifiers.js';
import { readTarballFiles } from './tarball-files.js';

// The compiler is needed only to pre-process declarations fetched in this run; cached packages
// carry their references, so a run whose member results are cached never loads it.
let tsModule: typeof TypeScript | undefined;
const loadTs = (): typeof TypeScript => (tsModule ??= createRequire(import.meta.url)('typescript') as typeof TypeScript);

export interface LoadedPackage {
  name: string;
  version: string;
  /** Declarations and package.json files, by path in the package. */
  files: Map<string, string>;
  /** Every file path of the package (JavaScript included, contents not kept). */
  paths: string[];
  /** Bare package names its declarations import or reference, once computed. */
  refs?: string[];
}

export type TypesSource = { kind: 'own' | 'types-package'; package: LoadedPackage } | { kind: 'none'; reason: string };

export interface DeclarationSet {
  /** By package name; one version of each (the first the closure needed). */
  packages: Map<string, LoadedPackage>;
  /** For each imported package: where its types come from. */
  sources: Map<string, TypesSource>;
  /** Packages whose declarations could not be had, with why. */
  unknown: Map<string, string>;
}

const FORMAT = 'decl-v3';
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** The closure stops here: a declaration graph this large is not an assistant's snippet. */
const MAX_PACKAGES = 300;

/** `@types/` name for a package, as DefinitelyTyped mangles scoped names. */
export const typesPackageName = (name: string): string => `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;

/**
 * Whether a package's main entry has its own declarations (types/typings, typesVersions, a
 * `types` condition or a .d.ts beside the file `exports["."]` or `main` points at, index.d.ts).
 * Declarations for a subpath only (`yargs/browser`) leave the main entry to @types, as they do
 * for TypeScript.
 */
export function hasOwnTypes(files: Map<string, string>): boolean {
  if (![...files.keys()].some((f) => /\.d\.[mc]?ts$/.test(f))) return false;
  let manifest: Record<string, unknown> = {};
  try {
    manifest = JSON.parse(files.get('package.json') ?? '{}') as Record<string, unknown>;
  } catch {
    // A broken package.json: only the conventional file names can tell.
  }
  if (typeof manifest.types === 'string' || typeof manifest.typings === 'string' || manifest.typesVersions) return true;
  const exports = manifest.exports;
  const root =
    exports && typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'))
      ? (exports as Record<string, unknown>)['.']
      : exports;
  if (JSON.stringify(root ?? null).includes('"types"')) return true;
  const beside = (target: string): boolean => {
    const base = target.replace(/^\.\//, '').replace(/\.[cm]?js$/, '');
    return files.has(`${base}.d.ts`) || files.has(`${base}.d.mts`) || files.has(`${base}.d.cts`) || files.has(`${base}/index.d.ts`);
  };
  const targets = JSON.stringify(root ?? null).match(/"\.\/[^"]+"/g)?.map((t) => t.slice(1, -1)) ?? [];
  if (targets.some(beside)) return true;
  const main = typeof manifest.main === 'string' ? manifest.main : 'index.js';
  return beside(main) || files.has('index.d.ts');
}

/** The @types version for a package version: same major.minor, else same major, else latest. */
export function pickTypesVersion(facts: PackageFacts, forVersion: string | undefined): string | undefined {
  const versions = Object.keys(facts.versions).filter((v) => semver.valid(v) && !semver.prerelease(v));
  const v = forVersion ? semver.parse(forVersion) : null;
  if (v) {
    const best = (match: (x: semver.SemVer) => boolean) => semver.maxSatisfying(versions.filter((x) => match(semver.parse(x)!)), '*');
    const found = best((x) => x.major === v.major && x.minor === v.minor) ?? best((x) => x.major === v.major);
    if (found) return found;
  }
  return facts.distTags.latest ?? semver.maxSatisfying(versions, '*') ?? undefined;
}

export class DeclarationLoader {
  readonly #client: RegistryClient;
  readonly #cacheDir: string | undefined;
  readonly #loaded = new Map<string, Promise<LoadedPackage | string>>();
  readonly #lookups = new Map<string, Promise<Lookup>>();

  readonly #private: (name: string) => boolean;

  /** `isPrivate`: names no registry may be asked about (the configuration's internal scopes). */
  constructor(client: RegistryClient, cacheDir?: string, isPrivate: (name: string) => boolean = () => false) {
    this.#client = client;
    this.#cacheDir = cacheDir;
    this.#private = isPrivate;
  }

  /** Whether `name` may be looked up at all. */
  mayAsk(name: string): boolean {
    return !this.#private(name);
  }

  /**
   * Whether `@types/<name>` may be looked up. A package routed to its own registry
   * (`@corp:registry`) would otherwise have its private name sent, mangled, to the registry
   * @types come from: that is allowed only when it is the package's own registry. Names of the
   * default registry are public already.
   */
  mayAskTypesFor(name: string): boolean {
    const typesName = typesPackageName(name);
    if (!this.mayAsk(name) || !this.mayAsk(typesName)) return false;
    const home = this.#client.registryFor(name);
    return home === this.#client.registryFor('depverify-probe') || home === this.#client.registryFor(typesName);
  }

  lookup(name: string): Promise<Lookup> {
    let pending = this.#lookups.get(name);
    if (!pending) this.#lookups.set(name, (pending = this.#client.lookup(name)));
    return pending;
  }

  /** The version `range` resolves to (latest without one), or why not. */
  async pick(name: string, range: string | undefined): Promise<string | { reason: string }> {
    const lookup = await this.lookup(name);
    if (lookup.state !== 'found') return { reason: lookup.state === 'unknown' ? lookup.reason : `${name} does not exist` };
    const resolution = resolveVersion(lookup.facts, { name, source: 'manifest', locations: [], ...(range ? { wanted: range } : {}) });
    return resolution.ok ? resolution.version : { reason: `no version of ${name} matches ${range}` };
  }

  /** Declaration files and package.json of `name@version`, or why they could not be had. */
  load(name: string, version: string): Promise<LoadedPackage | string> {
    const key = `${name}@${version}`;
    let pending = this.#loaded.get(key);
    if (!pending) this.#loaded.set(key, (pending = this.#load(name, version)));
    return pending;
  }

  async #load(name: string, version: string): Promise<LoadedPackage | string> {
    const file = this.#cacheDir ? this.#cacheFile(name, version) : undefined;
    if (file) {
      try {
        const stored = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, string>; paths: string[]; refs: string[] };
        // A damaged entry (any field of the wrong shape) is fetched again rather than trusted.
        const strings = (xs: unknown): boolean => Array.isArray(xs) && xs.every((x) => typeof x === 'string');
        const files = stored.files as unknown;
        const filesOk = typeof files === 'object' && files !== null && !Array.isArray(files) && Object.values(files).every((t) => typeof t === 'string');
        if (filesOk && strings(stored.paths) && strings(stored.refs)) {
          return { name, version, files: new Map(Object.entries(stored.files)), paths: stored.paths, refs: stored.refs };
        }
      } catch {
        // Not cached yet, or damaged: fetched again.
      }
    }
    if (!this.#client.tarball) return 'this registry client cannot fetch tarballs';
    const answer = await this.#client.tarball(name, version);
    if (answer.state !== 'ok') return answer.reason;
    const read = await readTarballFiles(answer.data);
    if (!read.ok) return `tarball of ${name}@${version}: ${read.reason}`;
    const loaded: LoadedPackage = { name, version, files: read.files, paths: read.paths };
    loaded.refs = [...referencedPackages(loaded)];
    if (file) {
      const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(temp, JSON.stringify({ integrity: answer.integrity, files: Object.fromEntries(read.files), paths: read.paths, refs: loaded.refs }));
        await rename(temp, file);
      } catch {
        await rm(temp, { force: true });
      }
    }
    return loaded;
  }

  #cacheFile(name: string, version: string): string {
    const registry = createHash('sha256').update(this.#client.registryFor(name)).digest('hex').slice(0, 16);
    return path.join(this.#cacheDir!, FORMAT, registry, `${encodeURIComponent(name)}@${encodeURIComponent(version)}.json`);
  }
}

/** Bare package names a package's declarations import or reference (`/// <reference types>`). */
function referencedPackages(pkg: LoadedPackage): Set<string> {
  if (pkg.refs) return new Set(pkg.refs);
  const names = new Set<string>();
  for (const [file, text] of pkg.files) {
    if (!/\.d\.[mc]?ts$/.test(file)) continue;
    const info = loadTs().preProcessFile(text, true, true);
    for (const ref of [...info.importedFiles, ...info.typeReferenceDirectives]) {
      const spec = ref.fileName;
      if (spec.startsWith('.') || spec.startsWith('/')) continue;
      if (BUILTINS.has(spec) || spec === 'node') names.add('@types/node');
      else {
        const name = packageNameOf(spec);
        if (name && name !== pkg.name) names.add(name);
      }
    }
  }
  return names;
}

function dependencyRanges(pkg: LoadedPackage): Record<string, string> {
  try {
    const manifest = JSON.parse(pkg.files.get('package.json') ?? '{}') as Record<string, Record<string, string> | undefined>;
    return { ...manifest.peerDependencies, ...manifest.optionalDependencies, ...manifest.dependencies };
  } catch {
    return {};
  }
}

/**
 * Loads the declarations for `imported` (name → version) and everything they reference. A
 * referenced package the declaring package does not list is tried as `@types/<name>` if that is
 * listed, and skipped otherwise: guessing versions would check against types nobody installs.
 */
export async function loadDeclarations(
  loader: DeclarationLoader,
  imported: Map<string, string>,
  /** `@types` versions the project itself installs (its manifest or lockfile), which win over picking one. */
  projectTypes: Map<string, string> = new Map(),
  /** Versions the project's lockfile holds, by name: what an install puts in for a dependency's dependency. */
  locked: Map<string, string[]> = new Map(),
): Promise<DeclarationSet> {
  const set: DeclarationSet = { packages: new Map(), sources: new Map(), unknown: new Map() };
  const queue: LoadedPackage[] = [];
  const add = (pkg: LoadedPackage): void => {
    if (set.packages.has(pkg.name) || set.packages.size >= MAX_PACKAGES) return;
    set.packages.set(pkg.name, pkg);
    queue.push(pkg);
  };

  await Promise.all(
    [...imported].map(async ([name, version]) => {
      const own = await loader.load(name, version);
      if (typeof own === 'string') {
        set.unknown.set(name, own);
        set.sources.set(name, { kind: 'none', reason: own });
        return;
      }
      add(own);
      const typesName = typesPackageName(name);
      if (hasOwnTypes(own.files)) {
        set.sources.set(name, { kind: 'own', package: own });
        // The project's own @types/x goes in too, as an install puts it: TypeScript prefers the
        // package's declarations and uses @types for what they leave out.
        const declared = projectTypes.get(typesName);
        const extra = declared ? await loader.load(typesName, declared) : undefined;
        if (extra && typeof extra !== 'string') add(extra);
        return;
      }
      let typesVersion = projectTypes.get(typesName);
      if (!typesVersion && !loader.mayAskTypesFor(name)) {
        // Private names stay with their registry; DefinitelyTyped has nothing for them anyway.
        set.sources.set(name, { kind: 'none', reason: `no ${typesName}: not asked of a registry other than ${name}'s` });
        return;
      }
      if (!typesVersion) {
        const lookup = await loader.lookup(typesName);
        if (lookup.state === 'found') typesVersion = pickTypesVersion(lookup.facts, version);
      }
      const types = typesVersion ? await loader.load(typesName, typesVersion) : `no ${typesName}`;
      if (typeof types === 'string') set.sources.set(name, { kind: 'none', reason: types });
      else {
        add(types);
        set.sources.set(name, { kind: 'types-package', package: types });
      }
    }),
  );

  // The project's @types/node: its globals (process, Buffer) type the project's own code.
  const node = projectTypes.get('@types/node');
  if (node && !set.packages.has('@types/node')) {
    const pkg = await loader.load('@types/node', node);
    if (typeof pkg !== 'string') add(pkg);
  }

  // Breadth first, a level at a time, so independent packages load in parallel.
  while (queue.length) {
    const level = queue.splice(0);
    const wanted = new Map<string, string | undefined>();
    /** `@types/x` listed beside `x`: wanted only if `x` turns out to have no declarations of its own. */
    const companions = new Map<string, { base: string; range: string | undefined }>();
    for (const pkg of level) {
      const ranges = dependencyRanges(pkg);
      for (const ref of referencedPackages(pkg)) {
        const typesName = typesPackageName(ref);
        const typesListed = ranges[typesName] !== undefined && loader.mayAskTypesFor(ref) && loader.mayAsk(typesName);
        if (ranges[ref] !== undefined || ref === '@types/node') {
          if (loader.mayAsk(ref) && !set.packages.has(ref) && !wanted.has(ref)) wanted.set(ref, ranges[ref]);
          // A package and its @types both listed (`chai` and `@types/chai` in vitest's tree): an
          // install has both, and the types come from the second when the first has none.
          if (typesListed && !set.packages.has(typesName)) companions.set(typesName, { base: ref, range: ranges[typesName] });
        } else if (typesListed && !set.packages.has(typesName) && !wanted.has(typesName)) wanted.set(typesName, ranges[typesName]);
      }
    }
    const fetchOne = async (name: string, range: string | undefined): Promise<void> => {
      const wantedRange = range?.startsWith('npm:') ? undefined : range;
      const pinned = (locked.get(name) ?? []).filter((v) => semver.valid(v) && (!wantedRange || semver.satisfies(v, wantedRange, { includePrerelease: true })));
      const version = pinned.length ? semver.rsort([...pinned])[0]! : await loader.pick(name, wantedRange);
      if (typeof version !== 'string') return void set.unknown.set(name, version.reason);
      const pkg = await loader.load(name, version);
      if (typeof pkg === 'string') set.unknown.set(name, pkg);
      else add(pkg);
    };
    await Promise.all([...wanted].map(([name, range]) => fetchOne(name, range)));
    await Promise.all(
      [...companions]
        .filter(([name, { base }]) => {
          const loaded = set.packages.get(base);
          return !wanted.has(name) && !set.packages.has(name) && (!loaded || !hasOwnTypes(loaded.files));
        })
        .map(([name, { range }]) => fetchOne(name, range)),
    );
  }
  return set;
}
