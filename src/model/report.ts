import type { Finding } from './finding.js';

export type PackageState = 'ok' | 'finding' | 'unknown';

export interface PackageResult {
  name: string;
  /** Range or tag as declared, when one was. */
  requested?: string;
  /** The version checked: locked, or what the range resolves to. */
  version?: string;
  state: PackageState;
}

export interface Summary {
  /** Entries in `packages`. */
  packages: number;
  ok: number;
  finding: number;
  unknown: number;
  /** Distinct package names asked of the registry. */
  names: number;
  /** Names left out by configuration (ignored, internal scopes). */
  skipped: number;
  /** With `--changed-since`: the git ref compared against. */
  changedSince?: string;
  /** With `--changed-since`: declarations, lockfile entries and imports left out as unchanged. */
  unchanged?: number;
  errors: number;
  warnings: number;
  infos: number;
  manifests: number;
  lockfile?: string;
  sourceFiles: number;
  imports: number;
}

/** With `--changed-since`, what the change did to the locked packages, by name. */
export interface LockfileChanges {
  /** The git ref compared against. */
  ref: string;
  lockfile: string;
  added: Array<{ name: string; versions: string[] }>;
  removed: Array<{ name: string; versions: string[] }>;
  updated: Array<{ name: string; from: string[]; to: string[] }>;
}

/** A locked package whose installed version runs an install script. */
export interface InstallScriptEntry {
  name: string;
  version: string;
  /** On installScripts.allow (or pnpm's onlyBuiltDependencies); absent when no list is kept. */
  allowed?: boolean;
}

export type ReportStatus = 'clean' | 'findings' | 'incomplete';

/** The result of one run; the JSON output is this object. */
export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  status: ReportStatus;
  summary: Summary;
  packages: PackageResult[];
  findings: Finding[];
  /** With `--changed-since` and a lockfile the change touched. */
  lockfileChanges?: LockfileChanges;
  /** With a lockfile: every locked package that runs an install script, sorted by name. */
  installScripts?: InstallScriptEntry[];
}
