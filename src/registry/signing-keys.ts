/**
 * The registry's public signing keys (`/-/npm/v1/keys`, what `npm audit signatures` reads), to
 * verify `dist.signatures`. Kept on disk for a day: keys rotate rarely, and a warm run should
 * not ask. A registry without the endpoint does not sign; that is an answer, not a failure.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SigningKey, SigningKeys } from '../model/facts.js';
import type { NpmConfig } from './npmrc.js';
import { registryRequest } from './request.js';

const FORMAT = 'keys-v1';
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

function cacheFile(cacheDir: string, registry: string): string {
  return path.join(cacheDir, FORMAT, `${createHash('sha256').update(registry).digest('hex').slice(0, 16)}.json`);
}

export async function fetchSigningKeys(options: SigningKeysOptions): Promise<SigningKeys> {
  const file = options.cacheDir ? cacheFile(options.cacheDir, options.registry) : undefined;
  if (file) {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { fetchedAt?: unknown; answer?: SigningKeys };
      const fresh = typeof stored.fetchedAt === 'number' && stored.fetchedAt <= Date.now() + 60_000 && Date.now() - stored.fetchedAt < TTL;
      const answer = stored.answer;
      const valid = answer?.state === 'none' ? typeof answer.reason === 'string' : answer?.state === 'found' && readKeys(answer) !== undefined;
      if (valid && (fresh || options.offline)) return answer!;
    } catch {
      // No entry, or a damaged one: asked again.
    }
  }
  if (options.offline) return { state: 'unknown', reason: 'offline: signing keys not in the cache' };
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
    if (res.status === 404 || res.status === 405 || res.status === 501) answer = { state: 'none', reason: `the registry has no signing keys endpoint (HTTP ${res.status})` };
    else return { state: 'unknown', reason: `signing keys: ${res.reason}` };
  } else {
    let keys: SigningKey[] | undefined;
    try {
      keys = readKeys(JSON.parse(res.body.toString('utf8')));
    } catch {
      keys = undefined;
    }
    if (!keys) return { state: 'unknown', reason: 'signing keys: the answer is not a keys document' };
    answer = keys.length ? { state: 'found', keys } : { state: 'none', reason: 'the registry lists no signing keys' };
  }
  if (file) {
    await mkdir(path.dirname(file), { recursive: true })
      .then(() => writeFile(file, JSON.stringify({ fetchedAt: Date.now(), answer })))
      .catch(() => undefined);
  }
  return answer;
}
