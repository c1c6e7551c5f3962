import type { Popularity } from './checks/index.js';
import { loadPopularHead, loadPopularIndex, type PopularIndex } from './data/popular-index.js';
import { buildSquatTargets, type SquatTargets } from './data/typosquat.js';
import type { DownloadsAnswer } from './registry/downloads.js';

export interface PopularitySource extends Popularity {
  /** The whole index, loaded on first use; false when turned off or unreadable. */
  index(): PopularIndex | false;
  /** Counts from the downloads endpoint, which take precedence over the index. */
  addDownloads(answers: ReadonlyMap<string, DownloadsAnswer>): void;
}

const targetsByFloor = new Map<number, SquatTargets>();

/**
 * Popularity for one run. The squat targets come from the head of the index (the names above
 * the target floor), which loads in milliseconds; the whole index only when a name's own count is
 * needed, which the squatting check asks for rarely.
 */
export function createPopularity(given: PopularIndex | false | undefined, minTargetDownloads: number): PopularitySource {
  let index = given;
  let targets: SquatTargets | false | undefined = given === false ? false : undefined;
  const api = new Map<string, number>();
  const loadIndex = (): PopularIndex | false => {
    if (index === undefined) {
      // Popularity only adds evidence: an index that cannot be read costs that evidence, never a
      // finding or the run.
      try {
        index = loadPopularIndex();
      } catch {
        index = false;
      }
    }
    return index;
  };
  const loadTargets = (): SquatTargets | false => {
    if (targets !== undefined) return targets;
    try {
      if (given) {
        const rows = given.names.filter((n) => (given.downloads(n) ?? 0) >= minTargetDownloads).map((n) => [n, given.downloads(n)!] as const);
        targets = buildSquatTargets(rows);
      } else {
        targets = targetsByFloor.get(minTargetDownloads) ?? buildSquatTargets(loadPopularHead(minTargetDownloads));
        targetsByFloor.set(minTargetDownloads, targets);
      }
    } catch {
      targets = false;
    }
    return targets;
  };
  return {
    index: loadIndex,
    addDownloads(answers) {
      for (const [name, answer] of answers) if (answer.state === 'known') api.set(name, answer.downloads);
    },
    downloads(name) {
      const fromApi = api.get(name);
      if (fromApi !== undefined) return { count: fromApi, source: 'downloads-api' };
      const full = loadIndex();
      if (!full) return { source: 'index' };
      const count = full.downloads(name);
      return count === undefined ? { source: 'index', inIndex: false } : { count, source: 'index', inIndex: true };
    },
    squatCandidates(name) {
      const t = loadTargets();
      if (!t) return [];
      // A scope is in use when any indexed package has it; asked only for popular unscoped names
      // under a scope the targets do not use, so the whole index loads only then.
      return t.candidates(name, (scope) => {
        const full = loadIndex();
        return full ? full.scopeSize(scope) > 0 : true;
      });
    },
  };
}
