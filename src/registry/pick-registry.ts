import { createRequire } from 'node:module';
import type { NpmConfig } from './npmrc.js';

// npm-registry-fetch's own default, read from its small defaults module: loading the whole
// library costs ~250 ms, which a run answered from the cache should not pay.
const require = createRequire(import.meta.url);
export const DEFAULT_REGISTRY: string = (require('npm-registry-fetch/lib/default-opts.js') as { registry: string })
  .registry;

/**
 * The host yarn classic writes into every lockfile entry it resolved from its own default
 * registry. yarn serves it as an alias of the default registry above (it proxies the same
 * packages), so a project that configures no other registry trusts it as it trusts that one.
 * No package of ours carries this name to read it from, so it is written here, once.
 */
export const YARN_DEFAULT_REGISTRY_HOST = ['registry', 'yarnpkg', 'com'].join('.');

export function normaliseRegistry(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The registry npm would ask for `name`: its scope's `@scope:registry`, else `registry`. */
export function pickRegistry(name: string, config: NpmConfig): string {
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
  const scoped = scope ? config[`${scope}:registry`] : undefined;
  const registry =
    typeof scoped === 'string' ? scoped : typeof config.registry === 'string' ? config.registry : DEFAULT_REGISTRY;
  return normaliseRegistry(registry);
}

/** The default registry and every `@scope:registry`, each once. */
export function configuredRegistries(config: NpmConfig): string[] {
  const all = new Set([pickRegistry('x', config)]);
  for (const [key, value] of Object.entries(config)) {
    if (/^@[^:]+:registry$/.test(key) && typeof value === 'string') all.add(normaliseRegistry(value));
  }
  return [...all];
}
