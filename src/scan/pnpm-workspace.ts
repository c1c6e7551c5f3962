import { isStringArray } from '../model/json.js';
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
    return {
      globs: [],
      errors: [{ file, field: 'packages', reason: 'wrong-type', message: 'packages must be a list of globs' }],
    };
  }
  return { globs: packages as string[], errors: [] };
}

/** pnpm's own supply-chain settings in pnpm-workspace.yaml, which depverify honours too. */
export interface PnpmSupplyChainSettings {
  /** Minutes, as pnpm counts them. */
  minimumReleaseAge?: number;
  minimumReleaseAgeExclude?: string[];
  /** Packages pnpm lets run install scripts. */
  onlyBuiltDependencies?: string[];
}

export async function readPnpmSupplyChainSettings(
  root: string,
): Promise<{ settings: PnpmSupplyChainSettings; errors: InputError[] }> {
  const file = 'pnpm-workspace.yaml';
  const read = await readText(root, file);
  if (!('text' in read)) return { settings: {}, errors: [] };
  const { parseYaml } = await import('./yaml-lines.js');
  const parsed = parseYaml(file, read.text);
  // Unreadable or unparsable: readPnpmWorkspaceGlobs reports it once.
  if (parsed.error || typeof parsed.value !== 'object' || parsed.value === null) return { settings: {}, errors: [] };
  const doc = parsed.value as Record<string, unknown>;
  const settings: PnpmSupplyChainSettings = {};
  const errors: InputError[] = [];
  const wrong = (field: string, expected: string): void => {
    errors.push({ file, field, reason: 'wrong-type', message: `${field} must be ${expected}` });
  };
  const list = (field: 'minimumReleaseAgeExclude' | 'onlyBuiltDependencies'): void => {
    const value = doc[field];
    if (value === undefined) return;
    if (isStringArray(value)) settings[field] = value;
    else wrong(field, 'a list of package names');
  };
  if (doc.minimumReleaseAge !== undefined) {
    if (typeof doc.minimumReleaseAge === 'number' && doc.minimumReleaseAge >= 0)
      settings.minimumReleaseAge = doc.minimumReleaseAge;
    else wrong('minimumReleaseAge', 'a number of minutes');
  }
  list('minimumReleaseAgeExclude');
  list('onlyBuiltDependencies');
  return { settings, errors };
}
