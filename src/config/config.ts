import path from 'node:path';
import { ConfigError } from '../model/errors.js';
import { FINDING_CODES, type FindingCode, type Severity } from '../model/finding.js';
import { MAX_PROJECT_FILE_BYTES, readRegularFile } from '../scan/read-text.js';
import { starPattern } from '../scan/wildcard.js';

export type SeveritySetting = Severity | 'off';

export interface LicenseException {
  /** `name` or `name@range`. */
  package: string;
  reason: string;
}

export interface LicensePolicy {
  /** SPDX ids or expressions; when given, a licence must satisfy one of them. */
  allow: string[];
  /** SPDX ids or expressions that are never accepted. */
  deny: string[];
  exceptions: LicenseException[];
}

export interface MaintenancePolicy {
  /** Days without a release before an UNMAINTAINED info finding. */
  infoAfterDays: number;
  /** Days without a release before an UNMAINTAINED warning. */
  warnAfterDays: number;
  /** Days without a release before an error; `null` (the default) never. */
  errorAfterDays: number | null;
}

/** When SUSPICIOUS_PACKAGE looks at a package, and what counts (README: "Squatting risk"). */
export interface SquattingPolicy {
  /** Names or patterns (`@corp/*`) never judged as squats. */
  allow: string[];
  /** A package created this many days ago or fewer is new. */
  newPackageDays: number;
  /** A single maintainer on a package created this many days ago or fewer is a signal. */
  newMaintainerDays: number;
  /** This many published versions or fewer is a signal. */
  fewVersions: number;
  /** A typosquat target needs at least this many monthly downloads. */
  minTargetDownloads: number;
  /** …and this many times the downloads of the package judged. */
  popularityRatio: number;
  /** A package with this many monthly downloads or more is never a typosquat. */
  popularDownloads: number;
  /** Fewer monthly downloads than this is a signal (from the downloads endpoint, else the index). */
  lowDownloads: number;
  /**
   * Monthly downloads endpoint, the name appended (`<url><name>`, unscoped names batched with
   * commas), in the shape of npm's public downloads API. Unset: the shipped index stands in.
   */
  downloadsUrl?: string;
}

interface LockfilePolicy {
  /** Hosts (or URLs, whose host is taken) lockfile entries may download from besides the configured registries. */
  allowedHosts: string[];
}

/** Supply-chain gates on the version a project would install (README: "Supply-chain signals"). */
interface ReleasePolicy {
  /** Minutes a version must have been published before it is installed; null: no gate (a warning under 24 h). */
  minimumReleaseAge: number | null;
  /** Packages (names or patterns) the minimum release age does not apply to. */
  minimumReleaseAgeExclude: string[];
  /** Where minimumReleaseAge came from, for messages. */
  minimumReleaseAgeSource?: string;
  /** Packages allowed to run install scripts (pnpm's onlyBuiltDependencies); null: no list kept. */
  installScriptsAllow: string[] | null;
}

export interface DepverifyConfig {
  ignore: { packages: string[]; paths: string[] };
  release: ReleasePolicy;
  lockfile: LockfilePolicy;
  licenses: LicensePolicy;
  maintenance: MaintenancePolicy;
  squatting: SquattingPolicy;
  severity: Partial<Record<FindingCode, SeveritySetting>>;
  /** Scopes (`@corp`) whose packages are never sent to any registry. */
  internalScopes: string[];
  /** Where the configuration came from, for messages. */
  source?: string;
}

/** Configuration as written in depverify.config.json, package.json#depverify or passed to verify(). */
export interface DepverifyConfigInput {
  ignore?: { packages?: string[]; paths?: string[] };
  licenses?: Partial<LicensePolicy>;
  maintenance?: Partial<MaintenancePolicy>;
  squatting?: Partial<SquattingPolicy>;
  lockfile?: Partial<LockfilePolicy>;
  severity?: Partial<Record<FindingCode, SeveritySetting>>;
  internalScopes?: string[];
  /** A duration (`"3d"`, `"12h"`, `"90m"`) or minutes, as pnpm counts them. */
  minimumReleaseAge?: string | number;
  minimumReleaseAgeExclude?: string[];
  installScripts?: { allow?: string[] };
}

export { ConfigError };

const SEVERITY_SETTINGS = new Set<string>(['error', 'warning', 'info', 'off']);
const KEYS = new Set([
  'ignore',
  'severity',
  'internalScopes',
  'licenses',
  'maintenance',
  'squatting',
  'lockfile',
  'minimumReleaseAge',
  'minimumReleaseAgeExclude',
  'installScripts',
  '$schema',
]);

/** Years without a release: 2 is worth knowing, 4 worth a look; finished small packages are not errors. */
const DEFAULT_MAINTENANCE: MaintenancePolicy = { infoAfterDays: 2 * 365, warnAfterDays: 4 * 365, errorAfterDays: null };

/**
 * Calibrated on the shipped index (README): with these, none of the 5,000 most downloaded names is
 * a typosquat of another, and about 1.6% of the less used names in the index are.
 */
