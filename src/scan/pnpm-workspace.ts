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
  let doc: unknown;
  try {
    // Loaded only for pnpm projects.
    const { parse } = await import('yaml');
    doc = parse(read.text);
  } catch (error) {
    const line = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    const message = `invalid YAML: ${String((error as Error).message).split('\n')[0]}`;
    return { globs: [], errors: [{ file, message, ...(line ? { line: line.line, column: line.col } : {}) }] };
  }
  const packages = (doc as { packages?: unknown } | null)?.packages;
  if (packages === undefined) return { globs: [], errors: [] };
  if (!Array.isArray(packages) || packages.some((p) => typeof p !== 'string')) {
    return { globs: [], errors: [{ file, field: 'packages', reason: 'wrong-type', message: 'packages must be a list of globs' }] };
  }
  return { globs: packages as string[], errors: [] };
}
