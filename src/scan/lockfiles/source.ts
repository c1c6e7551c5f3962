import type { LockedSource } from '../../model/references.js';

const GIT_PREFIXES = ['git+', 'git:', 'git@', 'ssh:', 'github:', 'gitlab:', 'bitbucket:', 'gist:'];
const TARBALL_SUFFIXES = ['.tgz', '.tar.gz', '.tar'];
/** Git hosts' commit tarballs, which pnpm and yarn lock `github:`-style deps to. */
const GIT_TARBALL = [
  /^https:\/\/codeload\.github\.com\//,
  /^https:\/\/gitlab\.com\/api\/v4\/projects\/[^/]+\/repository\/archive/,
  /^https:\/\/bitbucket\.org\/[^/]+\/[^/]+\/get\//,
];

export const isTarballPath = (path: string): boolean => TARBALL_SUFFIXES.some((s) => path.endsWith(s));

/** `name@ref` → name and ref; a scoped name's own `@` is skipped. Undefined without a ref. */
export function splitNameRef(spec: string): { name: string; ref: string } | undefined {
  const at = spec.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: spec.slice(0, at), ref: spec.slice(at + 1) };
}

/**
 * The source a dependency spec or resolved location names, or undefined for a version, range
 * or tag (a registry package). Folders are links: npm and yarn link or copy them, never fetch.
 */
export function specSource(spec: string): LockedSource | undefined {
  // Most versions and registry URLs are settled by their first character.
  const first = spec.charCodeAt(0);
  if (first >= 48 && first <= 57) return undefined;
  if (spec.startsWith('https://') || spec.startsWith('http://')) {
    return GIT_TARBALL.some((re) => re.test(spec)) || /\.git(#|$)/.test(spec) ? 'git' : 'remote';
  }
  if (GIT_PREFIXES.some((p) => spec.startsWith(p))) return 'git';
  if (spec.startsWith('file:')) return isTarballPath(withoutFragment(spec)) ? 'file' : 'link';
  if (spec.startsWith('link:') || spec.startsWith('portal:') || spec.startsWith('workspace:')) return 'link';
  return undefined;
}

function withoutFragment(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

/**
 * v1 npm and yarn classic write non-registry sources into the version or key; the rest keep the
 * package's own version and put the source in `resolved`. Registries serve tarballs at
 * `<name>/-/<base>-<version>.tgz` (npmjs, Verdaccio, Artifactory, Nexus), which tells them apart
 * from a tarball URL dependency; yarn appends `#<sha1>` to it.
 */
export function sourceOf(name: string, version: string, resolved: string | undefined): LockedSource | undefined {
  const fromVersion = specSource(version);
  if (fromVersion) return fromVersion;
  // npm's omit-lockfile-registry-resolved leaves registry entries without `resolved`.
  if (resolved === undefined) return 'registry';
  const fromResolved = specSource(resolved);
  if (fromResolved !== 'remote') return fromResolved;
  return isRegistryTarball(name, version, resolved) ? 'registry' : 'remote';
}

function isRegistryTarball(name: string, version: string, url: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const path = withoutFragment(url);
  return path.includes('/-/') && path.endsWith(`/${base}-${version}.tgz`);
}
