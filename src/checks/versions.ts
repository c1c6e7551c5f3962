import { makeFinding } from '../model/codes.js';
import type { Finding } from '../model/finding.js';
import { definePackageCheck } from './check.js';
import { resolveVersion } from '../plan/resolve-version.js';

/** VERSION_NOT_FOUND: a range, tag or locked version that matches no published version. */
export const checkVersions = definePackageCheck({
  name: 'versions',
  run({ name, lookup, requests }) {
    if (lookup.state !== 'found') return [];
    const { facts } = lookup;
    const byWanted = new Map<string, Finding>();
    for (const request of requests) {
      const resolution = resolveVersion(facts, request);
      if (resolution.ok) continue;
      const key = `${resolution.via}\0${resolution.wanted}`;
      const existing = byWanted.get(key);
      if (existing) {
        existing.locations.push(...request.locations);
        continue;
      }
      const latest = facts.distTags.latest;
      const what = resolution.via === 'locked' ? `version ${resolution.wanted} (locked)` : `"${resolution.wanted}"`;
      byWanted.set(
        key,
        makeFinding('VERSION_NOT_FOUND', {
          package: name,
          ...(resolution.via === 'locked' ? { version: resolution.wanted } : {}),
          message: `${name} has no published version matching ${what}.${latest ? ` The latest is ${latest}.` : ''}`,
          hint: latest ? `Use a published version, e.g. ${name}@^${latest}.` : 'Use a published version.',
          locations: [...request.locations],
          details: { wanted: resolution.wanted, via: resolution.via, ...(latest ? { latest } : {}) },
        }),
      );
    }
    return [...byWanted.values()];
  },
});
