/**
 * One package's declarations: its tarball read in memory (never run), the bare names its
 * declarations reference and what its JavaScript defines at runtime, cached on disk by registry,
 * name and version (published versions never change).
 */
import { createHash } from 'node:crypto';
import { builtinModules, createRequire } from 'node:module';
import { type CacheKind, DiskCache } from '../cache/disk-cache.js';
import { isRecord, isStringArray } from '../model/json.js';
import { resolveVersion } from '../plan/resolve-version.js';
import type { Lookup } from '../model/facts.js';
import type { RegistryClient } from '../registry/client.js';
import type * as TypeScript from 'typescript';
import { packageNameOf } from '../scan/classify-specifier.js';
import { type RuntimeNames, isRuntimeNames } from './runtime-names.js';
import { RuntimeScanner, type ScriptFiles } from './runtime-scan.js';
import { readTarballFiles } from './tarball-files.js';

// The compiler is needed only to pre-process declarations fetched in this run; cached packages
// carry their references, so a run whose member results are cached never loads it.
let tsModule: typeof TypeScript | undefined;
const loadTs = (): typeof TypeScript =>
  (tsModule ??= createRequire(import.meta.url)('typescript') as typeof TypeScript);

export interface LoadedPackage {
  name: string;
  version: string;
  /** Declarations and package.json files, by path in the package. */
  files: Map<string, string>;
  /** Every file path of the package (JavaScript included, contents not kept). */
  paths: string[];
  /** Bare package names its declarations import or reference, once computed. */
  refs?: string[];
  /** What its JavaScript defines, file by file (runtime-names.ts); absent when not known. */
  runtime?: RuntimeNames;
}

interface StoredDeclarations {
  integrity?: string;
  files: Record<string, string>;
  paths: string[];
  refs: string[];
  runtime?: RuntimeNames;
}

/** A damaged entry (any field of the wrong shape) is fetched again rather than trusted. */
const isStoredDeclarations = (stored: unknown): stored is StoredDeclarations =>
  isRecord(stored) &&
  isRecord(stored.files) &&
  Object.values(stored.files).every((t) => typeof t === 'string') &&
  isStringArray(stored.paths) &&
  isStringArray(stored.refs) &&
  (stored.runtime === undefined || isRuntimeNames(stored.runtime));

const DECLARATIONS: CacheKind<StoredDeclarations> = { name: 'decl', version: 7, isValid: isStoredDeclarations };
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** `@types/` name for a package, as DefinitelyTyped mangles scoped names. */
export const typesPackageName = (name: string): string =>
  `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;

export class DeclarationLoader {
  readonly #client: RegistryClient;
  readonly #store: DiskCache<StoredDeclarations> | undefined;
  readonly #loaded = new Map<string, Promise<LoadedPackage | string>>();
  readonly #lookups = new Map<string, Promise<Lookup>>();
  readonly #scanner = new RuntimeScanner();
  /** Packages fetched in this run whose runtime scan (and then cache entry) is still to come. */
  readonly #scanning = new Map<LoadedPackage, Promise<void>>();

  readonly #private: (name: string) => boolean;

  /** `isPrivate`: names no registry may be asked about (the configuration's internal scopes). */
  constructor(client: RegistryClient, cacheDir?: string, isPrivate: (name: string) => boolean = () => false) {
    this.#client = client;
    this.#store = cacheDir ? new DiskCache(cacheDir, DECLARATIONS) : undefined;
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

  /** The version `range` resolves to (latest without one), or why not (`unknown`: the registry gave no answer). */
  async pick(name: string, range: string | undefined): Promise<string | { reason: string; unknown?: true }> {
    const lookup = await this.lookup(name);
    if (lookup.state === 'unknown') return { reason: `${name}: ${lookup.reason}`, unknown: true };
    if (lookup.state !== 'found') return { reason: `${name} does not exist` };
    const resolution = resolveVersion(lookup.facts, {
      name,
      source: 'manifest',
      locations: [],
      ...(range ? { wanted: range } : {}),
    });
    return resolution.ok ? resolution.version : { reason: `no version of ${name} matches ${range}` };
  }

  /** Declaration files and package.json of `name@version`, or why they could not be had (always an unknown). */
  load(name: string, version: string): Promise<LoadedPackage | string> {
    const key = `${name}@${version}`;
    let pending = this.#loaded.get(key);
    if (!pending) this.#loaded.set(key, (pending = this.#load(name, version)));
    return pending;
  }

  async #load(name: string, version: string): Promise<LoadedPackage | string> {
    const file = this.#cacheFile(name, version);
    const stored = file ? this.#store!.read(file) : undefined;
    if (stored)
      return {
        name,
        version,
        files: new Map(Object.entries(stored.files)),
        paths: stored.paths,
        refs: stored.refs,
        ...(stored.runtime ? { runtime: stored.runtime } : {}),
      };
    if (!this.#client.tarball) return 'this registry client cannot fetch tarballs';
    const answer = await this.#client.tarball(name, version);
    if (answer.state !== 'ok') return answer.reason;
    const scripts: ScriptFiles = [];
    const read = await readTarballFiles(answer.data, undefined, undefined, {
      match: (p) => /\.[cm]?js$/.test(p),
      maxFileBytes: 4 * 1024 * 1024,
      onFile: (p, text) => void scripts.push([p, text]),
    });
    if (!read.ok) return `tarball of ${name}@${version}: ${read.reason}`;
    const loaded: LoadedPackage = { name, version, files: read.files, paths: read.paths };
    loaded.refs = [...referencedPackages(loaded)];
    // The declarations go to the compiler now; what the JavaScript defines is asked only after
    // it (runtimeOf), so it is scanned meanwhile, and the entry is written once it is known.
    this.#scanning.set(
      loaded,
      this.#scanner
        .scan(scripts)
        .then(async (runtime) => {
          // Not known: no entry, so the next run reads the tarball again.
          if (!runtime) return;
          loaded.runtime = runtime;
          if (file)
            await this.#store!.write(file, {
              ...(answer.integrity ? { integrity: answer.integrity } : {}),
              files: Object.fromEntries(read.files),
              paths: read.paths,
              refs: loaded.refs!,
              runtime,
            });
        })
        // An entry that cannot be written is fetched again next time (the disk cache's own rule).
        .catch(() => undefined),
    );
    return loaded;
  }

  /** What `pkg`'s JavaScript defines (runtime-names.ts), once its scan is done; undefined when not known. */
  async runtimeOf(pkg: LoadedPackage): Promise<RuntimeNames | undefined> {
    await this.#scanning.get(pkg);
    return pkg.runtime;
  }

  /** Waits for the scans and cache entries still to come, and ends the scanner's thread. */
  async settle(): Promise<void> {
    await Promise.all(this.#scanning.values());
    await this.#scanner.close();
  }

  /** The entry of `name@version`, keyed by the registry that serves the name; undefined without a cache. */
  #cacheFile(name: string, version: string): string | undefined {
    if (!this.#store) return undefined;
    const registry = createHash('sha256').update(this.#client.registryFor(name)).digest('hex').slice(0, 16);
    return this.#store.file(registry, `${encodeURIComponent(name)}@${encodeURIComponent(version)}.json`);
  }
}

export function referencedPackages(pkg: LoadedPackage): Set<string> {
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
