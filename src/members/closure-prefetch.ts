/**
 * Fetching ahead along the declaration chain. The closure (declarations.ts) decides level by
 * level, in a fixed order, which packages make the program; waiting for a whole level before
 * asking for the next made the chain as long as its deepest level times every level's slowest
 * answer (issue 14.11: 18 requests in series). Here each package's dependencies are asked for
 * as soon as its own declarations are in, and `@types/x` beside `x` when the registry's
 * version document names no `types`. The loader remembers every answer, so the closure's own
 * requests then find them under way or done; nothing here decides what is in the program.
 */
import semver from 'semver';
import type { DeclarationLoader, LoadedPackage } from './declaration-loader.js';
import { referencedPackages, typesPackageName } from './declaration-loader.js';

/** A package's dependency ranges as an install reads them (optional peers only when the project installs them). */
export function dependencyRanges(pkg: LoadedPackage, locked: Map<string, string[]>): Record<string, string> {
  try {
    const manifest = JSON.parse(pkg.files.get('package.json') ?? '{}') as Record<
      string,
      Record<string, string> | undefined
    >;
    const meta = (manifest.peerDependenciesMeta ?? {}) as unknown as Record<string, { optional?: unknown } | undefined>;
    // An optional peer is installed only when the project installs it: no install brings one
    // in for the package (drizzle-orm lists a dozen database drivers), so neither does the check.
    const peers = Object.fromEntries(
      Object.entries(manifest.peerDependencies ?? {}).filter(
        ([name]) => meta[name]?.optional !== true || locked.has(name),
      ),
    );
    return { ...peers, ...manifest.optionalDependencies, ...manifest.dependencies };
  } catch {
    return {};
  }
}

/** The version of a dependency's dependency an install puts in: the lockfile's, else the range's pick. */
export async function chooseVersion(
  loader: DeclarationLoader,
  locked: Map<string, string[]>,
  name: string,
  range: string | undefined,
): Promise<string | { reason: string; unknown?: true }> {
  const wantedRange = range?.startsWith('npm:') ? undefined : range;
  const pinned = (locked.get(name) ?? []).filter(
    (v) => semver.valid(v) && (!wantedRange || semver.satisfies(v, wantedRange, { includePrerelease: true })),
  );
  return pinned.length ? semver.rsort([...pinned])[0]! : loader.pick(name, wantedRange);
}

export class ClosurePrefetch {
  readonly #asked = new Set<string>();
  readonly #loader: DeclarationLoader;
  readonly #locked: Map<string, string[]>;
  readonly #limit: number;
  readonly #pending: Promise<unknown>[] = [];

  constructor(loader: DeclarationLoader, locked: Map<string, string[]>, limit: number) {
    this.#loader = loader;
    this.#locked = locked;
    this.#limit = limit;
  }

  /** Starts on what `pkg`'s declarations reference, as the closure would ask for it; never waits, never throws. */
  dependenciesOf(pkg: LoadedPackage): void {
    const ranges = dependencyRanges(pkg, this.#locked);
    for (const ref of referencedPackages(pkg)) {
      const typesName = typesPackageName(ref);
      if (ranges[ref] !== undefined || ref === '@types/node') {
        if (this.#loader.mayAsk(ref)) this.#fetch(ref, ranges[ref]);
      } else if (ranges[typesName] !== undefined && this.#loader.mayAskTypesFor(ref) && this.#loader.mayAsk(typesName))
        this.#fetch(typesName, ranges[typesName]);
    }
  }

  /** The registry's answer about `@types/<name>`, asked while `name`'s own tarball is on its way. */
  typesLookup(name: string): void {
    const typesName = typesPackageName(name);
    const key = `lookup\0${typesName}`;
    if (this.#asked.has(key) || !this.#loader.mayAskTypesFor(name)) return;
    this.#asked.add(key);
    this.#pending.push(this.#loader.lookup(typesName).catch(() => undefined));
  }

  /** Something started ahead elsewhere, to wait for in settle(). */
  track(task: Promise<unknown>): void {
    this.#pending.push(task.catch(() => undefined));
  }

  /** Waits for everything started here: no request or cache write of this run outlives it. */
  async settle(): Promise<void> {
    while (this.#pending.length) await Promise.allSettled(this.#pending.splice(0));
  }

  #fetch(name: string, range: string | undefined): void {
    const key = `${name}\0${range ?? ''}`;
    if (this.#asked.has(key) || this.#asked.size >= this.#limit) return;
    this.#asked.add(key);
    const task = (async () => {
      const version = await chooseVersion(this.#loader, this.#locked, name, range);
      if (typeof version !== 'string') return;
      const pkg = await this.#loader.load(name, version);
      if (typeof pkg !== 'string') this.dependenciesOf(pkg);
    })().catch(() => undefined);
    this.#pending.push(task);
  }
}
