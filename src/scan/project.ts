import path from 'node:path';
import ignore from 'ignore';
import type { ProjectScan } from '../model/references.js';
import type { DepverifyConfig } from './config.js';
import { scanImports } from './imports.js';
import { readLockfile } from './lockfile.js';
import { findManifests } from './manifest.js';
import { listSourceFiles } from './source-files.js';

/** Everything the project references, read from disk without touching the network. */
export async function scanProject(root: string, config: Pick<DepverifyConfig, 'ignore'>, options: { tolerateSyntaxErrors?: boolean } = {}): Promise<ProjectScan> {
  const ignored = ignore().add(config.ignore.paths);
  const isIgnored = (file: string): boolean => config.ignore.paths.length > 0 && ignored.ignores(file);
  const [listed, locked] = await Promise.all([listSourceFiles(root), readLockfile(root)]);
  // Nested projects (examples, docs sites, benchmarks with a package.json of their own) are read
  // too: a file's imports are judged against its nearest package.json and the ones above it.
  const found = await findManifests(root, { nested: listed.manifests.filter((file) => !isIgnored(file)) });
  // A nested project is nobody's workspace: no install links its name, so importing it is not local.
  // A nested project's own lockfile pins its declarations. What cannot be read there (a binary
  // bun.lockb, a broken file) leaves them at their declared ranges: checked, never made up.
  await Promise.all(
    found.manifests
      .filter((m) => m.standalone)
      .map(async (m) => {
        const own = await readLockfile(path.join(root, m.dir));
        if (!own.lockfile) return;
        const at = (file: string): string => `${m.dir}/${file}`;
        m.lockfile = { ...own.lockfile, path: at(own.lockfile.path), packages: own.lockfile.packages.map((p) => ({ ...p, lockfile: at(p.lockfile) })) };
      }),
  );
  const localNames = new Set(found.manifests.flatMap((m) => (m.name && !m.standalone ? [m.name] : [])));
  const sources = await scanImports(root, {
    listed: { ...listed, files: listed.files.filter((file) => !isIgnored(file)) },
    isLocalPackage: (name) => localNames.has(name),
    workspaceDirs: found.manifests.map((m) => m.dir),
    ...(options.tolerateSyntaxErrors ? { tolerateSyntaxErrors: true } : {}),
  });
  const scan: ProjectScan = {
    root,
    manifests: found.manifests,
    imports: sources.imports,
    errors: [...found.errors, ...locked.errors, ...sources.errors],
    sourceFiles: sources.sourceFiles,
  };
  if (sources.warnings) scan.warnings = sources.warnings;
  if (locked.lockfile) scan.lockfile = locked.lockfile;
  return scan;
}
