// semver's functions one by one: its index loads all of its ~50 modules.
import satisfiesRange from 'semver/functions/satisfies.js';
import { makeFinding } from '../model/codes.js';
import type { PackageFacts } from '../model/facts.js';
import type { FindingDetails } from '../model/finding-details.js';
import type { Finding, Location } from '../model/finding.js';
import { sanitize } from '../model/sanitize.js';
import type { LicenseException } from '../config/config.js';
import { type CheckContext, definePackageCheck } from './check.js';
import { judgeExpression } from './license-policy.js';
import { resolveVersion } from '../plan/resolve-version.js';
import { type ParsedLicense, formatSpdx, parseLicense } from './spdx.js';

/** The licence a version is published under (the package's when the version says nothing). */
const licenseOf = (facts: PackageFacts, version: string): string | undefined =>
  facts.versions[version]?.license ?? facts.license;

function excepted(
  name: string,
  version: string,
  exceptions: readonly LicenseException[],
): LicenseException | undefined {
  return exceptions.find((e) => {
    const at = e.package.indexOf('@', e.package.startsWith('@') ? 1 : 0);
    const [pkg, range] = at === -1 ? [e.package, undefined] : [e.package.slice(0, at), e.package.slice(at + 1)];
    return pkg === name && (range === undefined || satisfiesRange(version, range, { includePrerelease: true }));
  });
}

// An ambiguous name compares as its likeliest reading: `BSD` → `BSD-2-Clause` clarifies, it does not relicense.
const canonical = (parsed: ParsedLicense): string =>
  parsed.kind === 'expression' ? formatSpdx(parsed.tree) : parsed.kind === 'ambiguous' ? parsed.guess : parsed.kind;

/** How a licence fares under the policy, for comparing two of them: higher is worse. */
function rank(parsed: ParsedLicense, context: CheckContext): number {
  if (parsed.kind === 'unlicensed') return 3;
  if (parsed.kind !== 'expression') return 2;
  return { ok: 0, 'weak-copyleft': 1, review: 2, 'not-allowed': 3 }[
    judgeExpression(parsed.tree, context.config.licenses, context.projectLicense).verdict
  ];
}

type LicenseCode =
  'LICENSE_NOT_ALLOWED' | 'LICENSE_UNLICENSED' | 'LICENSE_WEAK_COPYLEFT' | 'LICENSE_REVIEW' | 'LICENSE_CHANGED';

/** A licence finding; run() gives it the locations of the requests that install the version. */
function draft<C extends LicenseCode>(
  code: C,
  name: string,
  version: string,
  message: string,
  hint: string,
  details: FindingDetails<C>,
): Finding {
  return makeFinding(code, { package: name, version, message, hint, details, locations: [] });
}

const WHY = {
  denied: () => 'is denied by the licence policy',
  'not-in-allow-list': () => 'is not in the allowed licences',
  incompatible: (category: string, project: string | undefined) =>
    `is ${category.replace('-', ' ')} and the project's licence (${project ?? 'none declared'}) is not compatible with it`,
};

