import type { Location } from './finding.js';

/** One reason to ask the registry about a package, and where it came from. */
export interface PackageRequest {
  /** The registry name (for an `npm:` alias, the real package). */
  name: string;
  /** Range, tag or version as declared (manifest, command line). */
  wanted?: string;
  /** Version a lockfile pins. */
  locked?: string;
  /** For a lockfile entry: the integrity it records (what the registry's signature covers). */
  integrity?: string;
  source: 'manifest' | 'lockfile' | 'import' | 'cli';
  locations: Location[];
}

/** The version a request resolves to, or why none does. */
export type Resolution =
  | { ok: true; version: string; via: 'locked' | 'range' | 'latest' }
  | { ok: false; wanted: string; via: 'locked' | 'range' | 'latest' };
