import { isRecord } from './json.js';

/** Stable finding codes. Adding one without a row in CODE_INFO fails to compile. */
export const FINDING_CODES = [
  'NOT_FOUND',
  'UNPUBLISHED',
  'SECURITY_HOLDING',
  'VERSION_NOT_FOUND',
  'DEPRECATED',
  'UNLISTED_DEPENDENCY',
  'UNLISTED_BINARY',
  'NON_REGISTRY_SOURCE',
  'REGISTRY_UNKNOWN',
  'INPUT_ERROR',
  'LICENSE_NOT_ALLOWED',
  'LICENSE_UNLICENSED',
  'LICENSE_WEAK_COPYLEFT',
  'LICENSE_REVIEW',
  'LICENSE_CHANGED',
  'UNMAINTAINED',
  'SUSPICIOUS_PACKAGE',
  'LOCKFILE_FOREIGN_HOST',
  'LOCKFILE_INSECURE_URL',
  'LOCKFILE_INVALID_URL',
  'LOCKFILE_NAME_MISMATCH',
  'LOCKFILE_INTEGRITY_MISSING',
  'LOCKFILE_WEAK_INTEGRITY',
  'LOCKFILE_INTEGRITY_MISMATCH',
  'LOCKFILE_OUT_OF_SYNC',
  'INVALID_SPEC',
  'INVENTED_EXPORT',
  'INVENTED_MEMBER',
  'SUBPATH_NOT_FOUND',
  'DEPRECATED_API',
  'TYPES_UNAVAILABLE',
  'TYPES_UNKNOWN',
  'SYNTAX_ERROR',
  'CONFIG_INCOMPLETE',
  'BUILTIN_INSTALLED',
  'RELEASE_TOO_NEW',
  'RELEASE_AGE_UNKNOWN',
  'PROVENANCE_LOST',
  'INSTALL_SCRIPT_ADDED',
  'INSTALL_SCRIPT_NOT_ALLOWED',
  'SIGNATURE_INVALID',
  'SIGNATURE_MISSING',
  'REGISTRY_UNSIGNED',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];
export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/** The `file` of a location that is a `--package` argument (in `field`), not a project file. */
export const COMMAND_LINE = '<command line>';

/** Where a finding comes from: a source position, or a manifest/lockfile field. */
export interface Location {
  /** Path relative to the project root, with forward slashes. */
  file: string;
  line?: number;
  column?: number;
  /** Manifest or lockfile field, e.g. `dependencies.left-pad`. */
  field?: string;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** Package name; for INPUT_ERROR, the empty string. */
  package: string;
  version?: string;
  /** One line, already sanitised of control characters. */
  message: string;
  /** What to do about it. */
  hint?: string;
  locations: Location[];
  details?: Record<string, unknown>;
}

const CODES = new Set<string>(FINDING_CODES);
const optional = (value: unknown, type: 'string' | 'number'): boolean => value === undefined || typeof value === type;
const isLocation = (value: unknown): value is Location =>
  isRecord(value) &&
  typeof value.file === 'string' &&
  optional(value.line, 'number') &&
  optional(value.column, 'number') &&
  optional(value.field, 'string');

/** Whether stored JSON (a cache entry) is a finding: a known code and severity, a message, well-formed locations. */
export const isFinding = (value: unknown): value is Finding =>
  isRecord(value) &&
  typeof value.code === 'string' &&
  CODES.has(value.code) &&
  (SEVERITIES as readonly unknown[]).includes(value.severity) &&
  typeof value.package === 'string' &&
  typeof value.message === 'string' &&
  optional(value.version, 'string') &&
  optional(value.hint, 'string') &&
  Array.isArray(value.locations) &&
  value.locations.every(isLocation) &&
  (value.details === undefined || isRecord(value.details));

/** Code-point order: the same on every machine, whatever the locale. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** By file, line, column and field; a missing location first. */
export function compareLocation(a: Location | undefined, b: Location | undefined): number {
  if (!a || !b) return (a ? 1 : 0) - (b ? 1 : 0);
  return (
    compareText(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareText(a.field ?? '', b.field ?? '')
  );
}

/** Deterministic order: package, then first location, then code. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.package, b.package) ||
    compareText(a.version ?? '', b.version ?? '') ||
    compareLocation(a.locations[0], b.locations[0]) ||
    compareText(a.code, b.code)
  );
}

export function sortLocations(locations: Location[]): Location[] {
  const seen = new Set<string>();
  return locations
    .filter((l) => {
      const key = `${l.file}\0${l.line}\0${l.column}\0${l.field}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(compareLocation);
}
