/**
 * A version's tarball, in memory and verified against the registry's integrity. The version
 * document (`<registry>/<name>/<version>`) gives the tarball URL and integrity; registries that
 * do not serve version documents get the same from the packument.
 */
import { createHash, getHashes } from 'node:crypto';
import { describeError, loadRegFetch, packumentPath } from './fetch-packument.js';
import type { NpmConfig } from './npmrc.js';
import { type BodyStream, readBody } from './request.js';

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
type RegResponse = Awaited<ReturnType<Awaited<ReturnType<typeof loadRegFetch>>>>;

const HASHES = ['sha512', 'sha384', 'sha256', 'sha1'] as const;

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
async function readLimited(res: RegResponse, max: number): Promise<Buffer | undefined> {
  const read = await readBody(res.body as unknown as BodyStream, max);
  if (read.error !== undefined) throw read.error;
  return read.data;
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
    const tarballUrl = new URL(dist.tarball, options.registry);
    if (tarballUrl.protocol !== 'https:' && tarballUrl.protocol !== 'http:') return { state: 'unknown', reason: `tarball of ${name}@${version}: not an http(s) URL` };
    // A plain http tarball of an https registry would carry the registry's token in clear text.
    if (tarballUrl.protocol === 'http:' && new URL(options.registry).protocol === 'https:') {
      return { state: 'unknown', reason: `tarball of ${name}@${version}: ${redactUrl(tarballUrl.href)} is plain http for an https registry` };
    }
    // npm-registry-fetch sends auth only to the host it is configured for, and make-fetch-happen
    // drops it when a redirect changes host name. It does not forward `redirect: 'manual'`, so a
    // redirect from https to http on the same host name cannot be refused here (npm follows it too).
    const res = await fetch(tarballUrl.href, { ...common, ...(integrity ? { integrity } : {}) } as never);
    // Only a 200 is checked against the integrity by the HTTP layer, and only a 200 is a tarball.
    if (res.status !== 200) return { state: 'unknown', reason: `tarball of ${name}@${version}: HTTP ${res.status}` };
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > max) return { state: 'unknown', reason: `tarball of ${name}@${version} is ${declared} bytes, more than ${max}` };
    const data = await readLimited(res, max);
    if (!data) return { state: 'unknown', reason: `tarball of ${name}@${version} is more than ${max} bytes` };
    if (integrity && !matchesIntegrity(data, integrity)) return { state: 'unknown', reason: `tarball of ${name}@${version} does not match its integrity` };
    return { state: 'ok', data, tarball: redactUrl(tarballUrl.href), ...(integrity ? { integrity } : {}) };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const code = (error as { code?: string }).code;
    if (code === 'EINTEGRITY') return { state: 'unknown', reason: `tarball of ${name}@${version} does not match its integrity` };
    if ((error as { statusCode?: number }).statusCode === 404) return { state: 'unknown', reason: `no tarball for ${name}@${version} (404)` };
    return { state: 'unknown', reason: describeError(error, signal) };
  }
}
