/**
 * One registry GET with a time budget, a size limit and retries of our own. npm-registry-fetch
 * does the transport (auth, proxies, certificates from the npm configuration) one attempt at a
 * time: its own retry ignores `Retry-After` and sleeps without looking at the caller's budget.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { NpmConfig } from './npmrc.js';

type RegFetch = typeof import('npm-registry-fetch');
let regFetch: Promise<RegFetch> | undefined;
// Loaded on first use: a run answered wholly from the cache never pays for npm-registry-fetch.
const loadRegFetch = (): Promise<RegFetch> => (regFetch ??= import('npm-registry-fetch').then((m) => m.default));

export interface RegistryRequestOptions {
  config: NpmConfig;
  registry: string;
  headers?: Record<string, string>;
  /** The run's signal: when it aborts, the request rejects with its reason. */
  signal?: AbortSignal;
  /** Milliseconds for the whole request: every attempt, every wait and every body. */
  timeout: number;
  /** Attempts after the first, for network errors, 408, 429 and 5xx. */
  retries: number;
  /** Bytes of body at most; reading stops there. */
  maxBytes: number;
  /** First wait between attempts in ms, doubled each time up to 4 s (default 250). */
  backoff?: number;
  /** What is asked for, in reasons (default `answer`). */
  what?: string;
}

/** A 2xx/3xx answer with its whole body, or why there is none (`status` when the registry gave one). */
export type RegistryResponse =
  | { ok: true; status: number; headers: { get(name: string): string | null }; body: Buffer }
  | { ok: false; status?: number; reason: string; tooLarge?: true };

/** The longest `Retry-After` honoured; a registry asking for more is not waited for. */
const MAX_RETRY_AFTER = 60_000;
const MAX_BACKOFF = 4_000;
// Failures that another attempt will not change: no such host, a bad proxy, a certificate.
const FINAL_CODES = /^(ENOTFOUND|EINVALIDPROXY|EINVALIDRESPONSE)$|CERT|TLS|SELF_SIGNED|SSL/;

type Attempt = RegistryResponse | { retry: string; status?: number; retryAfter?: number };

const megabytes = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

export async function registryRequest(path: string, options: RegistryRequestOptions): Promise<RegistryResponse> {
  const fetch = await loadRegFetch();
  const started = Date.now();
  const budget = AbortSignal.timeout(options.timeout);
  const outer = AbortSignal.any([budget, ...(options.signal ? [options.signal] : [])]);
  const timedOut = (what: string): RegistryResponse => ({
    ok: false,
    reason: `timed out after ${options.timeout} ms ${what}`,
  });
  for (let attempt = 1; ; attempt++) {
    const result = await once(fetch, path, options, outer, started);
    if (options.signal?.aborted) throw options.signal.reason;
    if (!('retry' in result)) return result;
    const failed: RegistryResponse = {
      ok: false,
      reason: result.retry,
      ...(result.status ? { status: result.status } : {}),
    };
    if (budget.aborted)
      return timedOut(
        attempt > 1
          ? `(${attempt} attempts)`
          : result.retry.startsWith('body')
            ? 'reading the body'
            : 'waiting for an answer',
      );
    if (attempt > options.retries)
      return attempt > 1 ? { ...failed, reason: `${failed.reason} (${attempt} attempts)` } : failed;
    const left = options.timeout - (Date.now() - started);
    let wait: number;
    if (result.retryAfter !== undefined) {
      // Asked to come back later than we can wait: give up now rather than spend the budget.
      const limit = Math.min(left, MAX_RETRY_AFTER);
      if (result.retryAfter > limit) {
        return {
          ...failed,
          reason: `${failed.reason}; asked to retry after ${Math.ceil(result.retryAfter / 1000)} s, longer than the ${Math.floor(limit / 1000)} s it could wait`,
        };
      }
      wait = result.retryAfter;
    } else {
      const base = Math.min(MAX_BACKOFF, (options.backoff ?? 250) * 2 ** (attempt - 1));
      wait = base + Math.random() * base;
      // A retry that would start after the budget ends is not worth waiting for.
      if (wait >= left) return failed;
    }
    try {
      await sleep(wait, undefined, { signal: outer });
    } catch {
      if (options.signal?.aborted) throw options.signal.reason;
      return timedOut(`(${attempt} attempts)`);
    }
  }
}

