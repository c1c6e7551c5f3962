// semver's functions one by one: its index loads all of its ~50 modules.
import type { SemVer } from 'semver';
import compare from 'semver/functions/compare.js';
import parse from 'semver/functions/parse.js';
import type { PackageFacts } from '../model/facts.js';

interface Release {
  major: number;
  minor: number;
  patch: number;
  prerelease: ReadonlyArray<string | number>;
  /** The normalised version (what semver's `version` gives). */
  version: string;
  parsed?: SemVer;
}

// Most versions are plain `x.y.z`: read without semver's parser, which a warm run would
// otherwise call for every version of every package (its numbers stay well within safe integers).
const PLAIN = /^(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.(0|[1-9]\d{0,14})$/;

function release(name: string): Release | undefined {
  const plain = PLAIN.exec(name);
  if (plain)
    return { major: Number(plain[1]), minor: Number(plain[2]), patch: Number(plain[3]), prerelease: [], version: name };
  const parsed = parse(name);
  return parsed
    ? {
        major: parsed.major,
        minor: parsed.minor,
        patch: parsed.patch,
        prerelease: parsed.prerelease,
        version: parsed.version,
        parsed,
      }
    : undefined;
}

/** semver's order (build metadata ignored); semver itself only when a prerelease decides. */
function compareReleases(a: Release, b: Release): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  if (!a.prerelease.length && !b.prerelease.length) return 0;
  return compare((a.parsed ??= parse(a.version)!), (b.parsed ??= parse(b.version)!));
}

/**
 * The release before `version`: the highest lower version (stable versions compared with stable
 * ones only, unless `version` is a prerelease itself) that was published before it, when the
 * registry gives publish times. What "this release added X" is judged against.
 */
export function previousRelease(facts: PackageFacts, version: string): string | undefined {
  const current = release(version);
  if (!current) return undefined;
  const stableOnly = current.prerelease.length === 0;
  const publishedAt = facts.time?.[version];
  let best: Release | undefined;
  for (const name of Object.keys(facts.versions)) {
    const candidate = release(name);
    if (!candidate || (stableOnly && candidate.prerelease.length) || compareReleases(candidate, current) >= 0) continue;
    const at = facts.time?.[name];
    if (publishedAt !== undefined && at !== undefined && at > publishedAt) continue; // a backport published later
    if (!best || compareReleases(candidate, best) > 0) best = candidate;
  }
  return best?.version;
}
