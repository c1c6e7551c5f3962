import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { type CacheKind, DiskCache } from '../cache/disk-cache.js';
import { isRecord, isStringArray } from '../model/json.js';
import { noteCacheEntry } from '../scan/observed-fs.js';
import type { MissingReason, PackageFacts, VersionFacts } from '../model/facts.js';

const MISSING_REASONS = new Set<string>(['not-found', 'unpublished', 'security-holding'] satisfies MissingReason[]);

/** Bump the version when the shape of PackageFacts changes: old entries are then ignored, not misread. */
const FACTS: CacheKind<StoredEntry> = { name: 'facts', version: 9, isValid: isStoredEntry };

/** A cached, known answer. Unknown answers are never cached. */
export interface CacheEntry {
  fetchedAt: number;
  etag?: string;
  lastModified?: string;
  answer:
    | { state: 'found'; facts: PackageFacts }
    | { state: 'missing'; reason: MissingReason; facts?: PackageFacts; unpublishedAt?: string };
}

/** The user's cache directory, as each platform names it; DEPVERIFY_CACHE_DIR overrides. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DEPVERIFY_CACHE_DIR) return env.DEPVERIFY_CACHE_DIR;
  const home = os.homedir();
  if (process.platform === 'win32')
    return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'depverify', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'depverify');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'depverify');
}

/**
 * On disk, versions are parallel arrays (names, an index into a table of distinct per-version
 * facts, publish times) rather than objects keyed by version: most versions of a package share
 * one licence and nothing else, and a warm run parses a thousand entries, so fewer objects is
 * most of its time. Publish times are turned back into a map only when something reads them.
 */
interface StoredFacts extends Omit<PackageFacts, 'versions' | 'time' | 'signatures' | 'integrity'> {
  /** Per version, the shortened integrity (null: none). */
  versionIntegrity?: Array<string | null>;
  versionNames: string[];
  versionRefs: number[];
  versionTable: VersionFacts[];
  versionTimes?: Array<number | null>;
  /** Key ids once, and per version `[keyIndex, sig]` pairs (null: unsigned). */
  signingKeyIds?: string[];
  versionSignatures?: Array<Array<[number, string]> | null>;
}

function encodeFacts(facts: PackageFacts): StoredFacts {
  const { versions, time, signatures, integrity, ...rest } = facts;
  const versionNames = Object.keys(versions);
  const versionTable: VersionFacts[] = [];
  const seen = new Map<string, number>();
  const versionRefs = versionNames.map((version) => {
    const v = versions[version]!;
    const key = JSON.stringify(v);
    let index = seen.get(key);
    if (index === undefined) seen.set(key, (index = versionTable.push(v) - 1));
    return index;
  });
  const stored: StoredFacts = { ...rest, versionNames, versionRefs, versionTable };
  if (time) stored.versionTimes = versionNames.map((version) => time[version] ?? null);
  if (integrity) stored.versionIntegrity = versionNames.map((version) => integrity[version] ?? null);
  if (signatures) {
    const keyIds: string[] = [];
    const keyIndex = (keyid: string): number => {
      const at = keyIds.indexOf(keyid);
      return at === -1 ? keyIds.push(keyid) - 1 : at;
    };
    stored.versionSignatures = versionNames.map(
      (version) => signatures[version]?.map((s): [number, string] => [keyIndex(s.keyid), s.sig]) ?? null,
    );
    stored.signingKeyIds = keyIds;
  }
  return stored;
}

const optional = (value: unknown, type: 'string' | 'number' | 'boolean'): boolean =>
  value === undefined || typeof value === type;
const isVersionFacts = (v: unknown): v is VersionFacts =>
  isRecord(v) &&
  optional(v.deprecated, 'string') &&
  optional(v.license, 'string') &&
  optional(v.types, 'string') &&
  optional(v.hasInstallScript, 'boolean') &&
  optional(v.provenance, 'boolean') &&
  (v.bins === undefined || isStringArray(v.bins));

/**
 * The whole shape, checked before anything is decoded: an entry damaged on disk (a disk full, an
 * editor, another program) must be a miss, not a crash in a check or a wrong answer.
 */
function isStoredFacts(stored: unknown): stored is StoredFacts {
  if (!isRecord(stored)) return false;
  const { versionNames: names, versionRefs: refs, versionTable: table, versionTimes: times, distTags } = stored;
  if (
    !Array.isArray(names) ||
    !Array.isArray(refs) ||
    !Array.isArray(table) ||
    refs.length !== names.length ||
    !table.every(isVersionFacts)
  )
    return false;
  if (times !== undefined && (!Array.isArray(times) || times.length !== names.length)) return false;
  const hashes = stored.versionIntegrity;
  if (
    hashes !== undefined &&
    (!Array.isArray(hashes) ||
      hashes.length !== names.length ||
      !hashes.every((h) => h === null || typeof h === 'string'))
  )
    return false;
  if (!signaturesFit(stored.versionSignatures, stored.signingKeyIds, names.length)) return false;
  // One plain loop: a warm run checks some hundred thousand versions here.
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const ref = refs[i];
    if (typeof name !== 'string' || name === '__proto__' || typeof ref !== 'number' || table[ref] === undefined)
      return false;
    if (times !== undefined && times[i] !== null && typeof times[i] !== 'number') return false;
  }
  if (!isRecord(distTags) || !Object.values(distTags).every((v) => typeof v === 'string')) return false;
  return (
    typeof stored.name === 'string' &&
    typeof stored.registry === 'string' &&
    ['created', 'modified', 'license', 'repository', 'description'].every((k) => optional(stored[k], 'string')) &&
    optional(stored.readme, 'boolean') &&
    optional(stored.maintainers, 'number')
  );
}

