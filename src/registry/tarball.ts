/**
 * A version's tarball, in memory and verified against the registry's integrity. The version
 * document (`<registry>/<name>/<version>`) gives the tarball URL and integrity; registries that
 * do not serve version documents get the same from the packument.
 */
import { createHash, getHashes } from 'node:crypto';
import { MAX_PACKUMENT_BYTES, packumentPath } from './fetch-packument.js';
import type { NpmConfig } from './npmrc.js';
import { type RegistryResponse, registryRequest } from './request.js';

export type TarballAnswer =
  { state: 'ok'; data: Buffer; integrity?: string; tarball: string } | { state: 'unknown'; reason: string };

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

const HASHES = ['sha512', 'sha384', 'sha256', 'sha1'] as const;

/** `scheme://host/path` without credentials, query or fragment: safe to put in a reason. */
function redactUrl(url: string): string {
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

/** A version document is a few kilobytes; a registry sending more is not sending one. */
const MAX_VERSION_DOC_BYTES = 16 * 1024 * 1024;

/**
 * Three requests through the same transport as packuments (one time budget for all of them, bounded
 * retries, `Retry-After`, size limits that stop reading): the version document, the packument for
 * registries without version documents, and the tarball, whose bytes are checked against the
 * integrity here (the HTTP layer checks only 200 answers).
 */
export async function fetchTarball(
  name: string,
  version: string,
  options: FetchTarballOptions,
): Promise<TarballAnswer> {
  const started = Date.now();
  const max = options.maxBytes ?? 64 * 1024 * 1024;
  const get = (target: string, maxBytes: number, what: string): Promise<RegistryResponse> => {
    const left = options.timeout - (Date.now() - started);
    if (left <= 0) return Promise.resolve({ ok: false, reason: `timed out after ${options.timeout} ms` });
    return registryRequest(target, {
      config: options.config,
      registry: options.registry,
      timeout: left,
      retries: options.retries,
      maxBytes,
      what,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  };
  const json = (res: RegistryResponse & { ok: true }): unknown => {
    try {
      return JSON.parse(res.body.toString('utf8'));
    } catch {
      return undefined;
    }
  };

  let dist: Dist | undefined;
  const doc = await get(
    `${packumentPath(name)}/${encodeURIComponent(version)}`,
    MAX_VERSION_DOC_BYTES,
    'version document',
  );
  if (doc.ok) {
    const manifest = json(doc) as { dist?: Dist; version?: unknown } | undefined;
    if (manifest?.version === version) dist = manifest.dist;
  } else if (doc.status !== 404 && doc.status !== 405) {
    return { state: 'unknown', reason: `version document of ${name}@${version}: ${doc.reason}` };
  }
  if (!dist) {
    const packument = await get(packumentPath(name), MAX_PACKUMENT_BYTES, 'packument');
    if (!packument.ok) return { state: 'unknown', reason: `packument of ${name}: ${packument.reason}` };
    dist = (json(packument) as { versions?: Record<string, { dist?: Dist }> } | undefined)?.versions?.[version]?.dist;
  }
  if (!dist || typeof dist.tarball !== 'string')
    return { state: 'unknown', reason: `the registry gives no tarball for ${name}@${version}` };
  const integrity =
    typeof dist.integrity === 'string'
      ? dist.integrity
      : typeof dist.shasum === 'string'
        ? `sha1-${Buffer.from(dist.shasum, 'hex').toString('base64')}`
        : undefined;
  let tarballUrl: URL;
  try {
    tarballUrl = new URL(dist.tarball, options.registry);
  } catch {
    return { state: 'unknown', reason: `tarball of ${name}@${version}: not an http(s) URL` };
  }
  if (tarballUrl.protocol !== 'https:' && tarballUrl.protocol !== 'http:')
    return { state: 'unknown', reason: `tarball of ${name}@${version}: not an http(s) URL` };
  // A plain http tarball of an https registry would carry the registry's token in clear text.
  if (tarballUrl.protocol === 'http:' && new URL(options.registry).protocol === 'https:') {
    return {
      state: 'unknown',
      reason: `tarball of ${name}@${version}: ${redactUrl(tarballUrl.href)} is plain http for an https registry`,
    };
  }
  // npm-registry-fetch sends auth only to the host it is configured for, and make-fetch-happen
  // drops it when a redirect changes host name. It does not forward `redirect: 'manual'`, so a
  // redirect from https to http on the same host name cannot be refused here (npm follows it too).
  const res = await get(tarballUrl.href, max, 'tarball');
  if (!res.ok) {
    if (res.status === 404) return { state: 'unknown', reason: `no tarball for ${name}@${version} (404)` };
    if (res.tooLarge) return { state: 'unknown', reason: `tarball of ${name}@${version} is more than ${max} bytes` };
    return { state: 'unknown', reason: `tarball of ${name}@${version}: ${res.reason}` };
  }
  // Only a 200 is a tarball.
  if (res.status !== 200) return { state: 'unknown', reason: `tarball of ${name}@${version}: HTTP ${res.status}` };
  if (integrity && !matchesIntegrity(res.body, integrity))
    return { state: 'unknown', reason: `tarball of ${name}@${version} does not match its integrity` };
  return { state: 'ok', data: res.body, tarball: redactUrl(tarballUrl.href), ...(integrity ? { integrity } : {}) };
}
