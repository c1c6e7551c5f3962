import { binNames } from '../model/bins.js';
import type { Lookup, PackageFacts, VersionFacts, VersionSignature } from '../model/facts.js';
import { isRecord, type JsonObject as Json } from '../model/json.js';
import { joinLegacyLicenses } from '../model/license.js';

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * A registry document's licence (a version's, or the packument's): `license` as a string, `{ type }`
 * object, or the legacy `licenses` array (joined as OR). Lenient: what is not a licence is left out.
 */
function readRegistryLicense(manifest: Json): string | undefined {
  const license = manifest.license;
  if (typeof license === 'string') return license;
  if (isRecord(license)) return str(license.type);
  if (Array.isArray(manifest.licenses)) {
    return joinLegacyLicenses(
      manifest.licenses.map((l) => (isRecord(l) ? str(l.type) : str(l))).filter((t): t is string => !!t),
    );
  }
  return undefined;
}

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

/** A command name as registry strings may carry it; anything else is not shown or compared. */
const BIN_NAME = /^[\w@.+-][\w@.+-]{0,213}$/;
const MAX_BINS = 64;

/**
 * The commands a version's `bin` installs. A string `bin` is named after the package: the version
 * document's `name`, else the packument's. `[]` only when the document says it links none; when
 * the list is not known (a `directories.bin` folder) or not kept whole (a name of other
 * characters, more names than are kept), `undefined`: a list that misses a command would make a
 * script that runs it look unprovided.
 */
function readBins(manifest: Json, packageName: string): string[] | undefined {
  const names = binNames(manifest, str(manifest.name) ?? packageName);
  if (!names || names.length > MAX_BINS || !names.every((n) => BIN_NAME.test(n))) return undefined;
  return names;
}

function distilVersion(manifest: Json, packageName: string): VersionFacts {
  const facts: VersionFacts = {};
  // An empty string is how a deprecation is lifted (`npm deprecate pkg@1 ""`).
  const deprecated = manifest.deprecated;
  if (typeof deprecated === 'string' && deprecated !== '') facts.deprecated = deprecated;
  else if (deprecated === true) facts.deprecated = 'deprecated';
  const license = readRegistryLicense(manifest);
  if (license !== undefined) facts.license = license;
  const types = str(manifest.types) ?? str(manifest.typings);
  if (types) facts.types = types;
  const scripts = isRecord(manifest.scripts) ? manifest.scripts : undefined;
  if (manifest.hasInstallScript === true || (scripts && INSTALL_SCRIPTS.some((s) => str(scripts[s])))) {
    facts.hasInstallScript = true;
  }
  // npm's registry lists a provenance attestation as `dist.attestations.provenance`; only that
  // (not any attestation) is build provenance.
  const dist = isRecord(manifest.dist) ? manifest.dist : undefined;
  if (dist && isRecord(dist.attestations) && isRecord(dist.attestations.provenance)) facts.provenance = true;
  const bins = readBins(manifest, packageName);
  if (bins) facts.bins = bins;
  return facts;
}

function readRepository(value: unknown): string | undefined {
  if (typeof value === 'string') return str(value);
  if (isRecord(value)) return str(value.url);
  return undefined;
}

/** `dist.signatures`: each `{ keyid, sig }` of the right shape (registries that do not sign send none). */
function readSignatures(dist: unknown): VersionSignature[] | undefined {
  if (!isRecord(dist) || !Array.isArray(dist.signatures)) return undefined;
  const out: VersionSignature[] = [];
  for (const s of dist.signatures) {
    if (isRecord(s) && str(s.keyid) && str(s.sig) && (s.sig as string).length <= 512)
      out.push({ keyid: s.keyid as string, sig: s.sig as string });
  }
  return out.length ? out : undefined;
}

/**
 * Base64 characters of a digest kept (144 bits): a lockfile hash that shares them with the
 * registry's is taken as the same. Forging a tarball whose digest matches 144 chosen bits is out
 * of reach, and a lockfile entry that differs anywhere in them is certainly another tarball.
 */
export const INTEGRITY_PREFIX = 24;

/** The strongest hash of `dist.integrity` (else `dist.shasum`, as sha1), shortened. */
function readIntegrity(dist: unknown): string | undefined {
  if (!isRecord(dist)) return undefined;
  const parts = typeof dist.integrity === 'string' ? dist.integrity.trim().split(/\s+/) : [];
  for (const algorithm of ['sha512', 'sha384', 'sha256', 'sha1']) {
    const part = parts.find((p) => p.startsWith(`${algorithm}-`));
    const digest = part?.slice(algorithm.length + 1).replace(/\?.*$/, '');
    if (digest && /^[A-Za-z0-9+/]+=*$/.test(digest) && digest.length >= INTEGRITY_PREFIX)
      return `${algorithm}-${digest.slice(0, INTEGRITY_PREFIX)}`;
  }
  if (typeof dist.shasum === 'string' && /^[0-9a-f]{40}$/i.test(dist.shasum))
    return `sha1-${Buffer.from(dist.shasum, 'hex').toString('base64').slice(0, INTEGRITY_PREFIX)}`;
  return undefined;
}

