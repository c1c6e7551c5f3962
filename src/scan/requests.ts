import type { Location } from '../model/finding.js';
import type { PackageRequest } from '../model/request.js';
import type { LockedPackage, ProjectScan } from '../model/references.js';

/** The lockfile entry a declaration in the manifest at `dir` would install, as Node resolves it. */
function lockedFor(byPath: Map<string, LockedPackage>, dir: string, name: string): LockedPackage | undefined {
  return (dir ? byPath.get(`${dir}/node_modules/${name}`) : undefined) ?? byPath.get(`node_modules/${name}`);
}

/** Every reason the scan gives to ask the registry about a package. */
export function collectRequests(scan: ProjectScan): PackageRequest[] {
  const requests: PackageRequest[] = [];
  const lockfile = scan.lockfile;
  const byPath = new Map((lockfile?.packages ?? []).map((p) => [p.path, p]));
  // npm links a workspace package wherever its name is declared; it never comes from a registry,
  // and its name (often private) must not be sent to one.
  const workspaceNames = new Set(scan.manifests.filter((m) => m.dir !== '' && m.name).map((m) => m.name));
  for (const manifest of scan.manifests) {
    for (const dep of manifest.dependencies) {
      if ((dep.kind !== 'registry' && dep.kind !== 'alias') || !dep.registryName) continue;
      if (dep.kind === 'registry' && workspaceNames.has(dep.name)) continue;
      const locked = lockedFor(byPath, manifest.dir, dep.name);
      if (locked?.local) continue;
      const location: Location = { file: manifest.path, field: `${dep.field}.${dep.name}` };
      if (dep.line) location.line = dep.line;
      const request: PackageRequest = { name: dep.registryName, source: 'manifest', locations: [location] };
      if (dep.range) request.wanted = dep.range;
      // A peer dependency is not installed from this declaration; its lock entry is checked on its own.
      if (locked && locked.name === dep.registryName && dep.field !== 'peerDependencies') request.locked = locked.version;
      requests.push(request);
    }
  }
  for (const entry of lockfile?.packages ?? []) {
    if (entry.local || (entry.source && entry.source !== 'registry') || !isRegistryVersion(entry.version)) continue;
    const location: Location = { file: entry.lockfile, field: entry.path };
    if (entry.line) location.line = entry.line;
    requests.push({ name: entry.name, locked: entry.version, source: 'lockfile', locations: [location] });
  }
  const declared = new Set(scan.manifests.flatMap((m) => m.dependencies.map((d) => d.name)));
  for (const site of scan.imports) {
    // Declared ones are already asked for at their declared range.
    if (declared.has(site.packageName)) continue;
    requests.push({ name: site.packageName, source: 'import', locations: [{ file: site.file, line: site.line, column: site.column }] });
  }
  return requests;
}

/** Lockfiles record git, file and tarball sources in `version` too; those are not registry versions. */
function isRegistryVersion(version: string): boolean {
  return /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(version);
}

/** `name`, `name@range`, `@scope/name@tag`: what someone is about to install. */
export function parsePackageArg(arg: string): PackageRequest {
  const at = arg.indexOf('@', arg.startsWith('@') ? 1 : 0);
  const name = at === -1 ? arg : arg.slice(0, at);
  const wanted = at === -1 ? undefined : arg.slice(at + 1);
  const request: PackageRequest = { name, source: 'cli', locations: [{ file: '<command line>', field: arg }] };
  if (wanted) request.wanted = wanted;
  return request;
}
