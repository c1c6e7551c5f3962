import type { SquatCandidate } from '../popularity/typosquat.js';
import type { Finding } from '../model/finding.js';
import type { Lookup, SigningKeys } from '../model/facts.js';
import type { PackageRequest } from '../model/request.js';
import type { ProjectScan } from '../model/references.js';
import type { DepverifyConfig } from '../config/config.js';

export interface Suggestion {
  name: string;
  downloads: number;
}

/** How much a name is used, for the squatting check. */
export interface Popularity {
  /**
   * Monthly downloads: from the configured downloads endpoint when it answered, else from the
   * shipped index. `count` is undefined when neither knows; `inIndex: false` then means fewer
   * downloads than the index's floor.
   */
  downloads(name: string): { count?: number; source: 'downloads-api' | 'index'; inIndex?: boolean };
  /** Popular names `name` could be mistaken for, before any judgement of its own popularity. */
  squatCandidates(name: string): SquatCandidate[];
}

/** What every check of a run shares. */
export interface CheckContext {
  config: DepverifyConfig;
  /** The project's own licence (root package.json), for the default licence policy. */
  projectLicense?: string;
  /** The time the run judges ages against, in ms since the epoch (injected, so tests are stable). */
  now: number;
  /** With `--changed-since`: the ref; the requests checked are then only what the change added. */
  changedSince?: string;
}

/** Everything a per-package check may look at. Checks are pure: no I/O. */
export interface PackageInput {
  name: string;
  lookup: Lookup;
  requests: PackageRequest[];
  context: CheckContext;
  /** "Did you mean" candidates for a name (from the shipped popular-package index). */
  suggest(name: string): Suggestion[];
  popularity: Popularity;
  /** The signing keys of the registry the package comes from, when its lockfile entries are to be verified. */
  signingKeys?: SigningKeys;
}

export interface PackageCheck {
  name: string;
  run(input: PackageInput): Finding[];
}

/** What project checks share: configuration and the registries lockfile URLs may point at. */
export interface ProjectContext {
  config: DepverifyConfig;
  /** Every configured registry URL (default and scoped), normalised with a trailing slash. */
  registries: string[];
}

export interface ProjectCheck {
  name: string;
  run(scan: ProjectScan, context: ProjectContext): Finding[];
}

export const definePackageCheck = (check: PackageCheck): PackageCheck => check;
export const defineProjectCheck = (check: ProjectCheck): ProjectCheck => check;
