import ignore from 'ignore';
import type { ProjectScan } from '../model/references.js';
import type { DepverifyConfig } from './config.js';
import { scanImports } from './imports.js';
import { readLockfile } from './lockfile.js';
import { findManifests } from './manifest.js';

/** Everything the project references, read from disk without touching the network. */
export async function scanProject(root: string, config: Pick<DepverifyConfig, 'ignore'>, options: { tolerateSyntaxErrors?: boolean } = {}): Promise<ProjectScan> {
  const [found, locked] = await Promise.all([findManifests(root), readLockfile(root)]);
  const localNames = new Set(found.manifests.flatMap((m) => (m.name ? [m.name] : [])));
  const sources = await scanImports(root, { isLocalPackage: (name) => localNames.has(name), workspaceDirs: found.manifests.map((m) => m.dir), manifests: found.manifests, ...(options.tolerateSyntaxErrors ? { tolerateSyntaxErrors: true } : {}) });
  const ignored = ignore().add(config.ignore.paths);
  const scan: ProjectScan = {
    root,
    manifests: found.manifests,
    imports: config.ignore.paths.length ? sources.imports.filter((site) => !ignored.ignores(site.file)) : sources.imports,
    errors: [...found.errors, ...locked.errors, ...sources.errors],
    sourceFiles: sources.sourceFiles,
  };
  if (sources.warnings) scan.warnings = sources.warnings;
  if (locked.lockfile) scan.lockfile = locked.lockfile;
  return scan;
}
