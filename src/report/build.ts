import { resolveVersion } from '../plan/resolve-version.js';
import type { Lookup } from '../model/facts.js';
import { type Finding, compareFindings, compareText, sortLocations } from '../model/finding.js';
import type { ProjectScan } from '../model/references.js';
import type { InstallScriptEntry, LockfileChanges, PackageResult, Report, ReportStatus } from '../model/report.js';
import { matchesPackagePattern } from '../config/config.js';
import type { PackageRequest } from '../model/request.js';
import { redactDeep } from '../model/sanitize.js';
import type { DepverifyConfig } from '../config/config.js';

/** Codes that say something could not be checked: each makes the run incomplete, whatever its severity setting. */
export const UNKNOWN_CODES: ReadonlySet<Finding['code']> = new Set([
  'INPUT_ERROR',
  'REGISTRY_UNKNOWN',
  'RELEASE_AGE_UNKNOWN',
  'TYPES_UNKNOWN',
]);

/** Severity is configuration: `off` drops the finding, anything else replaces the default. */
export function applySeverities(findings: Finding[], config: Pick<DepverifyConfig, 'severity'>): Finding[] {
  const out: Finding[] = [];
  for (const finding of findings) {
    const setting = config.severity[finding.code];
    if (setting === 'off') continue;
    out.push(setting ? { ...finding, severity: setting } : finding);
  }
  return out;
}

/** One finding per code, package, version and message; their locations merged and sorted. */
function mergeFindings(findings: Finding[]): Finding[] {
  const merged = new Map<string, Finding>();
  for (const finding of findings) {
    const key = `${finding.code}\0${finding.package}\0${finding.version ?? ''}\0${finding.message}`;
    const existing = merged.get(key);
    if (existing) existing.locations = existing.locations.concat(finding.locations);
    else merged.set(key, { ...finding, locations: [...finding.locations] });
  }
  return [...merged.values()].map((f) => ({ ...f, locations: sortLocations(f.locations) })).sort(compareFindings);
}

function packageResults(
  requests: PackageRequest[],
  lookups: Map<string, Lookup>,
  findings: Finding[],
): PackageResult[] {
  const results = new Map<string, PackageResult>();
  const findingsOf = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = findingsOf.get(finding.package);
    if (list) list.push(finding);
    else findingsOf.set(finding.package, [finding]);
  }
  for (const request of requests) {
    const lookup = lookups.get(request.name);
    const resolution = lookup?.state === 'found' ? resolveVersion(lookup.facts, request) : undefined;
    const version = resolution?.ok ? resolution.version : request.locked;
    const key = `${request.name}\0${version ?? ''}\0${request.wanted ?? ''}`;
    if (results.has(key)) continue;
    const result: PackageResult = { name: request.name, state: 'ok' };
    if (request.wanted) result.requested = request.wanted;
    if (version) result.version = version;
    if (!lookup || lookup.state === 'unknown') result.state = 'unknown';
    // A member check that could not run leaves the package unknown, whatever severity settings say.
    else if (findingsOf.get(request.name)?.some((f) => f.code === 'TYPES_UNKNOWN' && f.version === version))
      result.state = 'unknown';
    else if (findingsOf.get(request.name)?.some((f) => f.version === undefined || f.version === version))
      result.state = 'finding';
    results.set(key, result);
  }
  return [...results.values()].sort(
    (a, b) =>
      compareText(a.name, b.name) ||
      compareText(a.version ?? '', b.version ?? '') ||
      compareText(a.requested ?? '', b.requested ?? ''),
  );
}

export interface ReportInput {
  tool: Report['tool'];
  scan: ProjectScan;
  requests: PackageRequest[];
  lookups: Map<string, Lookup>;
  /** Findings with configured severities applied (`off` ones removed). */
  findings: Finding[];
  /** Every finding before severities were applied: a package's state never depends on settings. */
  allFindings: Finding[];
  skipped: number;
  /** installScripts.allow (null: no list kept). */
  installScriptsAllow?: string[] | null;
  /** With `--changed-since`: the ref, and how many references were left out as unchanged. */
  changes?: { ref: string; unchanged: number; lockfile?: LockfileChanges };
}

function installScripts(input: ReportInput): InstallScriptEntry[] {
  const seen = new Map<string, InstallScriptEntry>();
  for (const request of input.requests) {
    if (request.source !== 'lockfile') continue;
    const lookup = input.lookups.get(request.name);
    if (lookup?.state !== 'found') continue;
    const resolution = resolveVersion(lookup.facts, request);
    if (!resolution.ok || !lookup.facts.versions[resolution.version]?.hasInstallScript) continue;
    const allow = input.installScriptsAllow;
    const entry: InstallScriptEntry = { name: request.name, version: resolution.version };
    if (allow != null) entry.allowed = matchesPackagePattern(request.name, allow);
    seen.set(`${request.name}@${resolution.version}`, entry);
  }
  return [...seen.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.version, b.version));
}

export function buildReport(input: ReportInput): Report {
  const findings = mergeFindings(input.findings);
  const packages = packageResults(input.requests, input.lookups, input.allFindings);
  const count = (severity: Finding['severity']): number => findings.filter((f) => f.severity === severity).length;
  const unknown = packages.filter((p) => p.state === 'unknown').length;
  // Anything not checked (a registry that did not answer, a file that could not be read) makes
  // the run incomplete, whatever else it found.
  const incomplete =
    unknown > 0 ||
    input.scan.errors.length > 0 ||
    // Unknowns are looked for before severities apply: `off` may hide one, never make it clean.
    input.allFindings.some((f) => UNKNOWN_CODES.has(f.code));
  const status: ReportStatus = incomplete ? 'incomplete' : findings.length ? 'findings' : 'clean';
  // Lockfile and manifest URLs may carry credentials (`https://user:token@host/`): no output does.
  return redactDeep({
    schemaVersion: 1,
    tool: input.tool,
    status,
    summary: {
      packages: packages.length,
      ok: packages.filter((p) => p.state === 'ok').length,
      finding: packages.filter((p) => p.state === 'finding').length,
      unknown,
      names: input.lookups.size,
      skipped: input.skipped,
      ...(input.changes ? { changedSince: input.changes.ref, unchanged: input.changes.unchanged } : {}),
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      manifests: input.scan.manifests.length,
      ...(input.scan.lockfile ? { lockfile: input.scan.lockfile.path } : {}),
      sourceFiles: input.scan.sourceFiles,
      imports: input.scan.imports.length,
    },
    packages,
    findings,
    ...(input.changes?.lockfile ? { lockfileChanges: input.changes.lockfile } : {}),
    ...(input.scan.lockfile ? { installScripts: installScripts(input) } : {}),
  });
}
