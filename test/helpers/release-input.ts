/**
 * Inputs for the checks that judge a version by when it was published and what changed since the
 * release before it (release age, release changes, install scripts, deprecation as evidence).
 */
import type { PackageInput } from '../../src/checks/check.js';
import type { Lookup, PackageFacts } from '../../src/model/facts.js';
import type { PackageRequest } from '../../src/model/request.js';
import { distilPackument } from '../../src/registry/distil.js';
import type { DepverifyConfigInput } from '../../src/config/config.js';
import { checkContext, popularity } from './model.js';
import { REGISTRY, packument } from './registry.js';

/** The time these inputs are judged at. */
const NOW = Date.UTC(2026, 10, 1, 12);
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;
/** The ISO time `ms` before NOW. */
export const at = (ms: number): string => new Date(NOW - ms).toISOString();

/** `name` locked in package-lock.json at this version, line 7. */
export const locked = (version: string, name = 'pkg'): PackageRequest => ({
  name,
  locked: version,
  source: 'lockfile',
  locations: [{ file: 'package-lock.json', line: 7, field: `node_modules/${name}` }],
});

/** `pkg` declared in package.json at this range, line 4. */
export const declared = (wanted: string): PackageRequest => ({
  name: 'pkg',
  wanted,
  source: 'manifest',
  locations: [{ file: 'package.json', line: 4, field: 'dependencies.pkg' }],
});

export interface PublishedVersion {
  /** Milliseconds before NOW the version was published. */
  age: number;
  provenance?: boolean;
  scripts?: Record<string, string>;
  deprecated?: string;
}

/** A packument whose versions were published at the given ages, with per-version dist extras. */
export function publishedDoc(
  name: string,
  versions: Record<string, PublishedVersion>,
  extra: Record<string, unknown> = {},
) {
  const d = packument(name, {
    versions: Object.fromEntries(
      Object.entries(versions).map(([v, s]) => [
        v,
        { ...(s.scripts ? { scripts: s.scripts } : {}), ...(s.deprecated ? { deprecated: s.deprecated } : {}) },
      ]),
    ),
    extra,
  }) as {
    versions: Record<string, { dist: Record<string, unknown> }>;
    time: Record<string, string>;
  };
  for (const [v, s] of Object.entries(versions)) {
    d.time[v] = at(s.age);
    if (s.provenance)
      d.versions[v]!.dist.attestations = {
        url: `${REGISTRY}-/npm/v1/attestations/${name}@${v}`,
        provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
      };
  }
  return d;
}

/** The input of a package check judged at NOW, with this configuration and popular-index rows. */
export function releaseInput(
  lookup: Lookup,
  requests: PackageRequest[],
  config: DepverifyConfigInput = {},
  extra: { changedSince?: string; rows?: Array<[string, number]> } = {},
): PackageInput {
  const facts = lookup.state === 'found' ? lookup.facts : undefined;
  return {
    name: facts?.name ?? 'pkg',
    lookup,
    requests,
    suggest: () => [],
    popularity: popularity(extra.rows ?? []),
    context: { ...checkContext(config), now: NOW, ...(extra.changedSince ? { changedSince: extra.changedSince } : {}) },
  };
}

/** The lookup of `name` from this packument. */
export const foundAs = (d: unknown, name = 'pkg'): Lookup => distilPackument(name, REGISTRY, d);
/** The facts of a found lookup. */
export const factsOf = (l: Lookup): PackageFacts => {
  if (l.state !== 'found') throw new Error(`not found: ${l.state}`);
  return l.facts;
};