/** npm's replacement for a malicious package: a single `0.0.N-security` version. */
function isSecurityHolding(versions: string[]): boolean {
  return versions.length === 1 && /^0\.0\.\d+-security$/.test(versions[0] ?? '');
}

/**
 * Distil a packument (full or abbreviated) into compact facts and the three-valued answer.
 * Anything that does not have the packument's shape is `unknown`, never `found`.
 */
export function distilPackument(name: string, registry: string, doc: unknown): Lookup {
  if (!isRecord(doc)) return { state: 'unknown', reason: 'malformed packument: not a JSON object' };
  if (doc.name !== undefined && doc.name !== name) {
    return {
      state: 'unknown',
      reason: `malformed packument: it names ${JSON.stringify(String(doc.name)).slice(0, 80)}`,
    };
  }
  const time = isRecord(doc.time) ? doc.time : undefined;
  const unpublished = time && isRecord(time.unpublished) ? time.unpublished : undefined;
  if (doc.versions === undefined && !unpublished) {
    return { state: 'unknown', reason: 'malformed packument: no versions field' };
  }
  if (doc.versions !== undefined && !isRecord(doc.versions)) {
    return { state: 'unknown', reason: 'malformed packument: versions is not an object' };
  }
  const rawVersions = isRecord(doc.versions) ? doc.versions : {};
  const versions: Record<string, VersionFacts> = {};
  const signatures: Record<string, VersionSignature[]> = {};
  const integrity: Record<string, string> = {};
  // `__proto__` as a key would set the prototype of the object built here, not add an entry.
  for (const [version, manifest] of Object.entries(rawVersions)) {
    if (!isRecord(manifest) || version === '__proto__') continue;
    versions[version] = distilVersion(manifest, name);
    const sigs = readSignatures(manifest.dist);
    if (sigs) signatures[version] = sigs;
    const hash = readIntegrity(manifest.dist);
    if (hash) integrity[version] = hash;
  }
  const distTags: Record<string, string> = {};
  if (isRecord(doc['dist-tags'])) {
    for (const [tag, version] of Object.entries(doc['dist-tags']))
      if (typeof version === 'string' && tag !== '__proto__') distTags[tag] = version;
  }
  const facts: PackageFacts = { name, registry, distTags, versions };
  if (Object.keys(signatures).length) facts.signatures = signatures;
  if (Object.keys(integrity).length) facts.integrity = integrity;
  if (time) {
    const byVersion: Record<string, number> = {};
    for (const version of Object.keys(versions)) {
      const at = Date.parse(str(time[version]) ?? '');
      if (!Number.isNaN(at)) byVersion[version] = at;
    }
    if (Object.keys(byVersion).length) facts.time = byVersion;
    const created = str(time.created);
    if (created) facts.created = created;
  }
  const modified = str(time?.modified) ?? str(doc.modified);
  if (modified) facts.modified = modified;
  const latest =
    distTags.latest !== undefined && isRecord(rawVersions[distTags.latest])
      ? (rawVersions[distTags.latest] as Json)
      : undefined;
  const license = readRegistryLicense(doc) ?? (latest && readRegistryLicense(latest));
  if (license) facts.license = license;
  const repository = readRepository(doc.repository) ?? readRepository(latest?.repository);
  if (repository) facts.repository = repository;
  const description = str(doc.description) ?? str(latest?.description);
  if (description) facts.description = description.slice(0, 300);
  if (Array.isArray(doc.maintainers)) facts.maintainers = doc.maintainers.length;
  // The registry writes this placeholder when a package was published without a readme.
  if (typeof doc.readme === 'string')
    facts.readme = doc.readme.trim() !== '' && doc.readme.trim() !== 'ERROR: No README data found!';

  const names = Object.keys(versions);
  if (names.length === 0) {
    // The public registry marks unpublished packages in `time.unpublished`; some mirrors and
    // private registries just answer an empty document. Either way nothing can be installed.
    const at = unpublished ? str(unpublished.time) : undefined;
    return { state: 'missing', reason: 'unpublished', facts, ...(at ? { unpublishedAt: at } : {}) };
  }
  if (isSecurityHolding(names)) return { state: 'missing', reason: 'security-holding', facts };
  return { state: 'found', facts };
}
