/** Registry clients of the caller's own, for verify(): no network, no msw. */
import { type Lookup, type RegistryClient, type Report, verify } from '../../src/index.js';
import { distilPackument } from '../../src/registry/distil.js';
import { type FileMap, writeTree } from './fixture.js';
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

/**
 * verify() of a new folder holding `files`, without the member check, the popular-package index or
 * a cache, against a client that knows only the names in `known` (1.0.0 and 4.21.2 of each).
 */
export async function verifyWithKnown(
  files: FileMap,
  known: string[],
  config?: Record<string, unknown>,
): Promise<{ report: Report; asked: string[] }> {
  const client = recordingClient((name) =>
    known.includes(name) ? recentPackument(name, ['1.0.0', '4.21.2']) : undefined,
  );
  const report = await verify({
    root: await writeTree(files),
    client,
    popularIndex: false,
    cacheDir: false,
    types: false,
    ...(config ? { config } : {}),
  });
  return { report, asked: client.asked };
}
