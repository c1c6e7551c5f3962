import type { LockedSource } from '../../model/references.js';
import type { Fields } from './entries.js';
import { specSource, splitNameRef } from './source.js';

/** pnpm's key layouts: 5.x `/name/1.0.0_peer@1`, 6.x `/name@1.0.0(peer@1)`, 9.x `name@1.0.0(peer@1)`. */
export type PnpmLayout = 5 | 6 | 9;

export interface PnpmKey {
  /** Undefined for keys that are not `name@ref` (5.x/6.x non-registry keys): the entry names it. */
  name?: string;
  /** The version, or for non-registry packages the spec (`file:…`, a URL), peers stripped. */
  ref: string;
  /** Keyed by registry name and version, which only registry packages are. */
  registryForm: boolean;
}

/** Peer and patch suffixes (`(react@18.2.0)`, `(patch_hash=…)`) tell snapshots apart, not packages. */
export function withoutPeers(key: string): string {
  const paren = key.indexOf('(');
  return paren === -1 ? key : key.slice(0, paren);
}

export function parsePnpmKey(key: string, layout: PnpmLayout): PnpmKey {
  if (layout === 5 && key.startsWith('/')) {
    const parts = key.slice(1).split('/');
    const nameParts = parts[0]?.startsWith('@') ? 2 : 1;
    const version = parts[nameParts];
    // 5.x appends peers after `_`, which no version contains.
    if (version) return { name: parts.slice(0, nameParts).join('/'), ref: version.split('_')[0]!, registryForm: true };
  } else if (layout === 9 || (layout === 6 && key.startsWith('/'))) {
    const id = splitNameRef(withoutPeers(layout === 9 ? key : key.slice(1)));
    // In 9.x every key is `name@ref`: only a version makes it a registry package.
    if (id) return { ...id, registryForm: layout === 6 || /^\d/.test(id.ref) };
  }
  return { ref: key, registryForm: false };
}

/**
 * Where an entry comes from, by its `resolution`: `{integrity}` alone is the registry;
 * `{tarball}` is a registry whose tarball URLs pnpm cannot derive when the key is a version,
 * else a URL or `file:` tarball (git hosts serve commits as tarballs too); `{repo, commit}` is
 * git; `{directory}` a local folder.
 */
export function pnpmSource(key: PnpmKey, resolution: Fields): { source: LockedSource; resolved?: string } {
  if (resolution.type === 'directory' || typeof resolution.directory === 'string') return { source: 'link' };
  if (resolution.type === 'git' || typeof resolution.repo === 'string') {
    const repo = typeof resolution.repo === 'string' ? resolution.repo : key.ref;
    return { source: 'git', resolved: typeof resolution.commit === 'string' ? `${repo}#${resolution.commit}` : repo };
  }
  const tarball = typeof resolution.tarball === 'string' ? resolution.tarball : undefined;
  if (key.registryForm) return tarball ? { source: 'registry', resolved: tarball } : { source: 'registry' };
  // Anything else not recognised is flagged rather than sent to a registry.
  const source = specSource(tarball ?? key.ref) ?? 'remote';
  return tarball ? { source, resolved: tarball } : { source };
}
