/** Builders for scan results, for tests of the checks and of request collection. */
import type { DeclaredDependency, Manifest } from '../../src/model/references.js';

export function dep(name: string, range = '^1.0.0', extra: Partial<DeclaredDependency> = {}): DeclaredDependency {
  return { name, spec: range, field: 'dependencies', manifest: 'package.json', kind: 'registry', registryName: name, range, ...extra };
}

export function manifest(dir: string, dependencies: DeclaredDependency[], name?: string): Manifest {
  return { path: dir ? `${dir}/package.json` : 'package.json', dir, ...(name ? { name } : {}), workspaces: [], dependencies, importsKeys: [] };
}
