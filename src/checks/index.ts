import type { PopularityQuestions } from '../popularity/prepare.js';
import type { PackageCheck, PackageInput, ProjectCheck } from './check.js';
import { checkDeprecation } from './deprecation.js';
import { checkExistence, existenceQuestions } from './existence.js';
import { checkInputErrors } from './input-errors.js';
import { checkInstallScripts } from './install-scripts.js';
import { checkIntegrityMatch } from './integrity-match.js';
import { checkLicense } from './license.js';
import { checkLockfileDownloads } from './lockfile-downloads.js';
import { checkLockfileSync } from './lockfile-sync.js';
import { checkMaintenance } from './maintenance.js';
import { checkNonRegistry } from './non-registry.js';
import { checkReleaseAge } from './release-age.js';
import { checkReleaseChanges } from './release-changes.js';
import { checkSignatures } from './signatures.js';
import { checkSuspicious, suspiciousQuestions } from './suspicious.js';
import { checkUnlisted } from './unlisted.js';
import { checkVersions } from './versions.js';

export type { CheckContext, PackageCheck, PackageInput, Popularity, ProjectCheck } from './check.js';
export { wantsDownloads } from './suspicious.js';

/** Run in this order; findings are sorted afterwards, so the order only affects merging. */
export const PACKAGE_CHECKS: readonly PackageCheck[] = [
  checkExistence,
  checkVersions,
  checkDeprecation,
  checkLicense,
  checkMaintenance,
  checkSuspicious,
  checkReleaseAge,
  checkReleaseChanges,
  checkInstallScripts,
  checkSignatures,
  checkIntegrityMatch,
];
export const PROJECT_CHECKS: readonly ProjectCheck[] = [
  checkInputErrors,
  checkNonRegistry,
  checkUnlisted,
  checkLockfileDownloads,
  checkLockfileSync,
];

/**
 * Everything the package checks will ask of popularity about one input (only existence and
 * suspicious ask), so that the run can answer it before they start and they do no I/O.
 */
export function popularityQuestions(input: PackageInput): PopularityQuestions {
  const asked = [existenceQuestions(input), suspiciousQuestions(input)];
  return {
    name: input.name,
    candidates: asked.some((q) => q.candidates),
    downloads: asked.flatMap((q) => q.downloads ?? []),
    suggestions: asked.some((q) => q.suggestions),
  };
}
