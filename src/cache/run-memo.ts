/**
 * The run memo: a run's report, kept with everything the run learnt from outside itself
 * (`scan/observed-fs.ts`: files, listings, the environment it read, the cache entries its registry
 * answers came from) and the moment its answers go stale. A later run with the same options
 * whose observations all still hold, before that moment, gets the report without scanning,
 * loading facts or checking: it would have produced the same one.
 *
 * Kept only for runs that noted all they read: not for incomplete reports (something was
 * unknown, and asking again may answer it), not when the member check or the downloads endpoint
 * ran, not with `--changed-since` (git), `--offline` or a caller's own client. The key is the
 * options, the environment that decides configuration, and the build: a rebuilt depverify
 * (its `dist/build-id.json`) never reads another build's memo.
 */
import { createHash } from 'node:crypto';
import type { Report } from '../model/report.js';
import { isRecord } from '../model/json.js';
import { type Observation, stillHolds, type Witness } from '../scan/observed-fs.js';
import { type CacheKind, DiskCache } from './disk-cache.js';

interface StoredRun {
  /** The key in full: the file name is its hash. */
  key: string;
  /** ms since the epoch: the report is not reused from then on. */
  until: number;
  observations: Observation[];
  report: Report;
}

const KINDS = new Set(['read', 'stat', 'lstat', 'list', 'real', 'exists', 'env', 'entry']);

const isObservation = (o: unknown): o is Observation =>
  Array.isArray(o) &&
  o.length === 3 &&
  KINDS.has(o[0] as string) &&
  typeof o[1] === 'string' &&
  typeof o[2] === 'string';

const RUNS: CacheKind<StoredRun> = {
  name: 'runs',
  version: 1,
  isValid: (stored): stored is StoredRun =>
    isRecord(stored) &&
    typeof stored.key === 'string' &&
    typeof stored.until === 'number' &&
    Array.isArray(stored.observations) &&
    stored.observations.every(isObservation) &&
    isRecord(stored.report) &&
    stored.report.schemaVersion === 1 &&
    Array.isArray(stored.report.findings) &&
    Array.isArray(stored.report.packages),
};

/** Longest a report is reused, whatever its answers say. */
const MAX_AGE = 24 * 60 * 60 * 1000;

export interface RunMemo {
  cacheDir: string;
  /** Everything besides the observations that decides the report (options, environment, build). */
  key: string;
  /** The environment observations of `env` kind are read from. */
  env: NodeJS.ProcessEnv;
}

function entryFile(memo: RunMemo): { store: DiskCache<StoredRun>; file: string } {
  const store = new DiskCache(memo.cacheDir, RUNS);
  return { store, file: store.file(`${createHash('sha256').update(memo.key).digest('hex').slice(0, 32)}.json`) };
}

/** The kept report, if its run's observations all still hold and its answers are fresh. */
export function recallRun(memo: RunMemo, now = Date.now()): Report | undefined {
  const { store, file } = entryFile(memo);
  const stored = store.read(file);
  if (!stored || stored.key !== memo.key || now >= stored.until) return undefined;
  return stillHolds(stored.observations, memo.env) ? stored.report : undefined;
}

/** Keeps `report` when its run noted all it read and it is complete; never throws. */
export async function rememberRun(memo: RunMemo, witness: Witness, report: Report): Promise<boolean> {
  if (witness.unusableBecause !== undefined || report.status === 'incomplete') return false;
  const now = Date.now();
  const until = Math.min(witness.until, now + MAX_AGE);
  if (until <= now) return false;
  const { store, file } = entryFile(memo);
  await store.write(file, { key: memo.key, until, observations: witness.observations, report });
  return true;
}
