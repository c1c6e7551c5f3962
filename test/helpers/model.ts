/** Builders for scan results, for tests of the checks and of request collection. */
import type { CheckContext, ProjectCheck, ProjectContext } from '../../src/checks/check.js';
import type { Finding } from '../../src/model/finding.js';
import { createPopularIndex } from '../../src/popularity/popular-index.js';
import type { DeclaredDependency, Manifest, ProjectScan } from '../../src/model/references.js';
import { createPopularity, type PopularitySource } from '../../src/popularity/popularity.js';
import { type DepverifyConfigInput, parseConfig } from '../../src/config/config.js';

export function dep(name: string, range = '^1.0.0', extra: Partial<DeclaredDependency> = {}): DeclaredDependency {
  return {
    name,
    spec: range,
    field: 'dependencies',
    manifest: 'package.json',
    kind: 'registry',
    registryName: name,
    range,
    ...extra,
  };
}

export function manifest(dir: string, dependencies: DeclaredDependency[], name?: string): Manifest {
  return {
    path: dir ? `${dir}/package.json` : 'package.json',
    dir,
    ...(name ? { name } : {}),
    workspaces: [],
    dependencies,
    importsKeys: [],
  };
}

/** A check context with the default configuration, judged at a fixed time. */
export function checkContext(
  config: DepverifyConfigInput = {},
  extra: Partial<Omit<CheckContext, 'config'>> = {},
): CheckContext {
  return { config: parseConfig(config, 'test'), now: Date.UTC(2026, 10, 1), ...extra };
}

/**
 * Popularity over a small in-memory index, through the same code the CLI uses (index, squat
 * targets, downloads precedence). With no rows, every name is unknown to the index.
 */
export function popularity(
  rows: ReadonlyArray<readonly [string, number]> = [],
  config: DepverifyConfigInput = {},
): PopularitySource {
  return createPopularity({
    index: createPopularIndex(rows),
    minTargetDownloads: parseConfig(config, 'test').squatting.minTargetDownloads,
  });
}

/** A project context with the default configuration and one registry. */
export function projectContext(
  config: DepverifyConfigInput = {},
  registries: string[] = ['https://registry.example.test/'],
): ProjectContext {
  return { config: parseConfig(config, 'test'), registries };
}

/** Runs a project check with the default project context. */
export function runProject(
  check: ProjectCheck,
  scan: ProjectScan,
  context: ProjectContext = projectContext(),
): Finding[] {
  return check.run(scan, context);
}
