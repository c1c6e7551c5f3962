import { makeFinding } from '../model/codes.js';
import type { Finding } from '../model/finding.js';
import { matchesPackagePattern } from '../config/config.js';
import { definePackageCheck } from './check.js';
import { resolveVersion } from '../plan/resolve-version.js';

const MINUTE = 60 * 1000;
/** Without a configured minimum, a version younger than this is still worth a warning. */
const DEFAULT_WARN_MINUTES = 24 * 60;

/** `90 minutes`, `5 hours`, `3 days`: the unit that reads best. */
function formatMinutes(minutes: number): string {
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes < 120) return unit(Math.max(0, Math.floor(minutes)), 'minute');
  if (minutes < 48 * 60) return unit(Math.floor(minutes / 60), 'hour');
  return unit(Math.floor(minutes / (24 * 60)), 'day');
}

/**
 * RELEASE_TOO_NEW: the version that would be installed was published less than
 * `minimumReleaseAge` ago (an error: the project asked for the gate), or, with no gate set, less
 * than 24 hours ago (a warning). Hijacked releases are usually caught and pulled within hours.
 * RELEASE_AGE_UNKNOWN: a gate is set and the registry gave no publish time for the version.
 */
export const checkReleaseAge = definePackageCheck({
  name: 'release-age',
  run({ name, lookup, requests, context }) {
    if (lookup.state !== 'found') return [];
    const policy = context.config.release;
    // An excluded package is trusted as it comes: no gate and no warning.
    if (matchesPackagePattern(name, policy.minimumReleaseAgeExclude)) return [];
    const gate = policy.minimumReleaseAge;
    const limit = gate ?? DEFAULT_WARN_MINUTES;
    const byVersion = new Map<string, Finding>();
    for (const request of requests) {
      const resolution = resolveVersion(lookup.facts, request);
      if (!resolution.ok) continue;
      const version = resolution.version;
      const existing = byVersion.get(version);
      if (existing) {
        existing.locations.push(...request.locations);
        continue;
      }
      const publishedAt = lookup.facts.time?.[version];
      if (publishedAt === undefined) {
        if (gate === null || gate === 0) continue;
        byVersion.set(
          version,
          makeFinding('RELEASE_AGE_UNKNOWN', {
            package: name,
            version,
            message: `${name}@${version}: the registry gave no publish time, so the minimum release age (${formatMinutes(gate)}) could not be checked.`,
            hint: 'Check the publish date by hand, or exclude the package in minimumReleaseAgeExclude.',
            locations: [...request.locations],
            details: { minimumReleaseAge: gate },
          }),
        );
        continue;
      }
      const ageMinutes = (context.now - publishedAt) / MINUTE;
      if (ageMinutes >= limit) continue;
      // Too new: the age is given to the minute, and the finding goes once the limit is reached.
      context.changesAt?.(publishedAt + (Math.floor(ageMinutes) + 1) * MINUTE);
      const published = new Date(publishedAt).toISOString();
      const configured = gate !== null;
      byVersion.set(
        version,
        makeFinding('RELEASE_TOO_NEW', {
          severity: configured ? 'error' : undefined,
          package: name,
          version,
          message: `${name}@${version} was published ${formatMinutes(ageMinutes)} ago (${published})${configured ? `, less than the minimum release age of ${formatMinutes(limit)}${policy.minimumReleaseAgeSource ? ` (${policy.minimumReleaseAgeSource})` : ''}` : ''}.`,
          hint: configured
            ? `Wait until ${new Date(publishedAt + limit * MINUTE).toISOString()}, or pin an older version; add the package to minimumReleaseAgeExclude only if you trust this release.`
            : 'A release this new has had no time to be looked at; hijacked versions are usually pulled within hours. Prefer the previous version, or set minimumReleaseAge to make this a gate.',
          locations: [...request.locations],
          details: { publishedAt: published, ageMinutes: Math.floor(ageMinutes), minimumReleaseAge: limit, configured },
        }),
      );
    }
    return [...byVersion.values()];
  },
});
