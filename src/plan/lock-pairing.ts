/**
 * Which lockfile entry a package.json declaration installs, in every lockfile format: npm and
 * bun by install path (as Node resolves), yarn by the descriptor (`name@range`) it recorded, pnpm
 * by its importers. The answer says when the lockfile cannot tell, so nothing is guessed.
 */
import type { DeclaredDependency, LockedPackage, Lockfile, Manifest } from '../model/references.js';

type Pairing =
  /** The entry the next install uses for this declaration. */
  | { state: 'locked'; entry: LockedPackage }
  /** A workspace package or linked folder: nothing from a registry. */
  | { state: 'local' }
  /** The lockfile has nothing for it: the next install resolves it afresh. */
  | { state: 'missing' }
  /** The format or the entry does not say. */
  | { state: 'unknown' };

export interface LockIndex {
  pair(manifest: Manifest, dep: DeclaredDependency): Pairing;
}

/** Built once per run: maps from paths, descriptors and name@version to entries. */
export function indexLockfile(lockfile: Lockfile | undefined): LockIndex {
  if (!lockfile) return { pair: (manifest, dep) => pairStandalone(manifest, dep) ?? { state: 'unknown' } };
  const byPath = new Map<string, LockedPackage>();
  const byDescriptor = new Map<string, LockedPackage>();
  const byNameVersion = new Map<string, LockedPackage>();
  for (const entry of lockfile.packages) {
    byPath.set(entry.path, entry);
    byNameVersion.set(`${entry.name}@${entry.version}`, entry);
    if (lockfile.format === 'yarn-classic' || lockfile.format === 'yarn-berry') {
      for (const key of entry.path.split(/,\s*/)) byDescriptor.set(key.replace(/^"|"$/g, ''), entry);
    }
  }
  const own = new Map<Manifest, LockIndex>();
  const found = (entry: LockedPackage | undefined): Pairing =>
    !entry
      ? { state: 'missing' }
      : entry.local || entry.source === 'link'
        ? { state: 'local' }
        : { state: 'locked', entry };

  return {
    pair(manifest, dep) {
      // A project of its own is installed by its own lockfile, not this one.
      if (manifest.standalone) return pairStandalone(manifest, dep, own) ?? { state: 'unknown' };
      switch (lockfile.format) {
        case 'npm':
          return found(
            (manifest.dir ? byPath.get(`${manifest.dir}/node_modules/${dep.name}`) : undefined) ??
              byPath.get(`node_modules/${dep.name}`),
          );
        case 'bun': {
          // bun nests a workspace's own copy under the workspace's package name.
          const own = manifest.dir && manifest.name ? byPath.get(`${manifest.name}/${dep.name}`) : undefined;
          return found(own ?? byPath.get(dep.name));
        }
        case 'yarn-classic':
        case 'yarn-berry': {
          // Berry writes a bare range as `npm:<range>`; both spellings name the same descriptor.
          const entry = byDescriptor.get(`${dep.name}@${dep.spec}`) ?? byDescriptor.get(`${dep.name}@npm:${dep.spec}`);
          return found(entry);
        }
        case 'pnpm': {
          const declared = lockfile.importers?.[manifest.dir];
          if (!declared) return { state: 'unknown' };
          const ref = declared[dep.name];
          if (ref === undefined) return { state: 'missing' };
          if (/^(link|workspace):/.test(ref)) return { state: 'local' };
          const entry = byNameVersion.get(`${dep.registryName ?? dep.name}@${ref}`);
          return entry ? found(entry) : { state: 'unknown' };
        }
      }
    },
  };
}

/** A nested project's declaration, paired with its own lockfile, where it is the root. */
function pairStandalone(
  manifest: Manifest,
  dep: DeclaredDependency,
  cache = new Map<Manifest, LockIndex>(),
): Pairing | undefined {
  if (!manifest.standalone || !manifest.lockfile) return manifest.standalone ? { state: 'unknown' } : undefined;
  let index = cache.get(manifest);
  if (!index) cache.set(manifest, (index = indexLockfile(manifest.lockfile)));
  const { standalone: _standalone, lockfile: _lockfile, ...asRoot } = manifest;
  return index.pair({ ...asRoot, dir: '' }, dep);
}