const DEFAULT_SQUATTING: SquattingPolicy = {
  allow: [],
  newPackageDays: 30,
  newMaintainerDays: 7,
  fewVersions: 2,
  minTargetDownloads: 1_000_000,
  popularityRatio: 100,
  popularDownloads: 50_000,
  lowDownloads: 500,
};

const emptyConfig = (): DepverifyConfig => ({
  ignore: { packages: [], paths: [] },
  release: { minimumReleaseAge: null, minimumReleaseAgeExclude: [], installScriptsAllow: null },
  lockfile: { allowedHosts: [] },
  licenses: { allow: [], deny: [], exceptions: [] },
  maintenance: { ...DEFAULT_MAINTENANCE },
  squatting: { ...DEFAULT_SQUATTING, allow: [] },
  severity: {},
  internalScopes: [],
});

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function days(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new ConfigError(`${where} must be a number of days`);
  return value;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new ConfigError(`${where} must be an array of strings`);
  return value as string[];
}

/** Validate a parsed configuration object; unknown keys are errors so typos do not pass silently. */
export function parseConfig(raw: unknown, source: string): DepverifyConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(`${source}: the configuration must be an object`);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!KEYS.has(key)) throw new ConfigError(`${source}: unknown key "${key}"`);
  const config = emptyConfig();
  config.source = source;
  if (obj.ignore !== undefined) {
    const ignore = obj.ignore as Record<string, unknown>;
    if (typeof ignore !== 'object' || ignore === null) throw new ConfigError(`${source}: "ignore" must be an object`);
    config.ignore.packages = stringList(ignore.packages, `${source}: ignore.packages`);
    config.ignore.paths = stringList(ignore.paths, `${source}: ignore.paths`);
  }
  if (obj.licenses !== undefined) {
    const licenses = objectAt(obj.licenses, `${source}: licenses`);
    for (const key of Object.keys(licenses)) {
      if (!['allow', 'deny', 'exceptions'].includes(key))
        throw new ConfigError(`${source}: unknown key "licenses.${key}"`);
    }
    config.licenses.allow = stringList(licenses.allow, `${source}: licenses.allow`);
    config.licenses.deny = stringList(licenses.deny, `${source}: licenses.deny`);
    if (licenses.exceptions !== undefined) {
      if (!Array.isArray(licenses.exceptions)) throw new ConfigError(`${source}: licenses.exceptions must be an array`);
      config.licenses.exceptions = licenses.exceptions.map((raw, i) => {
        const e = objectAt(raw, `${source}: licenses.exceptions[${i}]`);
        if (typeof e.package !== 'string' || typeof e.reason !== 'string' || !e.reason.trim()) {
          throw new ConfigError(`${source}: licenses.exceptions[${i}] needs "package" and a "reason"`);
        }
        return { package: e.package, reason: e.reason };
      });
    }
  }
  if (obj.maintenance !== undefined) {
    const maintenance = objectAt(obj.maintenance, `${source}: maintenance`);
    for (const [key, value] of Object.entries(maintenance)) {
      if (key === 'infoAfterDays' || key === 'warnAfterDays')
        config.maintenance[key] = days(value, `${source}: maintenance.${key}`);
      else if (key === 'errorAfterDays')
        config.maintenance.errorAfterDays =
          value === null ? null : days(value, `${source}: maintenance.errorAfterDays`);
      else throw new ConfigError(`${source}: unknown key "maintenance.${key}"`);
    }
  }
  if (obj.lockfile !== undefined) {
    const lockfile = objectAt(obj.lockfile, `${source}: lockfile`);
    for (const key of Object.keys(lockfile))
      if (key !== 'allowedHosts') throw new ConfigError(`${source}: unknown key "lockfile.${key}"`);
    config.lockfile.allowedHosts = stringList(lockfile.allowedHosts, `${source}: lockfile.allowedHosts`).map((h) =>
      normaliseHost(h, `${source}: lockfile.allowedHosts`),
    );
  }
  if (obj.minimumReleaseAge !== undefined) {
    config.release.minimumReleaseAge = parseDuration(obj.minimumReleaseAge, `${source}: minimumReleaseAge`);
    config.release.minimumReleaseAgeSource = source;
  }
  config.release.minimumReleaseAgeExclude = stringList(
    obj.minimumReleaseAgeExclude,
    `${source}: minimumReleaseAgeExclude`,
  );
  if (obj.installScripts !== undefined) {
    const scripts = objectAt(obj.installScripts, `${source}: installScripts`);
    for (const key of Object.keys(scripts))
      if (key !== 'allow') throw new ConfigError(`${source}: unknown key "installScripts.${key}"`);
    config.release.installScriptsAllow = stringList(scripts.allow, `${source}: installScripts.allow`);
  }
  if (obj.squatting !== undefined)
    parseSquatting(objectAt(obj.squatting, `${source}: squatting`), config.squatting, source);
  if (obj.severity !== undefined) {
    if (typeof obj.severity !== 'object' || obj.severity === null)
      throw new ConfigError(`${source}: "severity" must be an object`);
    for (const [code, setting] of Object.entries(obj.severity)) {
      if (!(FINDING_CODES as readonly string[]).includes(code))
        throw new ConfigError(`${source}: unknown finding code "${code}"`);
      if (typeof setting !== 'string' || !SEVERITY_SETTINGS.has(setting)) {
        throw new ConfigError(`${source}: severity of ${code} must be error, warning, info or off`);
      }
      config.severity[code as FindingCode] = setting as SeveritySetting;
    }
  }
  // `@corp`, `corp`, `@corp/` and `@corp/*` all mean the scope: a form that matched nothing would
  // send private names to a public registry.
  config.internalScopes = stringList(obj.internalScopes, `${source}: internalScopes`).map((raw) => {
    const scope = `@${raw
      .trim()
      .replace(/^@/, '')
      .replace(/\/\*?$/, '')}`.toLowerCase();
    if (!/^@[a-z0-9][a-z0-9._~-]*$/.test(scope))
      throw new ConfigError(`${source}: internalScopes: "${raw}" is not a scope`);
    return scope;
  });
  return config;
}

