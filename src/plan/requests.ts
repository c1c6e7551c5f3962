// semver's functions one by one: its index loads all of its ~50 modules.
import satisfiesRange from 'semver/functions/satisfies.js';
import validVersion from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import { isValidPackageName, typesPackageFor } from '../scan/package-name.js';
import type { Location } from '../model/finding.js';
import type { PackageRequest } from '../model/request.js';
import type { ImportSite, LockedPackage, ProjectScan } from '../model/references.js';
import { indexLockfile } from './lock-pairing.js';

/** Whether a lock entry is installed from a registry by name and version. */
const fromRegistry = (entry: LockedPackage): boolean =>
  !entry.local && !entry.bundled && (entry.source ?? 'registry') === 'registry';

/**
 * Why a registry lock entry cannot be asked about (a name or version no registry could have).
 * Such entries are reported as input errors, never dropped silently and never sent.
 */
export function lockEntryProblem(entry: LockedPackage): string | undefined {
  if (!fromRegistry(entry)) return undefined;
  if (!isValidPackageName(entry.name)) return `invalid package name ${JSON.stringify(entry.name)} at ${entry.path}`;
  if (!validVersion(entry.version))
    return `invalid version ${JSON.stringify(entry.version)} for ${entry.name} at ${entry.path}`;
  return undefined;
}

/** npm uses a lock entry for a declaration only when it satisfies the declared range. */
export function satisfies(version: string, range: string | undefined): boolean {
  if (!range || validRange(range) === null) return true;
  return satisfiesRange(version, range, { includePrerelease: true });
}

/** Every reason the scan gives to ask the registry about a package. */
export function collectRequests(scan: ProjectScan): PackageRequest[] {
  const requests: PackageRequest[] = [];
  const lockfile = scan.lockfile;
  const locks = indexLockfile(lockfile);
  // npm links a workspace package wherever its name is declared with a range it satisfies; it
  // never comes from a registry, and its name (often private) must not be sent to one.
  const workspaces = new Map(
    scan.manifests.filter((m) => m.dir !== '' && m.name && !m.standalone).map((m) => [m.name!, m.version]),
  );
  // A workspace whose package.json could not be read has no known version: linked whatever the range.
  const unreadable = new Set(scan.manifests.filter((m) => m.unreadable && m.name).map((m) => m.name!));
  for (const manifest of scan.manifests) {
    for (const dep of manifest.dependencies) {
      if ((dep.kind !== 'registry' && dep.kind !== 'alias') || !dep.registryName) continue;
      if (
        dep.kind === 'registry' &&
        (unreadable.has(dep.name) ||
          (workspaces.has(dep.name) && satisfies(workspaces.get(dep.name) ?? '0.0.0', dep.range)))
      )
        continue;
      const pairing = locks.pair(manifest, dep);
      if (pairing.state === 'local') continue;
      const locked = pairing.state === 'locked' ? pairing.entry : undefined;
      const location: Location = { file: manifest.path, field: `${dep.field}.${dep.name}` };
      if (dep.line) location.line = dep.line;
      const request: PackageRequest = { name: dep.registryName, source: 'manifest', locations: [location] };
      if (dep.range) request.wanted = dep.range;
      // A stale lock (its version outside the declared range) is not what the next install uses;
      // the declared range is checked on its own then, and the lock entry below on its own.
      const usable = locked && fromRegistry(locked) && !lockEntryProblem(locked) && locked.name === dep.registryName;
      // A peer dependency is not installed from this declaration; its lock entry is checked on its own.
      if (usable && dep.field !== 'peerDependencies' && satisfies(locked.version, dep.range))
        request.locked = locked.version;
      requests.push(request);
    }
  }
  for (const entry of lockfile?.packages ?? []) {
    if (!fromRegistry(entry) || lockEntryProblem(entry)) continue;
    const location: Location = { file: entry.lockfile, field: entry.path };
    if (entry.line) location.line = entry.line;
    requests.push({
      name: entry.name,
      locked: entry.version,
      source: 'lockfile',
      locations: [location],
      ...(entry.integrity ? { integrity: entry.integrity } : {}),
    });
  }
  const declared = new Set(scan.manifests.flatMap((m) => m.dependencies.map((d) => d.name)));
  // `import type … from 'estree'` where a package.json in scope declares @types/estree names the
  // types only: the runtime package is not what the project uses (often none exists), never asked.
  const typesDeclared = (site: ImportSite): boolean => {
    const types = typesPackageFor(site.packageName);
    return scan.manifests.some(
      (m) => (m.dir === '' || site.file.startsWith(`${m.dir}/`)) && m.dependencies.some((d) => d.name === types),
    );
  };
  for (const site of scan.imports) {
    // Declared ones are already asked for at their declared range.
    if (declared.has(site.packageName) || (site.kind === 'import-type' && typesDeclared(site))) continue;
    requests.push({
      name: site.packageName,
      source: 'import',
      locations: [{ file: site.file, line: site.line, column: site.column }],
    });
  }
  return requests;
}
