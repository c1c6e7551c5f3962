import { makeFinding } from '../model/codes.js';
import type { Finding } from '../model/finding.js';
import { matchesPackagePattern } from '../config/config.js';
import { definePackageCheck } from './check.js';
import { resolveVersion } from '../plan/resolve-version.js';

/**
 * INSTALL_SCRIPT_NOT_ALLOWED: with an `installScripts.allow` list (or pnpm's
 * onlyBuiltDependencies), a locked package that runs an install script and is not on it. Without
 * a list nothing is reported; the report's `installScripts` lists them all either way.
 */
export const checkInstallScripts = definePackageCheck({
  name: 'install-scripts',
  run({ name, lookup, requests, context }) {
    const allow = context.config.release.installScriptsAllow;
    if (lookup.state !== 'found' || allow === null || matchesPackagePattern(name, allow)) return [];
    const byVersion = new Map<string, Finding>();
    for (const request of requests) {
      if (request.source !== 'lockfile') continue;
      const resolution = resolveVersion(lookup.facts, request);
      if (!resolution.ok || !lookup.facts.versions[resolution.version]?.hasInstallScript) continue;
      const existing = byVersion.get(resolution.version);
      if (existing) existing.locations.push(...request.locations);
      else
        byVersion.set(
          resolution.version,
          makeFinding('INSTALL_SCRIPT_NOT_ALLOWED', {
            package: name,
            version: resolution.version,
            message: `${name}@${resolution.version} runs an install script and is not in installScripts.allow.`,
            hint: `Review what its script does; add ${name} to installScripts.allow (or pnpm's onlyBuiltDependencies) if it needs it, or install with --ignore-scripts.`,
            locations: [...request.locations],
          }),
        );
    }
    return [...byVersion.values()];
  },
});