const UNIT_MINUTES: Record<string, number> = { m: 1, min: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 };

/** `"3d"`, `"12h"`, `"90m"`, `"1w"`, or a number of minutes (pnpm's unit) → minutes. */
function parseDuration(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)?\s*$/i.exec(value) : null;
  if (!m) throw new ConfigError(`${where} must be minutes or a duration such as "3d", "12h" or "90m"`);
  return Number(m[1]) * UNIT_MINUTES[(m[2] ?? 'm').toLowerCase()]!;
}

const SQUATTING_COUNTS = [
  'newPackageDays',
  'newMaintainerDays',
  'fewVersions',
  'minTargetDownloads',
  'popularityRatio',
  'popularDownloads',
  'lowDownloads',
] as const;

function parseSquatting(raw: Record<string, unknown>, into: SquattingPolicy, source: string): void {
  for (const [key, value] of Object.entries(raw)) {
    const where = `${source}: squatting.${key}`;
    if (key === 'allow') into.allow = stringList(value, where);
    else if ((SQUATTING_COUNTS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw new ConfigError(`${where} must be a non-negative number`);
      into[key as (typeof SQUATTING_COUNTS)[number]] = value;
    } else if (key === 'downloadsUrl') {
      if (typeof value !== 'string' || !/^https?:\/\/[^/]/.test(value))
        throw new ConfigError(`${where} must be an http(s) URL`);
      into.downloadsUrl = value;
    } else throw new ConfigError(`${source}: unknown key "squatting.${key}"`);
  }
}

/** `host`, `host:port` or a URL → `host[:port]`, lower case; what lockfile URLs are compared by. */
export function normaliseHost(raw: string, where: string): string {
  const text = raw.trim();
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).host.toLowerCase();
  } catch {
    throw new ConfigError(`${where}: "${raw}" is not a host`);
  }
}

/** `depverify.config.json`, else the `"depverify"` key of package.json, else the defaults. */
export async function loadConfig(root: string, explicit?: string): Promise<DepverifyConfig> {
  const candidates = explicit ? [path.resolve(root, explicit)] : [path.join(root, 'depverify.config.json')];
  for (const file of candidates) {
    let text: string;
    try {
      text = (await readRegularFile(file, MAX_PROJECT_FILE_BYTES)).toString('utf8');
    } catch (error) {
      if (explicit) throw new ConfigError(`cannot read ${explicit}: ${(error as Error).message}`);
      continue;
    }
    const name = path.relative(root, file) || file;
    try {
      return parseConfig(JSON.parse(text), name);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`${name}: ${(error as Error).message}`);
    }
  }
  try {
    const text = (await readRegularFile(path.join(root, 'package.json'), MAX_PROJECT_FILE_BYTES)).toString('utf8');
    const manifest = JSON.parse(text) as Record<string, unknown>;
    if (manifest.depverify !== undefined) return parseConfig(manifest.depverify, 'package.json#depverify');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // A missing or broken package.json is reported by the manifest scan, not here.
  }
  return emptyConfig();
}

/** `name`, `@scope/*` or `prefix-*` patterns. */
export function matchesPackagePattern(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    if (!pattern.includes('*')) return pattern === name;
    return starPattern(pattern)(name);
  });
}

/** pnpm's own settings (pnpm-workspace.yaml) where depverify's configuration sets none. */
export function withPnpmSettings(
  config: DepverifyConfig,
  settings: { minimumReleaseAge?: number; minimumReleaseAgeExclude?: string[]; onlyBuiltDependencies?: string[] },
): void {
  const release = config.release;
  if (release.minimumReleaseAge === null && settings.minimumReleaseAge !== undefined) {
    release.minimumReleaseAge = settings.minimumReleaseAge;
    release.minimumReleaseAgeSource = 'pnpm-workspace.yaml';
  }
  release.minimumReleaseAgeExclude = [
    ...release.minimumReleaseAgeExclude,
    ...(settings.minimumReleaseAgeExclude ?? []),
  ];
  if (release.installScriptsAllow === null && settings.onlyBuiltDependencies)
    release.installScriptsAllow = [...settings.onlyBuiltDependencies];
}
