/** Compact facts distilled from a packument; the only registry data the checks see. */

export interface VersionFacts {
  /** The author's deprecation message, if the version is deprecated (raw, unsanitised). */
  deprecated?: string;
  /** License as published: an SPDX expression or legacy string. */
  license?: string;
  /** `types`/`typings` entry of the manifest. */
  types?: string;
  /** preinstall/install/postinstall scripts, or the registry's hasInstallScript flag. */
  hasInstallScript?: boolean;
  /** The registry holds a build provenance attestation for this version (`dist.attestations`). */
  provenance?: boolean;
  /**
   * Commands the version's `bin` installs (a string `bin` is the unscoped package name); `[]` when
   * it installs none, absent when which it installs is not known.
   */
  bins?: string[];
}

export interface PackageFacts {
  name: string;
  /** The registry that answered (normalised, with a trailing slash). */
  registry: string;
  distTags: Record<string, string>;
  versions: Record<string, VersionFacts>;
  /**
   * The registry's `dist.integrity` by version (else `dist.shasum` as sha1), shortened to
   * `<algorithm>-<first INTEGRITY_PREFIX base64 characters>` to keep the cache small.
   */
  integrity?: Record<string, string>;
  /** Registry signatures by version (`dist.signatures`); absent when the registry sent none. */
  signatures?: Record<string, VersionSignature[]>;
  /** Publish times by version, in ms since the epoch (numbers keep the cache small); absent when the registry gave none. */
  time?: Record<string, number>;
  created?: string;
  modified?: string;
  license?: string;
  repository?: string;
  description?: string;
  /** Whether the packument's readme has text; absent when the registry sent no readme field. */
  readme?: boolean;
  maintainers?: number;
}

/** One registry signature of a version: ECDSA over `name@version:integrity`. */
export interface VersionSignature {
  keyid: string;
  sig: string;
}

/** A registry's public signing key, as its keys endpoint lists it. */
export interface SigningKey {
  keyid: string;
  /** Base64 DER SubjectPublicKeyInfo. */
  key: string;
  /** No signature made after this time (ms since the epoch) is valid. */
  expires?: number;
}

/** Whether and how a registry signs: `none` is a registry without keys, not a failure. */
export type SigningKeys =
  { state: 'found'; keys: SigningKey[] } | { state: 'none'; reason: string } | { state: 'unknown'; reason: string };

export type MissingReason = 'not-found' | 'unpublished' | 'security-holding';

/** The three-valued answer for one package name. */
export type Lookup =
  | { state: 'found'; facts: PackageFacts }
  | { state: 'missing'; reason: MissingReason; facts?: PackageFacts; unpublishedAt?: string }
  | { state: 'unknown'; reason: string };
