import { makeFinding } from '../model/codes.js';
import type { Finding, Location } from '../model/finding.js';
import { INTEGRITY_PREFIX } from '../registry/distil.js';
import { definePackageCheck } from './check.js';

/**
 * LOCKFILE_INTEGRITY_MISMATCH: a lockfile entry whose integrity, for the same algorithm, differs
 * from the registry's `dist.integrity` for the same name and version: the lockfile would install
 * a tarball the registry never published (a hash swapped for another valid one passes every
 * install). Only the registry's own answer decides: an unknown lookup is REGISTRY_UNKNOWN, and a
 * registry that gives no integrity (or another algorithm than the lockfile's) is not compared.
 */
export const checkIntegrityMatch = definePackageCheck({
  name: 'integrity-match',
  run({ name, lookup, requests }) {
    if (lookup.state !== 'found' || !lookup.facts.integrity) return [];
    const byVersion = new Map<string, { locked: string; registry: string; locations: Location[] }>();
    for (const request of requests) {
      if (request.source !== 'lockfile' || !request.integrity || !request.locked) continue;
      const registry = lookup.facts.integrity[request.locked];
      if (!registry) continue;
      const dash = registry.indexOf('-');
      const algorithm = registry.slice(0, dash);
      const prefix = registry.slice(dash + 1);
      const mine = request.integrity
        .trim()
        .split(/\s+/)
        .filter((part) => part.startsWith(`${algorithm}-`))
        .map((part) => part.slice(algorithm.length + 1).replace(/\?.*$/, ''))
        .filter((digest) => digest.length >= INTEGRITY_PREFIX);
      // Another algorithm only: nothing to compare (LOCKFILE_WEAK_INTEGRITY speaks of sha1).
      if (!mine.length || mine.some((digest) => digest.startsWith(prefix))) continue;
      const key = `${request.locked}\0${request.integrity}`;
      const entry = byVersion.get(key) ?? { locked: request.integrity, registry, locations: [] };
      entry.locations.push(...request.locations);
      byVersion.set(key, entry);
    }
    const findings: Finding[] = [];
    for (const [key, entry] of byVersion) {
      const version = key.slice(0, key.indexOf('\0'));
      const shown =
        entry.locked.split(/\s+/).find((p) => p.startsWith(entry.registry.slice(0, entry.registry.indexOf('-') + 1))) ??
        entry.locked;
      findings.push(
        makeFinding('LOCKFILE_INTEGRITY_MISMATCH', {
          package: name,
          version,
          message: `The lockfile's integrity for ${name}@${version} (${shown.slice(0, 30)}…) is not the registry's (${entry.registry}…): it would install a tarball the registry did not publish.`,
          hint: `Do not install from this lockfile entry; regenerate it (npm install ${name}@${version}) and review where the changed hash came from.`,
          locations: entry.locations,
          details: { lockfile: entry.locked, registry: entry.registry },
        }),
      );
    }
    return findings;
  },
});
