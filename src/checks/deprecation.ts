import { makeFinding } from '../model/codes.js';
import type { Finding } from '../model/finding.js';
import { sanitize } from '../model/sanitize.js';
import { definePackageCheck } from './check.js';
import { replacementIn } from './replacement.js';
import { resolveVersion } from '../plan/resolve-version.js';

/**
 * DEPRECATED: the version that would be installed is deprecated. When the latest version is
 * deprecated too, the whole package is (that is what `npm deprecate pkg "…"` leaves behind).
 */
export const checkDeprecation = definePackageCheck({
  name: 'deprecation',
  run({ name, lookup, requests }) {
    if (lookup.state !== 'found') return [];
    const { facts } = lookup;
    const latest = facts.distTags.latest;
    const packageWide = latest !== undefined && facts.versions[latest]?.deprecated !== undefined;
    const byVersion = new Map<string, Finding>();
    for (const request of requests) {
      const resolution = resolveVersion(facts, request);
      if (!resolution.ok) continue;
      const raw = facts.versions[resolution.version]?.deprecated;
      if (raw === undefined) continue;
      const existing = byVersion.get(resolution.version);
      if (existing) {
        existing.locations.push(...request.locations);
        continue;
      }
      const message = sanitize(raw, 300);
      const replacement = replacementIn(message, name);
      byVersion.set(
        resolution.version,
        makeFinding('DEPRECATED', {
          package: name,
          version: resolution.version,
          message: packageWide
            ? `${name} is deprecated: "${message}"`
            : `${name}@${resolution.version} is deprecated: "${message}"`,
          hint: replacement
            ? `Replace it with ${replacement}, which the deprecation message names (check that it is the package you expect).`
            : packageWide || latest === undefined
              ? 'Replace the package; the deprecation message usually names the successor.'
              : `Upgrade: ${name}@${latest} is not deprecated.`,
          locations: [...request.locations],
          details: {
            scope: packageWide ? 'package' : 'version',
            deprecation: message,
            ...(latest ? { latest } : {}),
            ...(replacement ? { replacement } : {}),
          },
        }),
      );
    }
    return [...byVersion.values()];
  },
});