function judgeVersion(name: string, version: string, facts: PackageFacts, context: CheckContext): Finding[] {
  const raw = licenseOf(facts, version);
  const shown = sanitize(raw ?? '', 120);
  const at = `${name}@${version}`;
  const parsed = parseLicense(raw);
  const drafts: Finding[] = [];
  if (parsed.kind === 'unlicensed') {
    drafts.push(
      draft(
        'LICENSE_UNLICENSED',
        name,
        version,
        `${at} is UNLICENSED: its author grants no right to use it.`,
        'Do not ship it; ask the author for a licence or replace the package.',
        { license: 'UNLICENSED' },
      ),
    );
  } else if (parsed.kind !== 'expression') {
    const what =
      parsed.kind === 'missing'
        ? 'declares no licence'
        : parsed.kind === 'custom'
          ? `has a custom licence (${sanitize(parsed.file, 80)})`
          : parsed.kind === 'ambiguous'
            ? `declares the licence "${shown}", which names no single licence (${parsed.guess} is only one of them)`
            : `has a licence that is not an SPDX expression ("${shown}")`;
    const hint = 'Read the licence terms in the package before shipping it, then record an exception with the reason.';
    drafts.push(
      draft('LICENSE_REVIEW', name, version, `${at} ${what}.`, hint, {
        kind: parsed.kind,
        ...(raw ? { license: shown } : {}),
        ...(parsed.kind === 'ambiguous' ? { guess: parsed.guess } : {}),
      }),
    );
  } else {
    const verdict = judgeExpression(parsed.tree, context.config.licenses, context.projectLicense);
    const details = { license: sanitize(parsed.expression, 120), ...(parsed.corrected ? { declared: shown } : {}) };
    if (verdict.verdict === 'not-allowed') {
      const why = WHY[verdict.why](verdict.category, context.projectLicense);
      const hint = 'Replace the dependency, or record a licence exception with the reason it is acceptable.';
      drafts.push(
        draft('LICENSE_NOT_ALLOWED', name, version, `${at}: ${sanitize(verdict.license, 80)} ${why}.`, hint, {
          ...details,
          reason: verdict.why,
          category: verdict.category,
        }),
      );
    } else if (verdict.verdict === 'weak-copyleft') {
      const hint = 'Using it unmodified is usually fine; changes to it must be shared under the same licence.';
      drafts.push(
        draft(
          'LICENSE_WEAK_COPYLEFT',
          name,
          version,
          `${at} is under ${sanitize(verdict.license, 80)}, a weak copyleft licence.`,
          hint,
          details,
        ),
      );
    } else if (verdict.verdict === 'review') {
      const hint = 'Read the licence terms before shipping it, then allow it in the policy or record an exception.';
      drafts.push(
        draft(
          'LICENSE_REVIEW',
          name,
          version,
          `${at} is under ${sanitize(verdict.license, 80)}, which depverify does not classify.`,
          hint,
          { ...details, kind: 'unclassified' },
        ),
      );
    }
  }
  // A relicensing: what the next upgrade would bring differs from what is installed now. A
  // spelling change (`BSD` → `BSD-2-Clause`) is none; one the policy likes less is a warning.
  const latest = facts.distTags.latest;
  const latestRaw = latest && latest !== version ? licenseOf(facts, latest) : undefined;
  if (latest && raw && latestRaw && latestRaw !== raw) {
    const next = parseLicense(latestRaw);
    if (canonical(next) !== canonical(parsed)) {
      const worse = rank(next, context) > rank(parsed, context);
      const to = sanitize(latestRaw, 120);
      const message = `${name} changed licence: ${shown} at ${version}, ${to} at ${latest}.`;
      const change = draft('LICENSE_CHANGED', name, version, message, 'Check the new terms before upgrading.', {
        from: shown,
        to,
        latest,
        stricter: worse,
      });
      drafts.push(worse ? change : { ...change, severity: 'info' });
    }
  }
  return drafts;
}

/** LICENSE_*: the licence of the version that would be installed, against the policy. */
export const checkLicense = definePackageCheck({
  name: 'license',
  run({ name, lookup, requests, context }) {
    if (lookup.state !== 'found') return [];
    const byVersion = new Map<string, Location[]>();
    for (const request of requests) {
      const resolution = resolveVersion(lookup.facts, request);
      if (resolution.ok)
        byVersion.set(resolution.version, [...(byVersion.get(resolution.version) ?? []), ...request.locations]);
    }
    const findings: Finding[] = [];
    for (const [version, locations] of byVersion) {
      if (excepted(name, version, context.config.licenses.exceptions)) continue;
      for (const finding of judgeVersion(name, version, lookup.facts, context))
        findings.push({ ...finding, locations });
    }
    return findings;
  },
});
