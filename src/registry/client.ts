import { createSecureContext } from 'node:tls';
import pLimit from 'p-limit';
import type { Lookup, SigningKeys } from '../model/facts.js';
import { ConfigError } from '../config/config.js';
import { distilPackument } from './distil.js';
import { type CacheEntry, FactsCache, defaultCacheDir } from './facts-cache.js';
import { fetchPackument } from './fetch-packument.js';
import { fetchSigningKeys } from './signing-keys.js';
import { fetchTarball, type TarballAnswer } from './tarball.js';
import { type NpmConfig, loadNpmConfig } from './npmrc.js';
import { configuredRegistries, normaliseRegistry, pickRegistry } from './pick-registry.js';
import { holdsUntil, unnoted } from '../scan/observed-fs.js';

/** All registry access goes through this; tests and library users may pass their own. */
export interface RegistryClient {
  /** The three-valued answer for one package name. Rejects only when the run is aborted. */
  lookup(name: string): Promise<Lookup>;
  /** The registry `name` would be asked of. */
  registryFor(name: string): string;
  /** Every configured registry: the default and each scope's (for lockfile host checks). */
  registries?(): string[];
  /** A version's tarball, verified against its integrity; for reading type declarations. */
  tarball?(name: string, version: string): Promise<TarballAnswer>;
  /** The registry's public signing keys, for `dist.signatures`; a client without it verifies none. */
  signingKeys?(registry: string): Promise<SigningKeys>;
}

export interface RegistryClientOptions {
  /** Project root, whose `.npmrc` is read. */
  root: string;
  /** Overrides the configured default registry (`--registry`). */
  registry?: string;
  env?: NodeJS.ProcessEnv;
  /** Pre-built npm configuration; when given, no `.npmrc` is read. */
  npmConfig?: NpmConfig;
  /** `false` disables the on-disk cache. */
  cacheDir?: string | false;
  /** How long a cached answer is used without asking the registry, in ms. */
  cacheTtl?: number;
  /** Answer from the cache alone; misses are unknown. */
  offline?: boolean;
  /** Ignore cached answers (they are still rewritten). */
  refresh?: boolean;
  concurrency?: number;
  /** Per request, retries included, in ms. */
  timeout?: number;
  retries?: number;
  signal?: AbortSignal;
  /**
   * When the whole run must end (ms since the epoch, `--deadline`): whatever is unfinished then,
   * queued or in flight, is unknown ("not finished before the deadline"), never an abort.
   */
  deadlineAt?: number;
  /** @internal Bytes of packument at most (tests; default MAX_PACKUMENT_BYTES). */
  maxPackumentBytes?: number;
  /** @internal First wait between retries in ms (tests; default 250). */
  retryBackoff?: number;
}

const DEFAULTS = {
  // Measured on a 2-core machine against the mirror: 16 at a time fetched 1,021 packuments in
  // 2.5 s, 32 took 5.2 s and 64 started timing out connects.
  concurrency: 16,
  cacheTtl: 6 * 60 * 60 * 1000,
  timeout: 30_000,
  retries: 2,
} as const;

// A missing name can be registered at any moment (that is the attack), so 404s are kept briefly.
const MISSING_TTL = 10 * 60 * 1000;

