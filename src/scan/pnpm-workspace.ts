import type { InputError } from '../model/references.js';
import { readText } from './read-text.js';

/**
 * The `packages` globs of pnpm-workspace.yaml. pnpm projects list their workspaces there rather
 * than in package.json; without them, workspace names would be taken for registry packages.
 */
export async function readPnpmWorkspaceGlobs(root: string): Promise<{ globs: string[]; errors: InputError[] }> {
  const file = 'pnpm-workspace.yaml';
  const read = await readText(root, file);
  if ('missing' in read) return { globs: [], errors: [] };
  if ('error' in read) return { globs: [], errors: [read.error] };
  // Loaded only for pnpm projects; the same parser as the pnpm lockfile, so one YAML library loads.
  const { parseYaml } = await import('./yaml-lines.js');
  const parsed = parseYaml(file, read.text);
  if (read.encodingError) return { globs: [], errors: [read.encodingError] };
  if (parsed.error) return { globs: [], errors: [parsed.error] };
  const doc = parsed.value;
  const packages = (doc as { packages?: unknown } | null)?.packages;
  if (packages === undefined) return { globs: [], errors: [] };
  if (!Array.isArray(packages) || packages.some((p) => typeof p !== 'string')) {
    return { globs: [], errors: [{ file, field: 'packages', reason: 'wrong-type', message: 'packages must be a list of globs' }] };
  }
  return { globs: packages as string[], errors: [] };
}
