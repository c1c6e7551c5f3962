import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { CODE_INFO } from '../model/codes.js';
import {
  COMMAND_LINE,
  FINDING_CODES,
  type Finding,
  type FindingCode,
  type Location,
  type Severity,
} from '../model/finding.js';
import type { Report } from '../model/report.js';
import { sanitize } from '../model/sanitize.js';
import { inertJson } from './json.js';

export interface SarifOptions {
  /** Absolute project root; recorded as `%SRCROOT%` so a consumer can resolve the relative paths. */
  root?: string;
}

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';
/** Versioned so a change to what is hashed starts new alerts instead of silently re-matching old ones. */
const FINGERPRINT_KEY = 'depverifyFinding/v1';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

// Code scanning filters and groups alerts by tag; `security` puts a rule among security alerts.
const SUPPLY_CHAIN = ['dependencies', 'security', 'supply-chain'];
const TAGS: Record<FindingCode, string[]> = {
  NOT_FOUND: SUPPLY_CHAIN,
  UNPUBLISHED: SUPPLY_CHAIN,
  SECURITY_HOLDING: [...SUPPLY_CHAIN, 'malware'],
  VERSION_NOT_FOUND: ['dependencies', 'correctness'],
  DEPRECATED: ['dependencies', 'maintenance'],
  UNLISTED_DEPENDENCY: SUPPLY_CHAIN,
  NON_REGISTRY_SOURCE: SUPPLY_CHAIN,
  REGISTRY_UNKNOWN: ['dependencies', 'incomplete'],
  INPUT_ERROR: ['dependencies', 'incomplete'],
  LICENSE_NOT_ALLOWED: ['dependencies', 'license'],
  LICENSE_UNLICENSED: ['dependencies', 'license'],
  LICENSE_WEAK_COPYLEFT: ['dependencies', 'license'],
  LICENSE_REVIEW: ['dependencies', 'license'],
  LICENSE_CHANGED: ['dependencies', 'license'],
  UNMAINTAINED: ['dependencies', 'maintenance'],
  SUSPICIOUS_PACKAGE: [...SUPPLY_CHAIN, 'typosquatting'],
  LOCKFILE_FOREIGN_HOST: [...SUPPLY_CHAIN, 'lockfile'],
  LOCKFILE_INSECURE_URL: [...SUPPLY_CHAIN, 'lockfile'],
  LOCKFILE_INVALID_URL: [...SUPPLY_CHAIN, 'lockfile'],
  LOCKFILE_NAME_MISMATCH: [...SUPPLY_CHAIN, 'lockfile'],
  LOCKFILE_INTEGRITY_MISSING: [...SUPPLY_CHAIN, 'lockfile'],
  LOCKFILE_WEAK_INTEGRITY: [...SUPPLY_CHAIN, 'lockfile'],
  LOCKFILE_INTEGRITY_MISMATCH: [...SUPPLY_CHAIN, 'lockfile'],
  LOCKFILE_OUT_OF_SYNC: ['dependencies', 'lockfile', 'correctness'],
  INVALID_SPEC: ['dependencies', 'correctness'],
  INVENTED_EXPORT: ['dependencies', 'correctness', 'hallucination'],
  INVENTED_MEMBER: ['dependencies', 'correctness', 'hallucination'],
  SUBPATH_NOT_FOUND: ['dependencies', 'correctness', 'hallucination'],
  DEPRECATED_API: ['dependencies', 'maintenance'],
  TYPES_UNAVAILABLE: ['dependencies'],
  TYPES_UNKNOWN: ['dependencies', 'incomplete'],
  SYNTAX_ERROR: ['correctness'],
  CONFIG_INCOMPLETE: ['correctness'],
  UNLISTED_BINARY: ['dependencies', 'correctness'],
  BUILTIN_INSTALLED: ['dependencies', 'correctness'],
  RELEASE_TOO_NEW: [...SUPPLY_CHAIN, 'release'],
  RELEASE_AGE_UNKNOWN: ['dependencies', 'incomplete'],
  PROVENANCE_LOST: [...SUPPLY_CHAIN, 'release', 'provenance'],
  INSTALL_SCRIPT_ADDED: [...SUPPLY_CHAIN, 'release', 'install-script'],
  INSTALL_SCRIPT_NOT_ALLOWED: [...SUPPLY_CHAIN, 'install-script'],
  SIGNATURE_INVALID: [...SUPPLY_CHAIN, 'signature'],
  SIGNATURE_MISSING: [...SUPPLY_CHAIN, 'signature'],
  REGISTRY_UNSIGNED: ['dependencies', 'signature'],
};

