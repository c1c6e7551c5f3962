import type { Finding } from '../model/finding.js';
import type { Lookup, SigningKeys } from '../model/facts.js';
import type { PackageRequest } from '../model/request.js';
import type { ProjectScan } from '../model/references.js';
import type { DepverifyConfig } from '../config/config.js';
import type { Popularity } from '../popularity/popularity.js';
import type { NameSuggestion } from '../model/finding-details.js';

export type { Popularity };

/** What every check of a run shares. */
export interface CheckContext {
  config: DepverifyConfig;
  /** The project's own licence (root package.json), for the default licence policy. */
  projectLicense?: string;
  /** The time the run judges ages against, in ms since the epoch (injected, so tests are stable). */
  now: number;
  /**
   * Told the moment (ms since the epoch) a verdict or its wording will change as time passes (a
   * count of days or minutes moving on, a threshold crossed): the run's report is reused only
   * until the earliest (cache/run-memo.ts).
   */
  changesAt?: (at: number) => void;
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
  suggest(name: string): NameSuggestion[];
  /** Worked out before the checks run (popularity/prepare.ts): reading it does no I/O. */
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
