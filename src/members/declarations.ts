/**
 * Type declarations of the packages a project imports, at the versions it would install: the
 * package's own, else `@types/<name>`, plus every package those declarations import (found by
 * pre-processing them, so the compiler host never waits on the network). One package's fetch and
 * cache are declaration-loader.ts; this is the closure over them.
 */
import semver from 'semver';
import validateName from 'validate-npm-package-name';
import type { PackageFacts } from '../model/facts.js';
import { ClosurePrefetch, chooseVersion, dependencyRanges } from './closure-prefetch.js';
import { DeclarationLoader, type LoadedPackage, referencedPackages, typesPackageName } from './declaration-loader.js';

export { DeclarationLoader, type LoadedPackage, typesPackageName };

/**
 * `none` with `unknown`: the declarations could not be fetched or read (an unknown, never
 * clean); without it, the package has none (a fact).
 */
type TypesSource =
  { kind: 'own' | 'types-package'; package: LoadedPackage } | { kind: 'none'; reason: string; unknown?: true };

export interface DeclarationSet {
  /** By package name; one version of each (the first the closure needed). */
  packages: Map<string, LoadedPackage>;
  /** For each imported package: where its types come from. */
  sources: Map<string, TypesSource>;
  /** Packages whose declarations could not be had, with why. */
  unknown: Map<string, string>;
  /**
   * For each imported package, the packages its declarations reference that could not be
   * fetched (an unknown, not a missing package): its members were checked without them.
   */
  incomplete: Map<string, Map<string, string>>;
  /**
   * Imported packages whose declarations reach past the closure's limit (MAX_PACKAGES), with
   * why: what they lean on is partly missing, so their members are not checked at all.
   */
  capped: Map<string, string>;
}

const validForNewPackages = (name: string): boolean => validateName(name).validForNewPackages;
/**
 * The closure stops here (memory: a package's declarations are held as text, and the compiler
 * parses them). Real monorepos reach 300 to 450 (astro, trpc); past the limit, the imports the
 * left-out packages would have served are TYPES_UNKNOWN, never checked without them.
 */
const MAX_PACKAGES = 1000;

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
    exports &&
    typeof exports === 'object' &&
    !Array.isArray(exports) &&
    Object.keys(exports).some((k) => k.startsWith('.'))
      ? (exports as Record<string, unknown>)['.']
      : exports;
  if (JSON.stringify(root ?? null).includes('"types"')) return true;
  const beside = (target: string): boolean => {
    const base = target.replace(/^\.\//, '').replace(/\.[cm]?js$/, '');
    return (
      files.has(`${base}.d.ts`) ||
      files.has(`${base}.d.mts`) ||
      files.has(`${base}.d.cts`) ||
      files.has(`${base}/index.d.ts`)
    );
  };
  const targets =
    JSON.stringify(root ?? null)
      .match(/"\.\/[^"]+"/g)
      ?.map((t) => t.slice(1, -1)) ?? [];
  if (targets.some(beside)) return true;
  const main = typeof manifest.main === 'string' ? manifest.main : 'index.js';
  return beside(main) || files.has('index.d.ts');
}

