/**
 * The registry's public signing keys (`/-/npm/v1/keys`, what `npm audit signatures` reads), to
 * verify `dist.signatures`. Kept on disk for a day: keys rotate rarely, and a warm run should
 * not ask. A registry without the endpoint does not sign; that is an answer, not a failure.
 */
import { createHash } from 'node:crypto';
import { type CacheKind, DiskCache } from '../cache/disk-cache.js';
import type { SigningKey, SigningKeys } from '../model/facts.js';
import { isRecord } from '../model/json.js';
import { holdsUntil, noteCacheEntry, unnoted } from '../scan/observed-fs.js';
import type { NpmConfig } from './npmrc.js';
import { registryRequest } from './request.js';

/** A known answer: keys, or none. An unknown one is never stored. */
interface StoredKeys {
  fetchedAt: number;
  answer: Extract<SigningKeys, { state: 'found' | 'none' }>;
}

const KEYS: CacheKind<StoredKeys> = {
  name: 'keys',
  version: 1,
  isValid: (s): s is StoredKeys =>
    isRecord(s) &&
    typeof s.fetchedAt === 'number' &&
    isRecord(s.answer) &&
    (s.answer.state === 'none'
      ? typeof s.answer.reason === 'string'
      : s.answer.state === 'found' && readKeys(s.answer) !== undefined),
};
const TTL = 24 * 60 * 60 * 1000;
const MAX_BYTES = 256 * 1024;

export interface SigningKeysOptions {
  config: NpmConfig;
  registry: string;
  cacheDir?: string | false;
  offline?: boolean;
  signal?: AbortSignal;
  timeout: number;
  retries: number;
}

/** The keys document's `keys`, each checked for shape; undefined when it is not one. */
function readKeys(doc: unknown): SigningKey[] | undefined {
  const list = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) return undefined;
  const keys: SigningKey[] = [];
  for (const raw of list) {
    const k = raw as Record<string, unknown>;
    if (typeof k?.keyid !== 'string' || typeof k.key !== 'string') return undefined;
    const expires = typeof k.expires === 'string' ? Date.parse(k.expires) : NaN;
    keys.push({ keyid: k.keyid, key: k.key, ...(Number.isNaN(expires) ? {} : { expires }) });
  }
  return keys;
}

export async function fetchSigningKeys(options: SigningKeysOptions): Promise<SigningKeys> {
  const store = options.cacheDir ? new DiskCache(options.cacheDir, KEYS) : undefined;
  const file = store?.file(`${createHash('sha256').update(options.registry).digest('hex').slice(0, 16)}.json`);
  const stored = file ? store!.read(file) : undefined;
  // A time in the future (damage, or a clock since set back) would keep the entry fresh forever.
  const fresh = stored !== undefined && stored.fetchedAt <= Date.now() + 60_000 && Date.now() - stored.fetchedAt < TTL;
  if (stored && (fresh || options.offline)) {
    noteCacheEntry(file!);
    holdsUntil(stored.fetchedAt + TTL);
    return stored.answer;
  }
  if (options.offline) return { state: 'unknown', reason: 'offline: signing keys not in the cache' };
  const unknown = (reason: string): SigningKeys => {
    unnoted('the signing keys are unknown');
    return { state: 'unknown', reason };
  };
  const res = await registryRequest('/-/npm/v1/keys', {
    config: options.config,
    registry: options.registry,
    headers: { accept: 'application/json' },
    timeout: options.timeout,
    retries: options.retries,
    maxBytes: MAX_BYTES,
    what: 'signing keys',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let answer: SigningKeys;
  if (!res.ok) {
    // 404 (or 405/501 from servers without the route): this registry publishes no keys.
    if (res.status === 404 || res.status === 405 || res.status === 501)
      answer = { state: 'none', reason: `the registry has no signing keys endpoint (HTTP ${res.status})` };
    else return unknown(`signing keys: ${res.reason}`);
  } else {
    let keys: SigningKey[] | undefined;
    try {
      keys = readKeys(JSON.parse(res.body.toString('utf8')));
    } catch {
      keys = undefined;
    }
    if (!keys) return unknown('signing keys: the answer is not a keys document');
    answer = keys.length ? { state: 'found', keys } : { state: 'none', reason: 'the registry lists no signing keys' };
  }
  const fetchedAt = Date.now();
  if (file)
    await store!.write(file, { fetchedAt, answer }, true).then(
      () => noteCacheEntry(file),
      () => unnoted('signing keys could not be cached'),
    );
  else unnoted('signing keys not cached');
  holdsUntil(fetchedAt + TTL);
  return answer;
}
