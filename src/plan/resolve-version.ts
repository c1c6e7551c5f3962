import { createRequire } from 'node:module';
import type { PackageFacts } from '../model/facts.js';
import type { PackageRequest, Resolution } from '../model/request.js';

type Packument = {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, { name: string; version: string; deprecated?: string }>;
};
type PickManifest = (packument: Packument, wanted: string, opts?: object) => { version: string };

// npm's own choice of version (latest tag first when it satisfies, non-deprecated preferred),
// so "the version that would be installed" means what npm would install.
// Loaded on first use: a fully locked project never needs it.
let pickManifestModule: PickManifest | undefined;
const pickManifest: PickManifest = (...args) =>
  (pickManifestModule ??= createRequire(import.meta.url)('npm-pick-manifest') as PickManifest)(...args);

const packuments = new WeakMap<PackageFacts, Packument>();

function asPackument(facts: PackageFacts): Packument {
  let packument = packuments.get(facts);
  if (!packument) {
    const versions: Packument['versions'] = {};
    for (const [version, v] of Object.entries(facts.versions)) {
      versions[version] = v.deprecated
        ? { name: facts.name, version, deprecated: v.deprecated }
        : { name: facts.name, version };
    }
    packument = { name: facts.name, 'dist-tags': facts.distTags, versions };
    packuments.set(facts, packument);
  }
  return packument;
}

const resolutions = new WeakMap<PackageFacts, Map<string, Resolution>>();

/** The version a request would install: the locked one, else npm's pick for the range, else latest. */
export function resolveVersion(facts: PackageFacts, request: PackageRequest): Resolution {
  // Checks and the report each ask; a lockfile repeats the same versions many times over.
  let byRequest = resolutions.get(facts);
  if (!byRequest) resolutions.set(facts, (byRequest = new Map()));
  const key = request.locked !== undefined ? `locked\0${request.locked}` : `wanted\0${request.wanted ?? ''}`;
  let resolution = byRequest.get(key);
  if (!resolution) byRequest.set(key, (resolution = resolveUncached(facts, request)));
  return resolution;
}

function resolveUncached(facts: PackageFacts, request: PackageRequest): Resolution {
  if (request.locked !== undefined) {
    return facts.versions[request.locked]
      ? { ok: true, version: request.locked, via: 'locked' }
      : { ok: false, wanted: request.locked, via: 'locked' };
  }
  const wanted = request.wanted?.trim() || 'latest';
  const via = request.wanted ? 'range' : 'latest';
  try {
    return { ok: true, version: pickManifest(asPackument(facts), wanted).version, via };
  } catch {
    return { ok: false, wanted, via };
  }
}