const pascalCase = (code: string): string =>
  code
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

function rules() {
  return FINDING_CODES.map((code) => ({
    id: code,
    name: pascalCase(code),
    shortDescription: { text: CODE_INFO[code].title },
    fullDescription: { text: CODE_INFO[code].help },
    help: { text: CODE_INFO[code].help },
    defaultConfiguration: { level: LEVEL[CODE_INFO[code].severity] },
    properties: { tags: TAGS[code] },
  }));
}

/**
 * A relative path as a URI reference: each segment percent-encoded (spaces, `#`, `%`, `?` would
 * otherwise change its meaning), keeping `@ + $ & , ; =` readable. `:` stays encoded so a first
 * segment can never read as a scheme.
 */
export function pathToUri(file: string): string {
  return (
    file
      .replace(/\\/g, '/')
      .split('/')
      // A lone surrogate would make encodeURIComponent throw; it becomes U+FFFD.
      .map((segment) =>
        encodeURIComponent(
          segment.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
        ).replace(/%(40|2B|24|26|2C|3B|3D)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      )
      .join('/')
  );
}

function sarifLocation(location: Location) {
  const region = location.line
    ? { startLine: location.line, ...(location.column ? { startColumn: location.column } : {}) }
    : undefined;
  return {
    physicalLocation: {
      artifactLocation: { uri: pathToUri(location.file), uriBaseId: SRCROOT },
      ...(region ? { region } : {}),
    },
    // The manifest or lockfile key, e.g. `dependencies.left-pad`, is a property of a JSON document.
    ...(location.field ? { logicalLocations: [{ fullyQualifiedName: location.field, kind: 'property' }] } : {}),
  };
}

/** Stable across runs while the finding stays put: what GitHub uses to track one alert over time. */
function fingerprint(finding: Finding): string {
  const primary = finding.locations[0];
  const key = [finding.code, finding.package, primary?.file ?? '', String(primary?.line ?? '')].join('\0');
  return createHash('sha256').update(key).digest('hex');
}

function result(finding: Finding) {
  const text = [finding.message, finding.hint ?? '']
    .map((part) => sanitize(part, 4000))
    .filter(Boolean)
    .join('\n');
  // A --package argument is no file: code scanning could not place it, so it stays a property.
  const files = finding.locations.filter((l) => l.file !== COMMAND_LINE);
  const args = finding.locations.flatMap((l) => (l.file === COMMAND_LINE && l.field ? [l.field] : []));
  return {
    ruleId: finding.code,
    ruleIndex: FINDING_CODES.indexOf(finding.code),
    level: LEVEL[finding.severity],
    message: { text },
    // SARIF allows a result without locations (--package runs have none); see README on GitHub.
    ...(files.length ? { locations: files.map(sarifLocation) } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(finding) },
    properties: {
      ...(finding.package ? { package: finding.package } : {}),
      ...(finding.version ? { version: finding.version } : {}),
      ...(args.length ? { arguments: args } : {}),
      ...(finding.details ? { details: finding.details } : {}),
    },
  };
}

/** SARIF 2.1.0 for code scanning: one run, a rule for every finding code, a result per finding. */
export function formatSarif(report: Report, options: SarifOptions = {}): string {
  const rootUri = options.root ? pathToFileURL(options.root).href.replace(/\/?$/, '/') : undefined;
  return inertJson({
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, rules: rules() } },
        ...(rootUri ? { originalUriBaseIds: { [SRCROOT]: { uri: rootUri } } } : {}),
        invocations: [{ executionSuccessful: report.status !== 'incomplete' }],
        // Columns come from TypeScript's positions: UTF-16 code units, 1-based.
        columnKind: 'utf16CodeUnits',
        results: report.findings.map(result),
        properties: { status: report.status, summary: report.summary },
      },
    ],
  });
}
