/**
 * A version's tarball, in memory and verified against the registry's integrity. The version
 * document (`<registry>/<name>/<version>`) gives the tarball URL and integrity; registries that
 * do not serve version documents get the same from the packument.
 */
import { createHash, getHashes } from 'node:crypto';
import { describeError, loadRegFetch, packumentPath } from './fetch-packument.js';
import type { NpmConfig } from './npmrc.js';

export type TarballAnswer = { state: 'ok'; data: Buffer; integrity?: string; tarball: string } | { state: 'unknown'; reason: string };

export interface FetchTarballOptions {
  config: NpmConfig;
  registry: string;
  signal?: AbortSignal;
  timeout: number;
  retries: number;
  /** Compressed bytes at most (default 64 MiB). */
  maxBytes?: number;
}

type Dist = { tarball?: unknown; integrity?: unknown; shasum?: unknown };
type Response = Awaited<ReturnType<Awaited<ReturnType<typeof loadRegFetch>>>>;

const MAX_REDIRECTS = 5;
const HASHES = ['sha512', 'sha384', 'sha256', 'sha1'] as const;

class Refused extends Error {}

/** `scheme://host/path` without credentials, query or fragment: safe to put in a reason. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * Whether `data` matches an SRI string (`sha512-… sha1-…`): the strongest algorithm given decides,
 * as ssri does. Checked here rather than trusting the HTTP layer, which verifies only 200 answers.
 */
export function matchesIntegrity(data: Buffer, integrity: string): boolean {
  const byAlgorithm = new Map<string, string[]>();
  for (const part of integrity.trim().split(/\s+/)) {
    const match = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/=]+)(\?.*)?$/.exec(part);
    if (match) byAlgorithm.set(match[1]!, [...(byAlgorithm.get(match[1]!) ?? []), match[2]!]);
  }
  const algorithm = HASHES.find((h) => byAlgorithm.has(h) && getHashes().includes(h));
  if (!algorithm) return false;
  const digest = createHash(algorithm).update(data).digest('base64');
  return byAlgorithm.get(algorithm)!.includes(digest);
}

/** The body, stopped as soon as it passes `max` bytes (a declared length is not trusted). */
async function readLimited(res: Response, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      (res.body as { destroy?: () => void }).destroy?.();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function fetchTarball(name: string, version: string, options: FetchTarballOptions): Promise<TarballAnswer> {
  const fetch = await loadRegFetch();
  const signal = AbortSignal.any([AbortSignal.timeout(options.timeout), ...(options.signal ? [options.signal] : [])]);
  const common = {
    ...(options.config as object),
    registry: options.registry,
    signal,
    timeout: options.timeout,
    retry: { retries: options.retries, factor: 2, minTimeout: 250, maxTimeout: 4000, randomize: true },
  };
  const max = options.maxBytes ?? 64 * 1024 * 1024;
  try {
    let dist: Dist | undefined;
    try {
      const manifest = (await fetch.json(`${packumentPath(name)}/${encodeURIComponent(version)}`, common as never)) as { dist?: Dist; version?: unknown };
      if (manifest.version === version) dist = manifest.dist;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404 && (error as { statusCode?: number }).statusCode !== 405) throw error;
    }
    if (!dist) {
      const doc = (await fetch.json(packumentPath(name), common as never)) as { versions?: Record<string, { dist?: Dist }> };
      dist = doc.versions?.[version]?.dist;
    }
    if (!dist || typeof dist.tarball !== 'string') return { state: 'unknown', reason: `the registry gives no tarball for ${name}@${version}` };
    const integrity = typeof dist.integrity === 'string' ? dist.integrity : typeof dist.shasum === 'string' ? `sha1-${Buffer.from(dist.shasum, 'hex').toString('base64')}` : undefined;
    const res = await fetchFollowing(fetch, dist.tarball, options.registry, { ...common, ...(integrity ? { integrity } : {}) });
    if (res.status !== 200) return { state: 'unknown', reason: `tarball of ${name}@${version}: HTTP ${res.status}` };
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > max) return { state: 'unknown', reason: `tarball of ${name}@${version} is ${declared} bytes, more than ${max}` };
    const data = await readLimited(res, max);
    if (!data) return { state: 'unknown', reason: `tarball of ${name}@${version} is more than ${max} bytes` };
    if (integrity && !matchesIntegrity(data, integrity)) return { state: 'unknown', reason: `tarball of ${name}@${version} does not match its integrity` };
    return { state: 'ok', data, tarball: redactUrl(dist.tarball), ...(integrity ? { integrity } : {}) };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof Refused) return { state: 'unknown', reason: `tarball of ${name}@${version}: ${error.message}` };
    const code = (error as { code?: string }).code;
    if (code === 'EINTEGRITY') return { state: 'unknown', reason: `tarball of ${name}@${version} does not match its integrity` };
    if ((error as { statusCode?: number }).statusCode === 404) return { state: 'unknown', reason: `no tarball for ${name}@${version} (404)` };
    return { state: 'unknown', reason: describeError(error, signal) };
  }
}

/**
 * GET `url`, following redirects here rather than in the HTTP layer: each hop is a fresh request
 * whose auth npm-registry-fetch picks for that hop's own host (so a registry's token never follows
 * it to another host), and no hop may leave http(s) or fall from https to http.
 */
async function fetchFollowing(fetch: Awaited<ReturnType<typeof loadRegFetch>>, url: string, registry: string, opts: object): Promise<Response> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = new URL(current);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Refused(`the tarball URL is not http(s) (${target.protocol})`);
    if (target.protocol === 'http:' && new URL(registry).protocol === 'https:') throw new Refused(`the tarball URL ${redactUrl(current)} is plain http for an https registry`);
    const res = await fetch(current, { ...opts, redirect: 'manual' } as never);
    if (res.status < 300 || res.status >= 400) return res;
    const location = res.headers.get('location');
    res.body?.resume?.();
    if (!location) throw new Refused(`HTTP ${res.status} without a location`);
    if (hop >= MAX_REDIRECTS) throw new Refused(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, current);
    if (target.protocol === 'https:' && next.protocol !== 'https:') throw new Refused(`redirected from https to ${next.protocol}`);
    current = next.href;
  }
}