/** The @types version for a package version: same major.minor, else same major, else latest. */
export function pickTypesVersion(facts: PackageFacts, forVersion: string | undefined): string | undefined {
  const versions = Object.keys(facts.versions).filter((v) => semver.valid(v) && !semver.prerelease(v));
  const v = forVersion ? semver.parse(forVersion) : null;
  if (v) {
    const best = (match: (x: semver.SemVer) => boolean) =>
      semver.maxSatisfying(
        versions.filter((x) => match(semver.parse(x)!)),
        '*',
      );
    const found = best((x) => x.major === v.major && x.minor === v.minor) ?? best((x) => x.major === v.major);
    if (found) return found;
  }
  return facts.distTags.latest ?? semver.maxSatisfying(versions, '*') ?? undefined;
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
  /**
   * `limit`: the most declaration packages one closure holds (MAX_PACKAGES). `namesTypes`: whether
   * the registry's version document of an imported package names its `types` (undefined: not
   * known); when it does not, `@types/<name>` is asked for at once, beside the tarball.
   * `aliases`: imported names a package.json installs another package under (`"my-x":
   * "npm:x@^1"`), to that package: x's files are loaded as the package `my-x`, as npm lays them
   * out, and no registry hears of the name `my-x` (nor of `@types/my-x` unless the project lists it).
   */
  options: {
    limit?: number;
    namesTypes?: (name: string, version: string) => boolean | undefined;
    aliases?: Map<string, string>;
  } = {},
): Promise<DeclarationSet> {
  const limit = options.limit ?? MAX_PACKAGES;
  const prefetch = new ClosurePrefetch(loader, locked, limit);
  const set: DeclarationSet = {
    packages: new Map(),
    sources: new Map(),
    unknown: new Map(),
    incomplete: new Map(),
    capped: new Map(),
  };
  const queue: LoadedPackage[] = [];
  // Which imported packages each loaded package's declarations serve (for unknowns further down).
  const rootsOf = new Map<string, Set<string>>();
  const add = (pkg: LoadedPackage, root: string | Set<string>): void => {
    const roots = rootsOf.get(pkg.name) ?? new Set<string>();
    for (const r of typeof root === 'string' ? [root] : root) roots.add(r);
    rootsOf.set(pkg.name, roots);
    if (set.packages.has(pkg.name)) return;
    if (set.packages.size >= limit) {
      // Left out: never silently, for the imports whose declarations would have used it.
      for (const r of roots)
        if (!set.capped.has(r))
          set.capped.set(r, `${pkg.name} and others past the limit of ${limit} declaration packages`);
      return;
    }
    set.packages.set(pkg.name, pkg);
    queue.push(pkg);
  };
  const lost = (roots: Set<string>, name: string, reason: string): void => {
    set.unknown.set(name, reason);
    for (const root of roots) {
      const map = set.incomplete.get(root) ?? new Map<string, string>();
      map.set(name, reason);
      set.incomplete.set(root, map);
    }
  };

  // Fetches run in parallel but their results are added in a fixed order: which packages make
  // the program (and the member-result key) must not depend on which answer came first, or a
  // cold and a warm run would check against different declarations.
  const ordered = async <T extends [string, unknown]>(
    items: T[],
    fetch: (item: T) => Promise<(() => Promise<void> | void) | void>,
  ): Promise<void> => {
    const steps = await Promise.all(items.map(async (item) => [item[0], await fetch(item)] as const));
    steps.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, step] of steps) if (step) await step();
  };

  // The project's @types/node is wanted whatever the imports are: on its way from the start.
  if (projectTypes.has('@types/node')) prefetch.track(loader.load('@types/node', projectTypes.get('@types/node')!));
  await ordered([...imported], async ([name, version]) => {
    const installs = options.aliases?.get(name);
    if (
      !installs &&
      !projectTypes.has(typesPackageName(name)) &&
      options.namesTypes?.(name, version) === false &&
      validForNewPackages(typesPackageName(name))
    )
      prefetch.typesLookup(name);
    const loaded = await loader.load(installs ?? name, version);
    const own = installs && typeof loaded !== 'string' ? { ...loaded, name } : loaded;
    if (typeof own !== 'string') prefetch.dependenciesOf(own);
    if (typeof own === 'string') {
      set.unknown.set(name, own);
      set.sources.set(name, { kind: 'none', reason: own, unknown: true });
      return;
    }
    const typesName = typesPackageName(name);
    if (hasOwnTypes(own.files)) {
      set.sources.set(name, { kind: 'own', package: own });
      // The project's own @types/x goes in too, as an install puts it: TypeScript prefers the
      // package's declarations and uses @types for what they leave out.
      const declared = projectTypes.get(typesName);
      const extra = declared ? await loader.load(typesName, declared) : undefined;
      if (extra && typeof extra !== 'string') prefetch.dependenciesOf(extra);
      return () => {
        add(own, name);
        if (typeof extra === 'string') lost(new Set([name]), typesName, extra);
        else if (extra) add(extra, name);
      };
    }
    let typesVersion = projectTypes.get(typesName);
    if (!typesVersion && installs) {
      // TypeScript looks for `@types/my-x` beside node_modules/my-x; `@types/x` is not there for it.
      set.sources.set(name, {
        kind: 'none',
        reason: `${name} installs ${installs}, which has no declarations of its own, and the project lists no ${typesName}`,
      });
      return () => add(own, name);
    }
    if (!typesVersion && !loader.mayAskTypesFor(name)) {
      // Private names stay with their registry; DefinitelyTyped has nothing for them anyway.
      set.sources.set(name, {
        kind: 'none',
        reason: `${typesName} was not asked for: ${name} comes from its own registry, and its @types name would leak to another`,
      });
      return () => add(own, name);
    }
    if (!typesVersion && !validForNewPackages(typesName)) {
      // `@types/JSONStream`: DefinitelyTyped can publish no name with capitals, so there is none to ask for.
      set.sources.set(name, { kind: 'none', reason: `no ${typesName}: a name with capitals cannot be published` });
      return () => add(own, name);
    }
    if (!typesVersion) {
      const lookup = await loader.lookup(typesName);
      // A registry that did not answer about @types/x is not "there is no @types/x".
      if (lookup.state === 'unknown') {
        set.sources.set(name, { kind: 'none', reason: `${typesName}: ${lookup.reason}`, unknown: true });
        return () => add(own, name);
      }
      if (lookup.state === 'found') typesVersion = pickTypesVersion(lookup.facts, version);
    }
    if (!typesVersion) {
      set.sources.set(name, { kind: 'none', reason: `no ${typesName}` });
      return () => add(own, name);
    }
    const types = await loader.load(typesName, typesVersion);
    if (typeof types !== 'string') prefetch.dependenciesOf(types);
    if (typeof types === 'string') {
      set.sources.set(name, { kind: 'none', reason: types, unknown: true });
      return () => add(own, name);
    }
    set.sources.set(name, { kind: 'types-package', package: types });
    return () => {
      add(own, name);
      add(types, name);
    };
  });

  // The project's @types/node: its globals (process, Buffer) type the project's own code.
  const node = projectTypes.get('@types/node');
  if (node && !set.packages.has('@types/node')) {
    const pkg = await loader.load('@types/node', node);
    if (typeof pkg === 'string') lost(new Set(imported.keys()), '@types/node', pkg);
    else add(pkg, new Set(imported.keys()));
  }

  // Breadth first, a level at a time, so independent packages load in parallel.
  while (queue.length) {
    const level = queue.splice(0);
    const wanted = new Map<string, { range: string | undefined; roots: Set<string> }>();
    /** `@types/x` listed beside `x`: wanted only if `x` turns out to have no declarations of its own. */
    const companions = new Map<string, { base: string; range: string | undefined; roots: Set<string> }>();
    for (const pkg of level) {
      const ranges = dependencyRanges(pkg, locked);
      const roots = rootsOf.get(pkg.name) ?? new Set<string>();
      for (const ref of referencedPackages(pkg)) {
        const typesName = typesPackageName(ref);
        const typesListed = ranges[typesName] !== undefined && loader.mayAskTypesFor(ref) && loader.mayAsk(typesName);
        const want = (name: string, range: string | undefined): void => {
          if (set.packages.has(name)) {
            for (const r of roots) rootsOf.get(name)?.add(r);
            return;
          }
          const entry = wanted.get(name);
          if (entry) for (const r of roots) entry.roots.add(r);
          else wanted.set(name, { range, roots: new Set(roots) });
        };
        if (ranges[ref] !== undefined || ref === '@types/node') {
          if (loader.mayAsk(ref)) want(ref, ranges[ref]);
          // A package and its @types both listed (`chai` and `@types/chai` in vitest's tree): an
          // install has both, and the types come from the second when the first has none.
          if (typesListed && !set.packages.has(typesName))
            companions.set(typesName, { base: ref, range: ranges[typesName], roots: new Set(roots) });
        } else if (typesListed) want(typesName, ranges[typesName]);
      }
    }
    const fetchOne = async ([name, { range, roots }]: [
      string,
      { range: string | undefined; roots: Set<string> },
    ]): Promise<() => void> => {
      // What the lockfile holds is what an install puts in for a dependency's dependency.
      const version = await chooseVersion(loader, locked, name, range);
      if (typeof version !== 'string') {
        // A listed package that does not exist (or has no such version) is a fact an install
        // would meet too; a registry that did not answer is an unknown.
        return () => (version.unknown ? lost(roots, name, version.reason) : void set.unknown.set(name, version.reason));
      }
      const pkg = await loader.load(name, version);
      if (typeof pkg !== 'string') prefetch.dependenciesOf(pkg);
      return () => (typeof pkg === 'string' ? lost(roots, name, pkg) : add(pkg, roots));
    };
    await ordered([...wanted], fetchOne);
    await ordered(
      [...companions].filter(([name, { base }]) => {
        const loaded = set.packages.get(base);
        return !wanted.has(name) && !set.packages.has(name) && (!loaded || !hasOwnTypes(loaded.files));
      }),
      fetchOne,
    );
  }
  await prefetch.settle();
  return set;
}
