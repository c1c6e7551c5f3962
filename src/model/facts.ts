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
}

export interface PackageFacts {
  name: string;
  /** The registry that answered (normalised, with a trailing slash). */
  registry: string;
  distTags: Record<string, string>;
  versions: Record<string, VersionFacts>;
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

export type MissingReason = 'not-found' | 'unpublished' | 'security-holding';

/** The three-valued answer for one package name. */
export type Lookup =
  | { state: 'found'; facts: PackageFacts }
  | { state: 'missing'; reason: MissingReason; facts?: PackageFacts; unpublishedAt?: string }
  | { state: 'unknown'; reason: string };
