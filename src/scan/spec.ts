import { createRequire } from 'node:module';
import type npaType from 'npm-package-arg';
// semver's functions one by one: its index loads all of its ~50 modules.
import validRange from 'semver/ranges/valid.js';
import { isValidPackageName } from './package-name.js';
import type { DeclaredDependency } from '../model/references.js';

export type SpecClass = Pick<DeclaredDependency, 'kind' | 'registryName' | 'range'>;

/**
 * Classifies a dependency spec as npm would read it. `where` is the manifest's directory, which
 * npa needs to resolve `file:` paths; nothing on disk is touched.
 */
// Loaded on first use: most specs are plain ranges, and npa costs ~50 ms to load.
let npaModule: typeof npaType | undefined;
const npa = (): typeof npaType => (npaModule ??= createRequire(import.meta.url)('npm-package-arg') as typeof npaType);

export function classifySpec(name: string, spec: string, where: string): SpecClass {
  // The common case, decided as npa decides it (a valid semver range is a registry range).
  if (validRange(spec) !== null && !spec.includes(':') && isValidPackageName(name))
    return { kind: 'registry', registryName: name, range: spec.trim() === '' ? '*' : spec };
  // pnpm and yarn protocols that npa rejects as unsupported URL types.
  if (spec.startsWith('workspace:')) return { kind: 'workspace' };
  if (spec.startsWith('link:') || spec.startsWith('portal:')) return { kind: 'link' };
  // pnpm catalogs keep the range in pnpm-workspace.yaml; the package still comes from the registry.
  if (spec.startsWith('catalog:')) return { kind: 'registry', registryName: name };
  let parsed: npaType.Result;
  try {
    parsed = npa().resolve(name, spec, where);
  } catch {
    return { kind: 'invalid' };
  }
  switch (parsed.type) {
    case 'range':
    case 'version':
    case 'tag':
      // An empty spec means any version, as npm treats it.
      return { kind: 'registry', registryName: name, range: spec.trim() === '' ? '*' : spec };
    case 'alias': {
      const sub = (parsed as npaType.AliasResult).subSpec;
      // `npm:foo` without a range installs `foo@*`; npa fills the default into fetchSpec.
      const range = sub.fetchSpec || sub.rawSpec || '*';
      return sub.name ? { kind: 'alias', registryName: sub.name, range } : { kind: 'invalid' };
    }
    case 'git':
      return { kind: 'git' };
    case 'file':
    case 'directory':
      return { kind: 'file' };
    case 'remote':
      return { kind: 'remote' };
    default:
      return { kind: 'invalid' };
  }
}
