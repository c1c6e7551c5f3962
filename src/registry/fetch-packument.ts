import type { NpmConfig } from './npmrc.js';

/** What one packument request came back with; `error` is every answer that is not usable. */
export type PackumentAnswer =
  | { status: 'ok'; doc: unknown; etag?: string; lastModified?: string }
  | { status: 'not-modified' }
  | { status: 'not-found' }
  | { status: 'error'; reason: string };

export interface FetchPackumentOptions {
  config: NpmConfig;
  registry: string;
  etag?: string;
  lastModified?: string;
  signal?: AbortSignal;
  /** Milliseconds for the whole request, retries included. */
  timeout: number;
  retries: number;
}

type RegFetch = typeof import('npm-registry-fetch');
let regFetch: Promise<RegFetch> | undefined;
// Loaded on first use: a run answered wholly from the cache never pays for npm-registry-fetch.
export const loadRegFetch = (): Promise<RegFetch> => (regFetch ??= import('npm-registry-fetch').then((m) => m.default));

/** `@scope/name` → `@scope%2fname`, as the registry's packument URL wants it. */
export function packumentPath(name: string): string {
  return name.startsWith('@') ? `/${name.replace('/', '%2f')}` : `/${encodeURIComponent(name)}`;
}

export function describeError(error: unknown, signal: AbortSignal): string {
  const e = error as { code?: string; statusCode?: number; type?: string; name?: string; message?: string };
  if (typeof e.statusCode === 'number') {
    if (e.statusCode === 401 || e.statusCode === 403) return `HTTP ${e.statusCode}: the registry refused access (check auth in .npmrc)`;
    return `HTTP ${e.statusCode} from the registry`;
  }
  if (signal.aborted) return signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? 'timed out' : 'aborted';
  if (e.type === 'request-timeout' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKETTIMEDOUT') return 'timed out';
  if (e.type === 'invalid-json' || e.name === 'SyntaxError' || e.code === 'EJSONPARSE') return 'malformed packument: invalid JSON';
  return `network error: ${e.code ?? e.message ?? String(error)}`.slice(0, 200);
}

export async function fetchPackument(name: string, options: FetchPackumentOptions): Promise<PackumentAnswer> {
  const fetch = await loadRegFetch();
  const signals = [AbortSignal.timeout(options.timeout)];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  const headers: Record<string, string> = {
    // The full document: licence, times, repository and types are not in the abbreviated one.
    accept: 'application/json',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  try {
    const res = await fetch(packumentPath(name), {
      ...(options.config as object),
      registry: options.registry,
      headers,
      signal,
      timeout: options.timeout,
      retry: { retries: options.retries, factor: 2, minTimeout: 250, maxTimeout: 4000, randomize: true },
    } as never);
    if (res.status === 304) return { status: 'not-modified' };
    const text = await res.text();
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return { status: 'error', reason: `malformed packument: invalid JSON (HTTP ${res.status}, ${text.length} bytes)` };
    }
    const answer: PackumentAnswer = { status: 'ok', doc };
    const etag = res.headers.get('etag');
    const lastModified = res.headers.get('last-modified');
    if (etag) answer.etag = etag;
    if (lastModified) answer.lastModified = lastModified;
    return answer;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return { status: 'not-found' };
    if (options.signal?.aborted) throw options.signal.reason;
    return { status: 'error', reason: describeError(error, signal) };
  }
}
