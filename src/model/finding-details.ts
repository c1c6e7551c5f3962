import type { Finding, FindingCode } from './finding.js';
import type { LicenseCategory } from './license.js';
import type { MissingReason } from './facts.js';
import type { ConfigPackageReference, InputErrorReason, LockedSource, SpecKind } from './references.js';

/** How a name was mistyped from a popular one; stable for machines (`details.signals[].rule`). */
export type SquatRule =
  /** Two adjacent characters swapped: `axois` for `axios`. */
  | 'swap'
  /** A character doubled: `expresss`. */
  | 'repeated-character'
  /** A character left out: `expres`. */
  | 'missing-character'
  /** A character added that is not a repeat: `lodashs`. */
  | 'extra-character'
  /** One character replaced: `lodasb`. */
  | 'substituted-character'
  /** The same letters with other `-`, `_`, `.` or none, or another letter case: `lodash_es`. */
  | 'delimiter'
  /** The same words in another order: `session-express`. */
  | 'word-order'
  /** A platform prefix or suffix added or removed: `expressjs`, `node-express`. */
  | 'affix'
  /** A popular scope misspelt: `@babell/core`. */
  | 'scope-typo'
  /** A popular unscoped name under a scope no popular package uses: `@anyone/express`. */
  | 'foreign-scope';

/** Each signal of SUSPICIOUS_PACKAGE, with its evidence; `signal` is stable for machines. */
export type SquatSignal =
  | { signal: 'typosquat'; target: string; rule: SquatRule; targetDownloads: number }
  | { signal: 'new-package'; createdAt: string; days: number }
  | { signal: 'new-maintainer'; days: number }
  | { signal: 'few-versions'; versions: number }
  | { signal: 'no-repository' }
  | { signal: 'no-description' }
  | { signal: 'install-script'; versions: string[] }
  | { signal: 'deprecated-for-popular'; replacement: string; replacementDownloads: number }
  | { signal: 'low-downloads'; downloads?: number; source: 'downloads-api' | 'index' };

/** A "did you mean" package as findings carry it: the name and its monthly downloads. */
export interface NameSuggestion {
  name: string;
  downloads: number;
}

/** NOT_FOUND, UNPUBLISHED, SECURITY_HOLDING of a package the registry has nothing installable of. */
type MissingDetails<R extends MissingReason> = { reason: R; suggestions?: NameSuggestion[] };

/** A tsconfig `types` or `jsxImportSource` entry and the packages that could provide it. */
type ConfigEntryDetails = { option: ConfigPackageReference['option']; entry: string; candidates: string[] };

/** A lockfile entry that downloads from a host it should not, grouped per host. */
type HostDetails = { host: string; packages: string[]; example: string };

/** What the member check adds to a finding after it is made (`src/members/`, `src/verify.ts`). */
type MemberAfterwards = {
  /** The name the code imports, when a package.json installs the package under another (`npm:` alias). */
  installedAs?: string;
  /** The member finding is in a file whose package no package.json in scope declares (verify.ts). */
  undeclared?: true;
};

/** INVENTED_EXPORT, INVENTED_MEMBER, SUBPATH_NOT_FOUND (src/members/members.ts and what follows it). */
type MissingNameDetails = MemberAfterwards & {
  name: string;
  /** The TypeScript diagnostic code. */
  ts: number;
  /** `name@version` of the declarations checked against. */
  typesFrom: string;
  suggestion?: string;
  suggestions?: string[];
  specifier?: string;
  /** Whether the name was looked up on the module or on a value it makes (absent for SUBPATH_NOT_FOUND). */
  of?: 'module' | 'value';
  /** Node's major, for a name of Node's own modules the running Node may still have (settled before the report). */
  ifRemoved?: string;
  viaDefault?: true;
  /** The packages whose declarations type the receiver, as `name@version`. */
  typedBy?: string[];
  receiverTypes?: string[];
  /** The latest earlier major that still has the name (older-majors.ts). */
  presentIn?: { major: number; version: string; typesFrom: string };
  /** The package is ESM-only and the code requires it (esm-only.ts). */
  esmOnly?: true;
  /** Node removed the name; an older Node's declarations deprecated it (builtins.ts). */
  removed?: true;
  deprecatedIn?: string;
  deprecation?: string;
};

/**
 * The shape of `details` per finding code, for the codes that carry details (a code left out
 * carries none; `makeFinding` refuses details for it). A code several places emit has the union of
 * what they put in. `Finding.details` stays a plain record, so JSON and SARIF print it as built.
 */
