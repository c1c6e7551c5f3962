/** PackageInputs for the package checks: a package `pkg` asked for by the manifest or the lockfile. */
import type { PackageInput } from '../../src/checks/check.js';
import type { Lookup } from '../../src/model/facts.js';
import type { PackageRequest } from '../../src/model/request.js';
import { distilPackument } from '../../src/registry/distil.js';
import { checkContext, popularity } from './model.js';
import { REGISTRY } from './registry.js';

/** `pkg` declared in package.json at this range, at this line. */
export const manifestAt = (wanted: string, line = 5): PackageRequest => ({
  name: 'pkg',
  wanted,
  source: 'manifest',
  locations: [{ file: 'package.json', line, field: 'dependencies.pkg' }],
});

/** `pkg` locked in package-lock.json at this version. */
export const lockedAt = (locked: string): PackageRequest => ({
  name: 'pkg',
  locked,
  source: 'lockfile',
  locations: [{ file: 'package-lock.json', line: 9, field: 'node_modules/pkg' }],
});

/** The input of a package check for `pkg`, with these "did you mean" suggestions. */
export function input(lookup: Lookup, requests: PackageRequest[], suggestions: string[] = []): PackageInput {
  return {
    name: 'pkg',
    lookup,
    requests,
    suggest: () => suggestions.map((name) => ({ name, downloads: 1000 })),
    popularity: popularity(),
    context: checkContext(),
  };
}

/** The lookup of `pkg` from this packument. */
export const found = (doc: Record<string, unknown>): Lookup => distilPackument('pkg', REGISTRY, doc);