async function once(
  fetch: RegFetch,
  path: string,
  options: RegistryRequestOptions,
  outer: AbortSignal,
  started: number,
): Promise<Attempt> {
  // Aborted on its own when the body grows past the limit, so the socket stops being read.
  const own = new AbortController();
  const signal = AbortSignal.any([outer, own.signal]);
  let res: Awaited<ReturnType<RegFetch>>;
  try {
    res = await fetch(path, {
      ...(options.config as object),
      registry: options.registry,
      headers: options.headers ?? {},
      signal,
      timeout: Math.max(1, options.timeout - (Date.now() - started)),
      retry: { retries: 0 },
    } as never);
  } catch (error) {
    return describeFailure(error);
  }
  const tooLarge = (size: string): RegistryResponse => ({
    ok: false,
    status: res.status,
    tooLarge: true,
    reason: `${options.what ?? 'answer'} larger than ${megabytes(options.maxBytes)} (${size})`,
  });
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    own.abort();
    return tooLarge(`${megabytes(declared)} declared`);
  }
  const read = await readBody(res.body as BodyStream, options.maxBytes);
  if (read.tooLarge) {
    own.abort();
    return tooLarge(`stopped reading at ${megabytes(read.size)}`);
  }
  if (read.error !== undefined) {
    const code = (read.error as { code?: string }).code;
    return {
      retry: `body cut off after ${read.size} bytes: ${code ?? (read.error as Error).message ?? 'network error'}`.slice(
        0,
        200,
      ),
      status: res.status,
    };
  }
  if (outer.aborted) return { retry: 'body cut off by the time limit', status: res.status };
  if (Number.isFinite(declared) && read.size < declared)
    return { retry: `body cut off: ${read.size} of ${declared} bytes`, status: res.status };
  return { ok: true, status: res.status, headers: res.headers, body: read.data! };
}

/** A response body as npm-registry-fetch gives it: a Minipass stream. */
interface BodyStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  destroy?(): void;
}

/**
 * The body, stopped (and the stream destroyed) as soon as it passes `max` bytes. Events rather
 * than `for await`: the older Minipass inside make-fetch-happen's integrity pipeline adds a
 * listener for every chunk an async iterator reads and never removes it (a warning on stderr,
 * and a leak, for any body of more than ten chunks).
 */
function readBody(
  body: BodyStream,
  max: number,
): Promise<{ data?: Buffer; size: number; tooLarge?: true; error?: unknown }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: { data?: Buffer; size: number; tooLarge?: true; error?: unknown }): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    body.on('data', (chunk) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        finish({ size, tooLarge: true });
        body.destroy?.();
        return;
      }
      chunks.push(chunk);
    });
    body.on('end', () => finish({ data: Buffer.concat(chunks, size), size }));
    body.on('error', (error) => finish({ size, error }));
  });
}

function describeFailure(error: unknown): Attempt {
  const e = error as {
    code?: string;
    statusCode?: number;
    type?: string;
    message?: string;
    headers?: Record<string, string[] | string | undefined>;
    body?: unknown;
  };
  const status = e.statusCode;
  if (status === 404) {
    // "Does not exist" only when it is the registry's own answer: a JSON body, or an empty one as
    // some mirrors send. A proxy's page ("blocked by your organisation") says nothing about the
    // package: no status, so no caller can read it as a 404.
    const body = e.body;
    const empty = Buffer.isBuffer(body) && body.toString('utf8').trim() === '';
    const json = body != null && !Buffer.isBuffer(body) && typeof body === 'object';
    const header = e.headers?.['content-type'];
    const type = (Array.isArray(header) ? header[0] : header)?.split(';')[0]?.trim().toLowerCase();
    if (!empty && (!json || type === 'text/html')) {
      const size = Buffer.isBuffer(body) ? `, ${body.length} bytes` : '';
      return {
        ok: false,
        reason: `HTTP 404 that is not the registry's answer (${type ? `a ${type} page` : 'a body that is not JSON'}${size}): a proxy or another server in between`,
      };
    }
  }
  if (typeof status === 'number') {
    if (status === 401 || status === 403)
      return { ok: false, status, reason: `HTTP ${status}: the registry refused access (check auth in .npmrc)` };
    // 407 comes from the proxy in between, never from the registry.
    if (status === 407)
      return {
        ok: false,
        status,
        reason:
          "HTTP 407 from the proxy: it requires authentication (the proxy is set by https-proxy, else proxy, in npm's configuration; put the credentials in that URL)",
      };
    const reason = status === 429 ? 'HTTP 429 from the registry (rate limited)' : `HTTP ${status} from the registry`;
    if (status !== 408 && status !== 429 && status < 500) return { ok: false, status, reason };
    const retryAfter = parseRetryAfter(e.headers?.['retry-after']);
    return { retry: reason, status, ...(retryAfter !== undefined ? { retryAfter } : {}) };
  }
  const code = e.code ?? '';
  // Not the whole message: it starts with the request URL, which may carry credentials.
  const detail =
    code && code !== 'FETCH_ERROR'
      ? code
      : (e.message ?? String(error)).replace(/^request to \S+ failed, reason: /, '');
  const reason = `network error: ${detail}`.slice(0, 200);
  return FINAL_CODES.test(code) ? { ok: false, reason } : { retry: reason };
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now. */
export function parseRetryAfter(value: string[] | string | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
