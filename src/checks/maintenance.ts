import { makeFinding } from '../model/codes.js';
import { type Severity, sortLocations } from '../model/finding.js';
import { sanitize } from '../model/sanitize.js';
import type { MaintenancePolicy } from '../config/config.js';
import { definePackageCheck } from './check.js';
import { resolveVersion } from '../plan/resolve-version.js';

const DAY = 24 * 60 * 60 * 1000;

function severityFor(days: number, policy: MaintenancePolicy): Severity | undefined {
  if (policy.errorAfterDays !== null && days >= policy.errorAfterDays) return 'error';
  if (days >= policy.warnAfterDays) return 'warning';
  if (days >= policy.infoAfterDays) return 'info';
  return undefined;
}

function describeAge(days: number): string {
  const [count, unit] =
    days >= 365 ? [Math.floor(days / 365), 'year'] : days >= 60 ? [Math.floor(days / 30), 'month'] : [days, 'day'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * UNMAINTAINED: no release of any version for longer than the maintenance policy allows. Only for
 * packages the project uses directly: transitive lockfile entries are other people's choices, and
 * on a large project they would bury the findings the project can act on.
 */
export const checkMaintenance = definePackageCheck({
  name: 'maintenance',
  run({ name, lookup, requests, context }) {
    if (lookup.state !== 'found') return [];
    const direct = requests.filter((r) => r.source !== 'lockfile');
    if (direct.length === 0) return [];
    const { facts } = lookup;
    // The public registry always sends `time.created`. Some mirrors strip the time object and fill
    // in per-version times with the moment they synced, so without `created` the times cannot be
    // trusted; a package is never called old on times that may be invented.
    if (facts.created === undefined) return [];
    const time = facts.time; // built lazily from the cache: read once
    if (!time) return [];
    // The newest release of any version, not only `latest`: a backport on an old major still
    // means someone maintains the package.
    let last: number | undefined;
    for (const version of Object.keys(facts.versions)) {
      const at = time[version];
      if (at !== undefined && (last === undefined || at > last)) last = at;
    }
    if (last === undefined) return [];
    const days = Math.floor((context.now - last) / DAY);
    const policy = context.config.maintenance;
    const severity = severityFor(days, policy);
    // Nothing to say until the next threshold (the policy need not list them in order); then
    // the count of days moves on daily.
    const next = [policy.infoAfterDays, policy.warnAfterDays, policy.errorAfterDays].filter(
      (d): d is number => d !== null && d > days,
    );
    context.changesAt?.(severity ? last + (days + 1) * DAY : last + Math.min(...next, Number.POSITIVE_INFINITY) * DAY);
    if (!severity) return [];

    // Of the versions the direct requests would install, the one furthest behind.
    let installed: { version: string; at: number } | undefined;
    for (const request of direct) {
      const resolution = resolveVersion(facts, request);
      if (!resolution.ok) continue;
      const at = time[resolution.version];
      if (at !== undefined && (!installed || at < installed.at)) installed = { version: resolution.version, at };
    }
    const lastRelease = new Date(last).toISOString();
    const repository = facts.repository === undefined ? undefined : sanitize(facts.repository, 200);
    const finding = makeFinding('UNMAINTAINED', {
      severity,
      package: name,
      message: `${name} has had no release for ${describeAge(days)} (last: ${lastRelease.slice(0, 10)}).`,
      hint: `Check ${repository ?? 'its repository'} for recent activity and open issues before relying on it; a small, finished package can be fine without releases.`,
      locations: sortLocations(direct.flatMap((r) => r.locations)),
      details: {
        lastRelease,
        daysSinceLastRelease: days,
        ...(installed
          ? { installedVersion: installed.version, installedReleasedAt: new Date(installed.at).toISOString() }
          : {}),
        ...(repository ? { repository } : {}),
      },
    });
    return [finding];
  },
});
