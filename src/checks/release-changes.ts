import { makeFinding } from '../model/codes.js';
import type { PackageFacts } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import type { PackageRequest } from '../model/request.js';
import { matchesPackagePattern } from '../config/config.js';
import { definePackageCheck } from './check.js';
import { previousRelease } from './previous-release.js';
import { resolveVersion } from '../plan/resolve-version.js';

/** Each version the requests would install, with the requests that lead to it. */
function installed(facts: PackageFacts, requests: PackageRequest[]): Map<string, PackageRequest[]> {
  const out = new Map<string, PackageRequest[]>();
  for (const request of requests) {
    const resolution = resolveVersion(facts, request);
    if (!resolution.ok) continue;
    const list = out.get(resolution.version);
    if (list) list.push(request);
    else out.set(resolution.version, [request]);
  }
  return out;
}

/** The newest version below `version` that had build provenance. */
function lastWithProvenance(facts: PackageFacts, version: string): string | undefined {
  for (let v = previousRelease(facts, version); v !== undefined; v = previousRelease(facts, v))
    if (facts.versions[v]?.provenance) return v;
  return undefined;
}

/**
 * What a release changed that an account takeover changes: PROVENANCE_LOST when the version has
 * no build provenance although the release before it had (a version published by hand, not by
 * the project's CI); INSTALL_SCRIPT_ADDED when it runs an install script the release before it
 * did not. The second is an error on a lockfile change checked with --changed-since.
 */
export const checkReleaseChanges = definePackageCheck({
  name: 'release-changes',
  run({ name, lookup, requests, context }) {
    if (lookup.state !== 'found') return [];
    const { facts } = lookup;
    const findings: Finding[] = [];
    // The release before is looked up only where it can matter: a version without provenance
    // of a package that has some, or one with an install script (most packages are neither).
    let someProvenance: boolean | undefined;
    const hasProvenance = (): boolean =>
      (someProvenance ??= Object.values(facts.versions).some((v) => v.provenance === true));
    for (const [version, from] of installed(facts, requests)) {
      const current = facts.versions[version];
      if (!current || (!current.hasInstallScript && (current.provenance || !hasProvenance()))) continue;
      const previous = previousRelease(facts, version);
      if (previous === undefined) continue;
      const before = facts.versions[previous];
      const locations = from.flatMap((r) => r.locations);
      if (!current.provenance && before?.provenance) {
        findings.push(
          makeFinding('PROVENANCE_LOST', {
            package: name,
            version,
            message: `${name}@${version} has no build provenance, but ${name}@${previous} before it had.`,
            hint: `A release published without the project's CI can be a taken-over account. Compare it with ${previous} (its repository, its changes) before installing, or stay on ${previous}.`,
            locations,
            details: { previous, lastWithProvenance: lastWithProvenance(facts, version) ?? previous },
          }),
        );
      }
      const allowed = matchesPackagePattern(name, context.config.release.installScriptsAllow ?? []);
      if (current.hasInstallScript && before && !before.hasInstallScript && !allowed) {
        const onLockfileChange = context.changedSince !== undefined && from.some((r) => r.source === 'lockfile');
        findings.push(
          makeFinding('INSTALL_SCRIPT_ADDED', {
            severity: onLockfileChange ? 'error' : undefined,
            package: name,
            version,
            message: `${name}@${version} runs an install script (preinstall, install or postinstall) that ${name}@${previous} did not.`,
            hint: `Read the script in the package before installing it, or stay on ${previous}; install with --ignore-scripts meanwhile. Allow it in installScripts.allow once reviewed.`,
            locations,
            details: { previous, ...(onLockfileChange ? { changedSince: context.changedSince } : {}) },
          }),
        );
      }
    }
    return findings;
  },
});