export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const overrides = options.registry ? { registry: normaliseRegistry(options.registry) } : undefined;
  let config: NpmConfig;
  if (options.npmConfig) {
    config = { ...options.npmConfig, ...overrides };
  } else {
    const loaded = loadNpmConfig({ root: options.root, env: options.env, overrides });
    // An unreadable .npmrc may hold the registry or scope a name must go to: never guess.
    const [error] = loaded.errors;
    if (error) throw new ConfigError(`cannot use npm configuration ${error.file}: ${error.message}`);
    config = loaded.config;
  }
  const concurrency = Math.max(1, options.concurrency ?? DEFAULTS.concurrency);
  const limit = pLimit(concurrency);
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir(options.env) : options.cacheDir;
  const cache = cacheDir ? new FactsCache(cacheDir) : undefined;
  const ttl = options.cacheTtl ?? DEFAULTS.cacheTtl;
  // How long an answer is used without asking again: a missing name briefly.
  const ttlOf = (entry: CacheEntry): number => (entry.answer.state === 'missing' ? Math.min(ttl, MISSING_TTL) : ttl);
  // The run memo's notes (observed-fs): the cache entry an answer came from, and until when it holds.
  const answeredFrom = (entry: CacheEntry, registry: string, name: string): void => {
    cache?.noteUsed(registry, name);
    holdsUntil(entry.fetchedAt + ttlOf(entry));
  };
  const inFlight = new Map<string, Promise<Lookup>>();
  const keys = new Map<string, Promise<SigningKeys>>();
  const fetchConfig = shareCa({ ...config, maxSockets: concurrency });
  const deadline =
    options.deadlineAt === undefined ? undefined : AbortSignal.timeout(Math.max(1, options.deadlineAt - Date.now()));
  const deadlineSeconds =
    options.deadlineAt === undefined ? 0 : Math.round((options.deadlineAt - Date.now()) / 100) / 10;
  const pastDeadline = `not finished before the run's deadline (--deadline, ${deadlineSeconds} s)`;
  // The caller's signal aborts the run; the deadline only ends what is unfinished.
  const signal = deadline ? AbortSignal.any([deadline, ...(options.signal ? [options.signal] : [])]) : options.signal;
  const bounded = async <T>(work: () => Promise<T>, unknown: T): Promise<T> => {
    if (deadline?.aborted) return unknown;
    try {
      return await work();
    } catch (error) {
      if (deadline?.aborted && !options.signal?.aborted) return unknown;
      throw error;
    }
  };

  async function lookupUncached(name: string, registry: string): Promise<Lookup> {
    const cached = options.refresh ? undefined : await cache?.read(registry, name).catch(() => undefined);
    if (cached) {
      const age = Date.now() - cached.fetchedAt;
      if (age < ttlOf(cached) || options.offline) {
        answeredFrom(cached, registry, name);
        return cached.answer;
      }
    }
    if (options.offline) return { state: 'unknown', reason: 'offline: not in the cache' };
    const answer = await limit(() =>
      fetchPackument(name, {
        config: fetchConfig,
        registry,
        etag: cached?.etag,
        lastModified: cached?.lastModified,
        signal,
        timeout: options.timeout ?? DEFAULTS.timeout,
        retries: options.retries ?? DEFAULTS.retries,
        ...(options.maxPackumentBytes !== undefined ? { maxBytes: options.maxPackumentBytes } : {}),
        ...(options.retryBackoff !== undefined ? { backoff: options.retryBackoff } : {}),
      }),
    );
    let entry: CacheEntry | undefined;
    if (answer.status === 'error') return { state: 'unknown', reason: answer.reason };
    if (answer.status === 'not-modified') {
      if (!cached) return { state: 'unknown', reason: 'registry answered 304 to an unconditional request' };
      entry = { ...cached, fetchedAt: Date.now() };
    } else if (answer.status === 'not-found') {
      entry = { fetchedAt: Date.now(), answer: { state: 'missing', reason: 'not-found' } };
    } else {
      const lookup = distilPackument(name, registry, answer.doc);
      if (lookup.state === 'unknown') return lookup;
      entry = { fetchedAt: Date.now(), answer: lookup };
      if (answer.etag) entry.etag = answer.etag;
      if (answer.lastModified) entry.lastModified = answer.lastModified;
    }
    // A cache that cannot be written costs speed on the next run, never correctness on this one.
    const written = entry;
    await cache?.write(registry, name, written).then(
      () => answeredFrom(written, registry, name),
      () => unnoted(`the facts of ${name} could not be cached`),
    );
    return entry.answer;
  }

  return {
    registryFor: (name) => pickRegistry(name, config),
    registries: () => configuredRegistries(config),
    tarball(name, version) {
      if (options.offline) return Promise.resolve({ state: 'unknown', reason: 'offline' });
      return bounded(
        () =>
          limit(() =>
            fetchTarball(name, version, {
              config: fetchConfig,
              registry: pickRegistry(name, config),
              signal,
              timeout: options.timeout ?? DEFAULTS.timeout,
              retries: options.retries ?? DEFAULTS.retries,
            }),
          ),
        { state: 'unknown', reason: pastDeadline },
      );
    },
    signingKeys(registry) {
      let pending = keys.get(registry);
      if (!pending) {
        pending = bounded(
          () =>
            limit(() =>
              fetchSigningKeys({
                config: fetchConfig,
                registry,
                cacheDir: cacheDir ?? false,
                offline: !!options.offline,
                timeout: options.timeout ?? DEFAULTS.timeout,
                retries: options.retries ?? DEFAULTS.retries,
                ...(signal ? { signal } : {}),
              }),
            ),
          { state: 'unknown' as const, reason: pastDeadline },
        );
        keys.set(registry, pending);
      }
      return pending;
    },
    lookup(name) {
      const registry = pickRegistry(name, config);
      const key = `${registry}\0${name}`;
      let pending = inFlight.get(key);
      if (!pending) {
        pending = bounded(() => lookupUncached(name, registry), { state: 'unknown', reason: pastDeadline }).then(
          (answer) => {
            // Nothing was kept to ask again: a run that saw an unknown answer is never reused,
            // whatever its report made of it.
            if (answer.state === 'unknown') unnoted(`the registry's answer about ${name} is unknown`);
            return answer;
          },
        );
        inFlight.set(key, pending);
        // Only the request in flight is shared; a later lookup asks again (and hits the cache).
        void pending.finally(() => inFlight.delete(key)).catch(() => undefined);
      }
      return pending;
    },
  };
}

/**
 * A configured CA bundle (`ca`, `cafile`) as one TLS context for the run. Given as `ca`, the
 * bundle is joined into a string for every agent lookup and socket-pool key, and parsed again
 * for every connection: with a system bundle of ~140 certificates that was 1.3 s of a 4.6 s cold
 * run. Not when a registry has a client certificate (`//host/:certfile`): a shared context would
 * leave it out, so those runs keep `ca`.
 */
export function shareCa<T extends NpmConfig>(config: T): T {
  const { ca, ...rest } = config as T & { ca?: string[] };
  if (!ca?.length || Object.keys(config).some((key) => /:(certfile|keyfile)$/.test(key))) return config;
  let context: ReturnType<typeof createSecureContext> | undefined;
  // Built on first use (a run answered from the cache never needs it). Node's TLS connect uses
  // `secureContext` when given and ignores `ca`; hostname checks and strict-ssl are unchanged.
  return Object.defineProperty({ ...rest }, 'secureContext', {
    enumerable: true,
    get: () => (context ??= createSecureContext({ ca })),
  }) as unknown as T;
}
