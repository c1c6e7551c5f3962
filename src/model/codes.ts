import type { FindingDetails, FindingOf } from './finding-details.js';
import type { Finding, FindingCode, Severity } from './finding.js';

export interface CodeInfo {
  /** Default severity; configuration may change it. */
  severity: Severity;
  /** Short rule name for SARIF and documentation. */
  title: string;
  /** What the code means and what to do, for help text. */
  help: string;
}

export const CODE_INFO = {
  NOT_FOUND: {
    severity: 'error',
    title: 'Package does not exist',
    help: 'The registry answered 404: no package has this name. AI assistants invent names like this, and attackers register them ("slopsquatting"). Check the spelling or use the suggested package; never install it blindly.',
  },
  UNPUBLISHED: {
    severity: 'error',
    title: 'Package was unpublished',
    help: 'The package existed but every version was removed; nothing can be installed. Pick a maintained alternative.',
  },
  SECURITY_HOLDING: {
    severity: 'error',
    title: 'Package replaced by a security holding package',
    help: 'npm removed this package for malicious content and left a placeholder. Remove the dependency and audit any machine that installed it.',
  },
  VERSION_NOT_FOUND: {
    severity: 'error',
    title: 'Requested version does not exist',
    help: 'No published version matches the requested range, tag or locked version. Use a published version.',
  },
  DEPRECATED: {
    severity: 'warning',
    title: 'Package or version is deprecated',
    help: "The author deprecated this package or the version that would be installed. Read the author's message and move to the replacement it names.",
  },
  UNLISTED_DEPENDENCY: {
    severity: 'error',
    title: 'Imported package is not declared',
    help: 'Source code imports a package that no package.json declares. Add it to dependencies after checking it is the package you mean, or remove the import.',
  },
  UNLISTED_BINARY: {
    severity: 'warning',
    title: 'Script runs a command no declared package provides',
    help: "A package.json script runs a command (`tsup`, `eslint`) that no package declared in its package.json (or the ones above it, or a workspace) provides: it works only where the command is installed globally, or comes from a package installed as another's dependency (npm and yarn link those, pnpm does not). Declare the package that provides it. An invented name run through npx or node_modules/.bin that no package has is NOT_FOUND.",
  },
  NON_REGISTRY_SOURCE: {
    severity: 'warning',
    title: 'Dependency does not come from a registry',
    help: 'git, file, link, workspace and tarball URL dependencies cannot be verified against the registry. Review them by hand.',
  },
  REGISTRY_UNKNOWN: {
    severity: 'error',
    title: 'Could not check the package',
    help: 'The registry did not give a usable answer (time-out, server error, authentication, malformed document). Nothing is claimed about the package; run again, or check the registry configuration.',
  },
  INPUT_ERROR: {
    severity: 'error',
    title: 'Could not read a project file',
    help: 'A manifest, lockfile or source file could not be read or parsed; what it references was not checked. Fix the file.',
  },
  LICENSE_NOT_ALLOWED: {
    severity: 'error',
    title: 'License not allowed',
    help: "The dependency's licence is denied by the policy, outside its allow list, or (without a policy) a strong or network copyleft licence the project's own licence is not compatible with. Replace the dependency, or record an exception with its reason.",
  },
  LICENSE_UNLICENSED: {
    severity: 'error',
    title: 'Dependency is UNLICENSED',
    help: 'UNLICENSED means the author grants no right to use the package. Do not ship it; ask the author or replace it.',
  },
  LICENSE_WEAK_COPYLEFT: {
    severity: 'warning',
    title: 'Weak copyleft licence',
    help: 'LGPL, MPL, EPL and similar licences allow use, with conditions on modifying and distributing the dependency itself. Check the conditions fit how the project ships.',
  },
  LICENSE_REVIEW: {
    severity: 'warning',
    title: 'Licence needs a person to review it',
    help: 'The licence is missing, not an SPDX expression, or a custom text (SEE LICENSE IN …). Read it before shipping, then record an exception.',
  },
  LICENSE_CHANGED: {
    severity: 'warning',
    title: 'Licence changed between versions',
    help: 'The latest version is under a different licence than the version that would be installed: a relicensing. Check the new terms before upgrading.',
  },
  UNMAINTAINED: {
    severity: 'warning',
    title: 'No release for a long time',
    help: 'The package has not published a release for years. It may be finished and stable, or abandoned with unfixed bugs; check its repository before depending on it.',
  },
  SUSPICIOUS_PACKAGE: {
    severity: 'warning',
    title: 'Package looks like a squat',
    help: 'The name is a typo or variant of a far more popular package, or the package is brand new and empty, or runs install scripts without a repository. Each signal that fired is listed. Check that this is the package you mean (the likely intended one is named) before installing it; an error means a combination attackers use, such as a typosquat with an install script.',
  },
  LOCKFILE_FOREIGN_HOST: {
    severity: 'error',
    title: 'Lockfile downloads from an unexpected host',
    help: "A lockfile entry resolves to a host that is neither a configured registry nor in lockfile.allowedHosts. Whoever controls that host controls the code installed: a changed lockfile can point a familiar name at an attacker's tarball. Regenerate the entry from your registry, or allow the host if you trust it.",
  },
  LOCKFILE_INSECURE_URL: {
    severity: 'error',
    title: 'Lockfile downloads over plain HTTP',
    help: 'A lockfile entry resolves to an http:// (or git://) URL, which anyone on the network path can tamper with. Use https, or configure the registry with its http URL if it is a local one on purpose.',
  },
  LOCKFILE_INVALID_URL: {
    severity: 'error',
    title: 'Lockfile URL cannot be read',
    help: "A lockfile entry's resolved URL does not parse, so where it downloads from cannot be checked. It fails the check rather than passing it. Regenerate the lockfile.",
  },
  LOCKFILE_NAME_MISMATCH: {
    severity: 'error',
    title: 'Lockfile entry downloads another package',
    help: 'The tarball URL of a lockfile entry names a different package or version than the entry (or walks out of the registry path with ../): the lockfile says one package and installs another. Regenerate the entry.',
  },
  LOCKFILE_INTEGRITY_MISSING: {
    severity: 'error',
    title: 'Lockfile entry has no integrity hash',
    help: 'Without an integrity hash the package manager cannot tell whether the tarball it downloads is the one that was locked. Regenerate the lockfile with a current package manager.',
  },
  LOCKFILE_WEAK_INTEGRITY: {
    severity: 'warning',
    title: 'Lockfile entry has only a SHA-1 hash',
    help: 'SHA-1 is no longer collision-resistant; npm has recorded sha512 since v5. Regenerate the entry to record a sha512 integrity.',
  },
  LOCKFILE_INTEGRITY_MISMATCH: {
    severity: 'error',
    title: "Lockfile integrity is not the registry's",
    help: "A lockfile entry records an integrity hash, of the same algorithm, that differs from the registry's dist.integrity for that name and version: the package manager would accept a tarball the registry never published (a hash swapped for another valid one). Regenerate the entry from the registry and find out where the change came from.",
  },
  LOCKFILE_OUT_OF_SYNC: {
    severity: 'error',
    title: 'Lockfile does not match package.json',
    help: 'A dependency declared in package.json is missing from the lockfile, or locked at a version outside the declared range: `npm ci` fails, and what gets installed is not what was reviewed. Run the install to update the lockfile and review the change.',
  },
  INVALID_SPEC: {
    severity: 'error',
    title: 'Dependency spec cannot be installed',
    help: 'A package.json declares a dependency with a spec npm cannot read (`"^latest"`, an invalid name or tag): installing that project fails on it. Use a version range (`^15.0.0`), a tag (`latest`) or a URL. The declaration\'s version is not checked.',
  },
  INVENTED_EXPORT: {
    severity: 'error',
    title: 'Imported name does not exist',
    help: 'A named import, default import or destructured require names something the package does not export at the version that would be installed, according to its published type declarations. Assistants invent such names; use what the package exports (a suggestion is given when TypeScript has one).',
  },
  INVENTED_MEMBER: {
    severity: 'error',
    title: 'Property or method does not exist',
    help: "Code calls or reads a member that the package's type declarations do not have on that value, at the version that would be installed (`pg.connect_secure`). Only expressions rooted at an import of the package are checked; nothing typed `any` is reported.",
  },
  SUBPATH_NOT_FOUND: {
    severity: 'error',
    title: 'Subpath import the package does not provide',
    help: "An import of `pkg/sub` that the package's exports map or files do not provide at the version that would be installed.",
  },
  DEPRECATED_API: {
    severity: 'warning',
    title: 'Deprecated API',
    help: "Code uses a function, method, class or property that the package's type declarations (or @types/node, for Node's own modules) tag `@deprecated`, with the declaration's own text as the reason (`url.parse`: \"Use the WHATWG URL API instead\"). For an overloaded function only the signature the call resolves to counts. Only members reached from an import are reported, never the project's own code. Move to what the text names: a deprecated API may be removed in a later major (it is then INVENTED_MEMBER at that version).",
  },
  TYPES_UNAVAILABLE: {
    severity: 'info',
    title: 'No type declarations to check against',
    help: 'The package has neither its own declarations nor an @types package (or its @types name was deliberately not asked of a registry), so nothing is claimed about the members its importers use. A fact about the package: it may be turned off.',
  },
  TYPES_UNKNOWN: {
    severity: 'warning',
    title: 'Type declarations could not be fetched',
    help: "The package's declarations (its tarball, its version document, its @types package or a package they import) could not be fetched or read: the member check did not run for it, or ran without part of its declarations. The run is incomplete whatever this code's severity setting; run again, or check the registry configuration.",
  },
  SYNTAX_ERROR: {
    severity: 'warning',
    title: 'Code does not parse',
    help: "A source file or a snippet's code block has a syntax error TypeScript's parser reports (an answer cut off mid-code, a shell line or prose inside a block, Flow syntax, a deliberately broken test input), but the parser recovered and a token scan of the text found no import the recovered tree lacks: every import was still read and checked. When an import was lost, it is an INPUT_ERROR instead and the run is incomplete.",
  },
  CONFIG_INCOMPLETE: {
    severity: 'warning',
    title: 'Configuration names a file that does not exist',
    help: 'A tsconfig/jsconfig `extends` a relative file that is not there, usually one a build step generates (`nuxt prepare` writes `.nuxt/tsconfig.json`). Its options (path aliases) were not read; the rest of the project was checked with what is there. Run the generating step first for a complete view.',
  },
  BUILTIN_INSTALLED: {
    severity: 'warning',
    title: 'Install line names a Node.js built-in module',
    help: "An answer's install line or package.json block names one of Node's own modules (readline, querystring, crypto…). The npm package of that name is another package (a placeholder, or at most a copy for browser bundles), not the module the code uses; the built-in needs no install. Remove it from the install line.",
  },
  RELEASE_TOO_NEW: {
    severity: 'warning',
    title: 'Version published very recently',
    help: 'The version that would be installed was published less than minimumReleaseAge ago (an error: the project set the gate), or, with no gate, less than 24 hours ago (a warning). Releases from taken-over accounts are usually found and pulled within hours. Wait, pin the previous version, or exclude the package once you trust the release.',
  },
  RELEASE_AGE_UNKNOWN: {
    severity: 'warning',
    title: 'Publish time unknown',
    help: 'minimumReleaseAge is set, but the registry gave no publish time for the version that would be installed, so the gate could not be checked (the run is incomplete). Check the date by hand, or exclude the package.',
  },
  PROVENANCE_LOST: {
    severity: 'warning',
    title: 'Build provenance missing where the previous release had it',
    help: "The version has no provenance attestation, but the release before it was published with one by the project's CI. A release published by hand can be a taken-over maintainer account. Compare the release with the previous one before installing.",
  },
  INSTALL_SCRIPT_ADDED: {
    severity: 'warning',
    title: 'Release adds an install script',
    help: 'The version runs a preinstall, install or postinstall script that the release before it did not: how most malicious releases run their code. Read the script first; on a lockfile change checked with --changed-since this is an error.',
  },
  INSTALL_SCRIPT_NOT_ALLOWED: {
    severity: 'warning',
    title: 'Install script not on the allow list',
    help: "A locked package runs an install script and is not in installScripts.allow (or pnpm's onlyBuiltDependencies). Review it and add it to the list, or install with --ignore-scripts.",
  },
  SIGNATURE_INVALID: {
    severity: 'error',
    title: 'Registry signature does not verify',
    help: "The registry's ECDSA signature of a locked version (over name@version:integrity, checked against the registry's public keys as npm audit signatures does) does not match the lockfile's integrity, or was made with a key the registry does not list or that had expired. The lockfile points at a tarball the registry did not sign. Regenerate the entry.",
  },
  SIGNATURE_MISSING: {
    severity: 'warning',
    title: 'Registry signature missing',
    help: 'The registry publishes signing keys and signs its packages, but this locked version carries no signature. Check where the entry came from.',
  },
  REGISTRY_UNSIGNED: {
    severity: 'info',
    title: 'Registry does not sign packages',
    help: 'The registry the lockfile installs from publishes no signing keys, so registry signatures cannot be verified. Said once per registry; never an error.',
  },
} as const satisfies Record<FindingCode, CodeInfo>;

/**
 * What a finding of `C` says apart from its code: the severity, when left out, is the code's
 * default; the details are of the code's shape in FindingDetailsMap (none for a code not in it).
 */
type FindingFields<C extends FindingCode> = Omit<Finding, 'code' | 'severity' | 'details'> & {
  severity?: Severity | undefined;
  details?: FindingDetails<C>;
};

/**
 * The one way to build a finding: its default severity comes from CODE_INFO, so a check states a
 * severity only where it differs from the table (a configured gate, a local source), and its
 * details are checked against the code's shape. The keys come in the order of `Finding` (code,
 * severity, then the fields as given), which JSON output keeps.
 */
export function makeFinding<C extends FindingCode>(code: C, fields: FindingFields<C>): FindingOf<C> {
  const { severity, ...rest } = fields;
  // A details shape is a record; the compiler cannot see that through the deferred FindingDetails<C>.
  return { code, severity: severity ?? CODE_INFO[code].severity, ...rest } as FindingOf<C>;
}
