// semver's functions one by one: its index loads all of its ~50 modules.
import type { SemVer } from 'semver';
import gt from 'semver/functions/gt.js';
import gte from 'semver/functions/gte.js';
import parse from 'semver/functions/parse.js';
import type { PackageFacts } from '../model/facts.js';

/**
 * The release before `version`: the highest lower version (stable versions compared with stable
 * ones only, unless `version` is a prerelease itself) that was published before it, when the
 * registry gives publish times. What "this release added X" is judged against.
 */
export function previousRelease(facts: PackageFacts, version: string): string | undefined {
  const current = parse(version);
  if (!current) return undefined;
  const stableOnly = current.prerelease.length === 0;
  const publishedAt = facts.time?.[version];
  let best: SemVer | undefined;
  for (const name of Object.keys(facts.versions)) {
    const candidate = parse(name);
    if (!candidate || (stableOnly && candidate.prerelease.length) || gte(candidate, current)) continue;
    const at = facts.time?.[name];
    if (publishedAt !== undefined && at !== undefined && at > publishedAt) continue; // a backport published later
    if (!best || gt(candidate, best)) best = candidate;
  }
  return best?.version;
}
