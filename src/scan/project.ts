import path from 'node:path';
import type { Lockfile, ProjectScan } from '../model/references.js';
import { type ParseMemo, scanImports } from './walk-imports.js';
import { readConfigPackages } from './config-packages.js';
import { readLockfile } from './lockfile.js';
import { findManifests } from './manifest.js';
import { listSourceFiles } from './source-files.js';

/**
 * The name of a workspace whose package.json could not be read: from the lockfile's entry for
 * its folder (npm's `packages/x` or the link to it, yarn's and bun's `workspace:packages/x`),
 * else the directory's own name.
 */
function workspaceName(dir: string, lockfile: Lockfile | undefined): string {
  for (const entry of lockfile?.packages ?? []) {
    if (!entry.local) continue;
    const where = [entry.path, entry.resolved ?? ''].map((p) =>
      p
        .replace(/^(?:.*@)?(?:workspace|link|file):/, '')
        .replace(/^\.\//, '')
        .replace(/\/$/, ''),
    );
    if (where.includes(dir) && entry.name && !entry.name.includes('/node_modules/')) return entry.name;
  }
  return dir.slice(dir.lastIndexOf('/') + 1);
}

/** Everything the project references, read from disk without touching the network. */
export async function scanProject(
  root: string,
  config: { ignore: { paths: string[]; packages?: string[] } },
  options: { parseMemo?: ParseMemo } = {},
): Promise<ProjectScan> {
  // `ignore.paths` are never read, not even listed (a 50 MB bundle there costs nothing).
  const [listed, locked] = await Promise.all([listSourceFiles(root, config.ignore.paths), readLockfile(root)]);
  // Nested projects (examples, docs sites, benchmarks with a package.json of their own) are read
  // too: a file's imports are judged against its nearest package.json and the ones above it.
  const found = await findManifests(root, { nested: listed.manifests });
  for (const manifest of found.manifests)
    if (manifest.unreadable && !manifest.name) manifest.name = workspaceName(manifest.dir, locked.lockfile);
  // A nested project's own lockfile pins its declarations. What cannot be read there (a binary
  // bun.lockb, a broken file) leaves them at their declared ranges: checked, never made up.
  await Promise.all(
    found.manifests
      .filter((m) => m.standalone)
      .map(async (m) => {
        const own = await readLockfile(path.join(root, m.dir));
        if (!own.lockfile) return;
        const at = (file: string): string => `${m.dir}/${file}`;
        m.lockfile = {
          ...own.lockfile,
          path: at(own.lockfile.path),
          packages: own.lockfile.packages.map((p) => ({ ...p, lockfile: at(p.lockfile) })),
        };
      }),
  );
  // A nested project is nobody's workspace: no install links its name, so importing it is not local.
  const localNames = new Set(found.manifests.flatMap((m) => (m.name && !m.standalone ? [m.name] : [])));
  const sources = await scanImports(root, {
    listed,
    isLocalPackage: (name) => localNames.has(name),
    workspaceDirs: found.manifests.map((m) => m.dir),
    manifests: found.manifests,
    ...(options.parseMemo ? { parseMemo: options.parseMemo } : {}),
  });
  const configPackages = readConfigPackages(
    root,
    found.manifests.filter((m) => !m.unreadable),
  );
  const scan: ProjectScan = {
    root,
    manifests: found.manifests,
    imports: sources.imports,
    errors: [...found.errors, ...locked.errors, ...sources.errors],
    sourceFiles: sources.sourceFiles,
  };
  if (sources.warnings) scan.warnings = sources.warnings;
  if (configPackages.length) scan.configPackages = configPackages;
  if (sources.builtins) scan.builtins = sources.builtins;
  if (locked.lockfile) scan.lockfile = locked.lockfile;
  return scan;
}