function signaturesFit(sigs: unknown, keyIds: unknown, versions: number): boolean {
  if (sigs === undefined && keyIds === undefined) return true;
  if (!Array.isArray(sigs) || !isStringArray(keyIds) || sigs.length !== versions) return false;
  return sigs.every(
    (list) =>
      list === null ||
      (Array.isArray(list) &&
        list.every(
          (p) => Array.isArray(p) && typeof p[0] === 'number' && keyIds[p[0]] !== undefined && typeof p[1] === 'string',
        )),
  );
}

/** `stored` has passed isStoredFacts: every ref points into the table. */
function decodeFacts(stored: StoredFacts): PackageFacts {
  const {
    versionNames,
    versionRefs,
    versionTable,
    versionTimes,
    versionSignatures,
    signingKeyIds,
    versionIntegrity,
    ...rest
  } = stored;
  const versions: Record<string, VersionFacts> = {};
  for (let i = 0; i < versionNames.length; i++) {
    // Shared between versions: facts are read-only once distilled.
    versions[versionNames[i]!] = versionTable[versionRefs[i]!]!;
  }
  const facts: PackageFacts = { ...rest, versions };
  if (versionSignatures && signingKeyIds) {
    // Decoded only when the signature check reads them; most runs of a cached package never do.
    let signatures: PackageFacts['signatures'];
    Object.defineProperty(facts, 'signatures', {
      enumerable: true,
      get() {
        if (!signatures) {
          signatures = {};
          versionSignatures.forEach((list, i) => {
            if (list) signatures![versionNames[i]!] = list.map(([k, sig]) => ({ keyid: signingKeyIds[k]!, sig }));
          });
        }
        return signatures;
      },
    });
  }
  if (Array.isArray(versionIntegrity)) {
    let integrity: Record<string, string> | undefined;
    Object.defineProperty(facts, 'integrity', {
      enumerable: true,
      get() {
        if (!integrity) {
          integrity = {};
          versionIntegrity.forEach((hash, i) => {
            if (hash !== null) integrity![versionNames[i]!] = hash;
          });
        }
        return integrity;
      },
    });
  }
  if (Array.isArray(versionTimes)) {
    let time: Record<string, number> | undefined;
    Object.defineProperty(facts, 'time', {
      enumerable: true,
      get() {
        if (!time) {
          time = {};
          versionNames.forEach((version, i) => {
            const at = versionTimes[i];
            if (typeof at === 'number') time![version] = at;
          });
        }
        return time;
      },
    });
  }
  return facts;
}

type StoredEntry = Omit<CacheEntry, 'answer'> & {
  answer: Omit<CacheEntry['answer'], 'facts'> & { facts?: StoredFacts };
};

/** A damaged or foreign entry is a miss: it is refetched and overwritten. */
function isStoredEntry(stored: unknown): stored is StoredEntry {
  if (!isRecord(stored) || !isRecord(stored.answer)) return false;
  const answer = stored.answer;
  // A time in the future (damage, or a clock since set back) would keep the entry fresh forever.
  if (typeof stored.fetchedAt !== 'number' || stored.fetchedAt > Date.now() + 60_000) return false;
  if (answer.state !== 'found' && answer.state !== 'missing') return false;
  if (answer.facts !== undefined && !isStoredFacts(answer.facts)) return false;
  if (answer.state === 'found' && answer.facts === undefined) return false;
  if (answer.state === 'missing' && !MISSING_REASONS.has(String(answer.reason))) return false;
  return (
    optional(stored.etag, 'string') &&
    optional(stored.lastModified, 'string') &&
    optional(answer.unpublishedAt, 'string')
  );
}

export class FactsCache {
  readonly #store: DiskCache<StoredEntry>;
  readonly #registryKeys = new Map<string, string>();

  constructor(cacheDir: string) {
    this.#store = new DiskCache(cacheDir, FACTS);
  }

  /** Keyed by registry as well as name, so one registry's answer is never served for another. */
  #file(registry: string, name: string): string {
    let registryKey = this.#registryKeys.get(registry);
    if (!registryKey) {
      registryKey = createHash('sha256').update(registry).digest('hex').slice(0, 16);
      this.#registryKeys.set(registry, registryKey);
    }
    return this.#store.file(registryKey, `${encodeURIComponent(name)}.json`);
  }

  async read(registry: string, name: string): Promise<CacheEntry | undefined> {
    const stored = this.#store.read(this.#file(registry, name));
    if (!stored) return undefined;
    const answer = stored.answer;
    const facts = answer.facts && decodeFacts(answer.facts);
    // Another package's or registry's entry under this name is a miss too.
    if (facts && (facts.name !== name || facts.registry !== registry)) return undefined;
    return { ...stored, answer: { ...answer, ...(facts ? { facts } : {}) } as CacheEntry['answer'] };
  }

  /** Notes (observed-fs) the entry an answer came from: what a run read holds while it is not rewritten. */
  noteUsed(registry: string, name: string): void {
    noteCacheEntry(this.#file(registry, name));
  }

  /** Atomic: written to a temporary file and renamed, so concurrent runs never see half an entry. */
  async write(registry: string, name: string, entry: CacheEntry): Promise<void> {
    const facts = entry.answer.facts;
    const stored: StoredEntry = facts
      ? { ...entry, answer: { ...entry.answer, facts: encodeFacts(facts) } }
      : (entry as StoredEntry);
    await this.#store.write(this.#file(registry, name), stored, true);
  }
}
