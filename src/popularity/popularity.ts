import { statSync } from 'node:fs';
import { type CacheKind, DiskCache } from '../cache/disk-cache.js';
import { isRecord } from '../model/json.js';
import { DEFAULT_INDEX_FILE, loadPopularHead, loadPopularIndex, type PopularIndex } from './popular-index.js';
import { buildSquatTargets, isSquatRule, type SquatCandidate, type SquatTargets } from './typosquat.js';
import type { DownloadsAnswer } from './downloads.js';

/** How much a name is used, for the squatting check. */
export interface Popularity {
  /**
   * Monthly downloads: from the configured downloads endpoint when it answered, else from the
   * shipped index. `count` is undefined when neither knows; `inIndex: false` then means fewer
   * downloads than the index's floor.
   */
  downloads(name: string): { count?: number; source: 'downloads-api' | 'index'; inIndex?: boolean };
  /** Popular names `name` could be mistaken for, before any judgement of its own popularity. */
  squatCandidates(name: string): SquatCandidate[];
}

export interface PopularitySource extends Popularity {
  /** The whole index, loaded on first use; false when turned off or unreadable. */
  index(): PopularIndex | false;
  /** Counts from the downloads endpoint, which take precedence over the index. */
  addDownloads(answers: ReadonlyMap<string, DownloadsAnswer>): void;
  /** Writes what this run worked out to the memo, if there is one and anything is new. */
  save(): void;
}

export interface PopularityOptions {
  /** The index; undefined: the shipped one; false: none (no suggestions, no squat judgements). */
  index?: PopularIndex | false;
  minTargetDownloads: number;
  /**
   * A directory to remember each name's squat candidates and index count in, keyed by the shipped
   * index file and the target floor. Only for the shipped index, whose file identifies it.
   */
  memoDir?: string;
}

/** Per name: its candidates as [target, downloads, rule] and its count in the index (null: absent). */
interface MemoEntry {
  c?: Array<[string, number, SquatCandidate['rule']]>;
  o?: number | null;
}

/** The memo as stored: name → entry; entries are checked one by one (isMemoEntry). */
const MEMO: CacheKind<Record<string, unknown>> = { name: 'squat-memo', version: 1, isValid: isRecord };
const targetsByFloor = new Map<number, SquatTargets>();

/**
 * Popularity for one run. Squat targets come from the head of the index (the names above the
 * target floor); the whole index loads only when a name's own count is needed. Both cost about
 * 0.3 s on a cold process, so what they give is remembered per name on disk: a warm run of a
 * large lockfile reads one small file instead.
 */
export function createPopularity(options: PopularityOptions): PopularitySource {
  const given = options.index;
  const { minTargetDownloads } = options;
  let index = given;
  let targets: SquatTargets | false | undefined = given === false ? false : undefined;
  const api = new Map<string, number>();
  const store = given === undefined && options.memoDir ? new DiskCache(options.memoDir, MEMO) : undefined;
  const memoFile = store ? memoPath(store, minTargetDownloads) : undefined;
  let memo: Map<string, MemoEntry> | undefined;
  let dirty = false;
  const remembered = (): Map<string, MemoEntry> => {
    if (!memo) {
      // Missing or damaged (read answers undefined): worked out again and rewritten.
      const stored = memoFile ? store!.read(memoFile) : undefined;
      memo = new Map(stored ? Object.entries(stored).filter(isMemoEntry) : []);
    }
    return memo;
  };
  const note = (name: string, entry: MemoEntry): void => {
    if (!memoFile) return;
    remembered().set(name, { ...remembered().get(name), ...entry });
    dirty = true;
  };

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
        const rows = given.names
          .filter((n) => (given.downloads(n) ?? 0) >= minTargetDownloads)
          .map((n) => [n, given.downloads(n)!] as const);
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
      const known = memoFile ? remembered().get(name)?.o : undefined;
      if (known !== undefined)
        return known === null ? { source: 'index', inIndex: false } : { count: known, source: 'index', inIndex: true };
      const full = loadIndex();
      if (!full) return { source: 'index' };
      const count = full.downloads(name);
      note(name, { o: count ?? null });
      return count === undefined ? { source: 'index', inIndex: false } : { count, source: 'index', inIndex: true };
    },
    squatCandidates(name) {
      const known = memoFile ? remembered().get(name)?.c : undefined;
      if (known) return known.map(([target, downloads, rule]) => ({ target, downloads, rule }));
      const t = loadTargets();
      if (!t) return [];
      // A scope is in use when any indexed package has it; asked only for popular unscoped names
      // under a scope the targets do not use, so the whole index loads only then.
      let guessed = false;
      const candidates = t.candidates(name, (scope) => {
        const full = loadIndex();
        if (!full) guessed = true;
        return full ? full.scopeSize(scope) > 0 : true;
      });
      // Without the index a scope was taken to be in use: not an answer to keep for later runs.
      if (!guessed) note(name, { c: candidates.map((c) => [c.target, c.downloads, c.rule]) });
      return candidates;
    },
    save() {
      if (!memoFile || !dirty || !memo) return;
      // A memo that cannot be written only costs the next run time.
      if (store!.writeSync(memoFile, Object.fromEntries(memo))) dirty = false;
    },
  };
}

/** A damaged entry is dropped (and worked out again), never served: a string where a list was crashed the run. */
function isMemoEntry(pair: [string, unknown]): pair is [string, MemoEntry] {
  const entry = pair[1] as { c?: unknown; o?: unknown } | null;
  if (typeof entry !== 'object' || entry === null) return false;
  const candidate = (c: unknown): boolean =>
    Array.isArray(c) && typeof c[0] === 'string' && typeof c[1] === 'number' && isSquatRule(c[2]);
  return (
    (entry.c === undefined || (Array.isArray(entry.c) && entry.c.every(candidate))) &&
    (entry.o === undefined || entry.o === null || typeof entry.o === 'number')
  );
}

/** Named by the index file's size and modification time, so a new index starts a new memo. */
function memoPath(store: DiskCache<Record<string, unknown>>, floor: number): string | undefined {
  try {
    const stat = statSync(DEFAULT_INDEX_FILE);
    return store.file(`${stat.size}-${Math.floor(stat.mtimeMs)}-${floor}.json`);
  } catch {
    return undefined;
  }
}
