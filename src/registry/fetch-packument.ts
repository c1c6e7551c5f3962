import type { NpmConfig } from './npmrc.js';
import { registryRequest } from './request.js';

/** What one packument request came back with; `error` is every answer that is not usable. */
export type PackumentAnswer =
  | { status: 'ok'; doc: unknown; etag?: string; lastModified?: string }
  | { status: 'not-modified' }
  | { status: 'not-found' }
  | { status: 'error'; reason: string };

/**
 * Full packuments of the largest packages on the public registry run to some tens of MB; twice
 * that still leaves room, and stops one hostile answer from taking the process's memory (a
 * document is held as bytes, as a string and parsed, at once).
 */
export const MAX_PACKUMENT_BYTES = 128 * 1024 * 1024;

export interface FetchPackumentOptions {
  config: NpmConfig;
  registry: string;
  etag?: string;
  lastModified?: string;
  signal?: AbortSignal;
  /** Milliseconds for the whole request, retries included. */
  timeout: number;
  retries: number;
  /** Bytes of packument at most (default MAX_PACKUMENT_BYTES). */
  maxBytes?: number;
  /** First wait between retries in ms (default 250). */
  backoff?: number;
}

/** `@scope/name` → `@scope%2fname`, as the registry's packument URL wants it. */
export function packumentPath(name: string): string {
  return name.startsWith('@') ? `/${name.replace('/', '%2f')}` : `/${encodeURIComponent(name)}`;
}

const JSON_TYPE = /^application\/([\w.+-]*\+)?json\b|^application\/vnd\.npm\.install-v1\+json\b/i;

export async function fetchPackument(name: string, options: FetchPackumentOptions): Promise<PackumentAnswer> {
  const headers: Record<string, string> = {
    // The full document: licence, times, repository and types are not in the abbreviated one.
    accept: 'application/json',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  const res = await registryRequest(packumentPath(name), {
    config: options.config,
    registry: options.registry,
    headers,
    timeout: options.timeout,
    retries: options.retries,
    maxBytes: options.maxBytes ?? MAX_PACKUMENT_BYTES,
    what: 'packument',
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.backoff !== undefined ? { backoff: options.backoff } : {}),
  });
  if (!res.ok) {
    if (res.status === 404) return { status: 'not-found' };
    return { status: 'error', reason: res.reason };
  }
  if (res.status === 304) return { status: 'not-modified' };
  let doc: unknown;
  try {
    doc = JSON.parse(res.body.toString('utf8'));
  } catch {
    // A login page or a proxy's error page, served as 200, is the usual culprit: name its type.
    const type = res.headers.get('content-type')?.split(';')[0]?.trim();
    const what = type && !JSON_TYPE.test(type) ? `not JSON: ${type}` : 'invalid JSON';
    return { status: 'error', reason: `malformed packument: ${what} (HTTP ${res.status}, ${res.body.length} bytes)` };
  }
  const answer: PackumentAnswer = { status: 'ok', doc };
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (etag) answer.etag = etag;
  if (lastModified) answer.lastModified = lastModified;
  return answer;
}
