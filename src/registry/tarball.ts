/**
 * A version's tarball, in memory and verified against the registry's integrity. The version
 * document (`<registry>/<name>/<version>`) gives the tarball URL and integrity; registries that
 * do not serve version documents get the same from the packument.
 */
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
    // npm-registry-fetch checks the bytes against `integrity` and sends auth only to the host it
    // is configured for, as npm does for tarballs.
    const res = await fetch(dist.tarball, { ...common, ...(integrity ? { integrity } : {}) } as never);
    const declared = Number(res.headers.get('content-length') ?? '0');
    const max = options.maxBytes ?? 64 * 1024 * 1024;
    if (declared > max) return { state: 'unknown', reason: `tarball of ${name}@${version} is ${declared} bytes, more than ${max}` };
    const data = await res.buffer();
    if (data.length > max) return { state: 'unknown', reason: `tarball of ${name}@${version} is more than ${max} bytes` };
    return { state: 'ok', data, tarball: dist.tarball, ...(integrity ? { integrity } : {}) };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const code = (error as { code?: string }).code;
    if (code === 'EINTEGRITY') return { state: 'unknown', reason: `tarball of ${name}@${version} does not match its integrity` };
    if ((error as { statusCode?: number }).statusCode === 404) return { state: 'unknown', reason: `no tarball for ${name}@${version} (404)` };
    return { state: 'unknown', reason: describeError(error, signal) };
  }
}
