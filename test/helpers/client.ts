/** Registry clients of the caller's own, for verify(): no network, no msw. */
import type { Lookup, RegistryClient } from '../../src/index.js';
import { distilPackument } from '../../src/registry/distil.js';
import { RECENTLY, REGISTRY, packument } from './registry.js';

/** What the client answers for a name: a lookup, a packument (distilled as the registry's), or nothing (a 404). */
type Answer = Lookup | Record<string, unknown> | undefined;

/** A client that answers from `answers` and records every name it was asked, in order, in `asked`. */
export function recordingClient(
  answers: Record<string, Answer> | ((name: string) => Answer),
): RegistryClient & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    registryFor: () => REGISTRY,
    async lookup(name): Promise<Lookup> {
      asked.push(name);
      const answer = typeof answers === 'function' ? answers(name) : answers[name];
      if (!answer) return { state: 'missing', reason: 'not-found' };
      return 'state' in answer ? (answer as Lookup) : distilPackument(name, REGISTRY, answer);
    },
  };
}

/** The packument of a package with these versions and no other fields, first published two months ago. */
export const recentPackument = (name: string, versions: string[]): Record<string, unknown> =>
  packument(name, { versions: Object.fromEntries(versions.map((v) => [v, {}])), releasedFrom: RECENTLY });