export type FindingDetailsMap = CodeKeyed<{
  NOT_FOUND:
    | MissingDetails<'not-found'>
    | ConfigEntryDetails
    /** A script runs a command as a package (npx, node_modules/.bin) that no package provides. */
    | { bin: string; reason: 'not-found' };
  UNPUBLISHED: MissingDetails<'unpublished'> & { unpublishedAt?: string };
  SECURITY_HOLDING: MissingDetails<'security-holding'>;
  VERSION_NOT_FOUND: { wanted: string; via: 'locked' | 'range' | 'latest'; latest?: string };
  DEPRECATED: { scope: 'package' | 'version'; deprecation: string; latest?: string; replacement?: string };
  /** Only from a tsconfig entry; an import's UNLISTED_DEPENDENCY carries none. */
  UNLISTED_DEPENDENCY: ConfigEntryDetails & { exists?: string[]; locked?: string[] };
  UNLISTED_BINARY:
    { bin: string; providers: string[]; declared: false } | { bin: string; exists?: boolean; declared: false };
  NON_REGISTRY_SOURCE: {
    kind: Exclude<SpecKind, 'registry' | 'alias' | 'invalid'> | Exclude<LockedSource, 'registry' | 'link'>;
    spec: string;
  };
  REGISTRY_UNKNOWN: { reason: string } | { registry: string; reason: string };
  INPUT_ERROR: { reason: InputErrorReason };
  LICENSE_NOT_ALLOWED: {
    license: string;
    declared?: string;
    reason: 'denied' | 'not-in-allow-list' | 'incompatible';
    category: LicenseCategory;
  };
  LICENSE_UNLICENSED: { license: 'UNLICENSED' };
  LICENSE_WEAK_COPYLEFT: { license: string; declared?: string };
  LICENSE_REVIEW:
    | { kind: 'missing' | 'custom' | 'unparseable' | 'ambiguous'; license?: string; guess?: string }
    | { license: string; declared?: string; kind: 'unclassified' };
  LICENSE_CHANGED: { from: string; to: string; latest: string; stricter: boolean };
  UNMAINTAINED: {
    lastRelease: string;
    daysSinceLastRelease: number;
    installedVersion?: string;
    installedReleasedAt?: string;
    repository?: string;
  };
  SUSPICIOUS_PACKAGE: { signals: SquatSignal[]; suggestions?: string[]; repository?: string; notEvaluated?: string[] };
  LOCKFILE_FOREIGN_HOST: HostDetails;
  LOCKFILE_INSECURE_URL: HostDetails;
  LOCKFILE_INVALID_URL: { resolved: string };
  LOCKFILE_NAME_MISMATCH: { resolved: string; expected: string | undefined };
  /** Always empty (`{}`), kept as the JSON output has it. */
  LOCKFILE_INTEGRITY_MISSING: Record<string, never>;
  LOCKFILE_WEAK_INTEGRITY: { integrity: string };
  LOCKFILE_INTEGRITY_MISMATCH: { lockfile: string; registry: string };
  LOCKFILE_OUT_OF_SYNC:
    | { lockfile: string; reason: 'missing' }
    | { lockfile: string; reason: 'other-package'; locked: string }
    | { lockfile: string; reason: 'outside-range'; locked: string; range: string | undefined };
  INVENTED_EXPORT: MissingNameDetails;
  INVENTED_MEMBER: MissingNameDetails;
  SUBPATH_NOT_FOUND: MissingNameDetails;
  DEPRECATED_API: MemberAfterwards & {
    name: string;
    ts: number;
    typesFrom: string;
    deprecation?: string;
    specifier?: string;
  };
  TYPES_UNAVAILABLE: MemberAfterwards &
    ({ unavailable: 'generated'; specifier: string } | { reason: string; unavailable: 'not-asked' | 'no-types' });
  TYPES_UNKNOWN: MemberAfterwards & {
    reason: string;
    /** The file the type checker failed on. */
    file?: string;
    deadlineAt?: number;
    /** Packages the declarations use that could not be read, with why. */
    missing?: Record<string, string>;
  };
  CONFIG_INCOMPLETE: { reason: 'missing-file' };
  RELEASE_TOO_NEW: { publishedAt: string; ageMinutes: number; minimumReleaseAge: number; configured: boolean };
  RELEASE_AGE_UNKNOWN: { minimumReleaseAge: number };
  PROVENANCE_LOST: { previous: string; lastWithProvenance: string };
  INSTALL_SCRIPT_ADDED: { previous: string; changedSince?: string };
  SIGNATURE_INVALID: { reason: string; keyid?: string };
  REGISTRY_UNSIGNED: { registry: string };
}>;

/** Keys are finding codes, values are records: a misspelt code does not compile. */
type CodeKeyed<T extends { [K in keyof T]: K extends FindingCode ? Record<string, unknown> : never }> = T;

/** The details a finding of `C` carries: `never` for a code that carries none. */
export type FindingDetails<C extends FindingCode> = C extends keyof FindingDetailsMap ? FindingDetailsMap[C] : never;

/** A finding whose code is known, with that code's details. */
export type FindingOf<C extends FindingCode> = Finding & { code: C; details?: FindingDetails<C> };

/** Whether `finding` has one of `codes`; narrows its `details` to theirs. */
export const isFindingOf = <C extends FindingCode>(finding: Finding, ...codes: C[]): finding is FindingOf<C> =>
  (codes as FindingCode[]).includes(finding.code);
