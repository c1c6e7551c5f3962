import { makeFinding } from '../model/codes.js';
import type { Finding, Location } from '../model/finding.js';
import { sanitize } from '../model/sanitize.js';
import type { PopularityQuestions } from '../popularity/prepare.js';
import { definePackageCheck, type PackageInput } from './check.js';

const locationsOf = (requests: { locations: Location[] }[]): Location[] => requests.flatMap((r) => r.locations);

/** NOT_FOUND, UNPUBLISHED, SECURITY_HOLDING and REGISTRY_UNKNOWN: can the package be had at all? */
export const checkExistence = definePackageCheck({
  name: 'existence',
  run({ name, lookup, requests, suggest }) {
    const locations = locationsOf(requests);
    if (lookup.state === 'found') return [];
    if (lookup.state === 'unknown') {
      const reason = sanitize(lookup.reason, 200);
      return [
        makeFinding('REGISTRY_UNKNOWN', {
          package: name,
          message: `Could not check ${name}: ${reason}.`,
          hint: 'Nothing is claimed about this package. Run again, or check the registry, proxy and auth settings.',
          locations,
          details: { reason },
        }),
      ];
    }
    const suggestions = suggest(name);
    const didYouMean = suggestions.length ? ` Did you mean ${suggestions.map((s) => s.name).join(', ')}?` : '';
    const suggested = suggestions.length ? { suggestions } : {};
    let finding: Finding;
    switch (lookup.reason) {
      case 'not-found':
        finding = makeFinding('NOT_FOUND', {
          package: name,
          message: `${name} does not exist on the registry.${didYouMean}`,
          hint: 'Do not install it: a name an assistant invented can be registered by an attacker. Fix the name or remove the dependency.',
          locations,
          details: { reason: lookup.reason, ...suggested },
        });
        break;
      case 'unpublished':
        finding = makeFinding('UNPUBLISHED', {
          package: name,
          message: `${name} was unpublished: no version can be installed.${didYouMean}`,
          hint: 'Remove the dependency or replace it with a maintained package.',
          locations,
          details: {
            reason: lookup.reason,
            ...suggested,
            ...(lookup.unpublishedAt ? { unpublishedAt: lookup.unpublishedAt } : {}),
          },
        });
        break;
      case 'security-holding':
        finding = makeFinding('SECURITY_HOLDING', {
          package: name,
          message: `${name} was removed by npm for malicious code and replaced by a security holding package.${didYouMean}`,
          hint: 'Remove the dependency; if it was ever installed, treat that machine and its credentials as compromised.',
          locations,
          details: { reason: lookup.reason, ...suggested },
        });
        break;
    }
    return [finding];
  },
});

/** run() asks for suggestions for every name the registry has no installable package of. */
export function existenceQuestions({ name, lookup }: PackageInput): PopularityQuestions {
  return { name, suggestions: lookup.state !== 'found' && lookup.state !== 'unknown' };
}
